#!/usr/bin/python3
"""Whole journeys through the staff web UI in headless Chromium (Debian's chromium and
chromium-driver, driven by Selenium), against a running `mimamori serve`.

Usage: journeys.py JOURNEY BASE_URL PASSWORD ARTEFACT_DIR [key=value ...]

Journeys (the users are those of the test fixture, Tests/WebTests/APIFixture.swift):
  search    an intake worker signs in and searches by keyboard (login=, query=, expect=)
  request   a summary-only hit in another prefecture → information request → the holder
            approves → the requester opens the record → the holder sees the view in 閲覧履歴
  create    a case with an injury photo (after a refused impossible date); the partner CGC
            sees the notification and opens case and photo; a municipality elsewhere cannot
            load the photo's URL
  alert     a CGC raises a missing-child alert, another CGC answers it, the originator closes it
  transfer  a case moves from 千代田区 (東京都) to 大阪市 (大阪府); the destination edits it
  import    a municipal clerk downloads the 一括登録 template, fills it (CP932, as Excel saves it)
            with one bad row, reads the Japanese report next to the row, corrects it, uploads
            again; the partner CGC's inbox shows the new cases
  listcheck 千代田区 uploads a list of five children (file=, CP932) on 一覧照合 and sees the
            best hit per child, two of them held elsewhere
  link      千代田区 asks the CGC to link its record of a child with the CGC's own (other=); the
            CGC confirms from its inbox; its search shows one grouped hit for the child
  correct   千代田区 voids a photo attached to the wrong case (photo=); the CGC no longer sees it;
            a supervisor voids a case registered twice (twice=), which then leaves the search
  meeting   千代田区 and its CGC prepare the 実務者会議: the holder sets 要対協区分 and 支援方針 on its
            case, the CGC prints the meeting list with both authorities' cases (since=)
  expectant 千代田区 registers an expectant mother (特定妊婦) on the case form without a child
            (delivery=); the CGC finds her by her name; after the birth 千代田区 records the child
            on the same case and the CGC finds the child
  hidden, watch, pastalert, destination, totp, report, dismiss
            the casework journeys of Tests/WebTests/BrowserTests.swift (i)–(o), one feature each
  print     the partner CGC opens the print view of a case for a handover meeting: A4 PDF
            (print.pdf), the page as printed (screenshot with print media), 取扱注意 and the
            viewer in the footer

Each saves screenshots of its key pages in ARTEFACT_DIR, prints one JSON line with what it
measured, and exits non-zero with the reason on any failure.
"""
import base64
import hashlib
import hmac
import json
import os
import struct
import sys
import time
import zlib

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as conditions
from selenium.webdriver.support.ui import WebDriverWait


class Browser:
    def __init__(self, base, password, artefacts):
        self.base, self.password, self.artefacts = base, password, artefacts
        os.makedirs(artefacts, exist_ok=True)
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=ja"):
            options.add_argument(argument)
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.wait = WebDriverWait(self.driver, 20)
        self.shots = []

    def quit(self):
        self.driver.quit()

    def shot(self, name, at=None):
        """Saves a screenshot, scrolled to the element `at` (a CSS selector) if given."""
        if at:
            self.driver.execute_script("document.querySelector(arguments[0]).scrollIntoView()", at)
        self.driver.save_screenshot(os.path.join(self.artefacts, name + ".png"))
        self.shots.append(name)

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "main").text

    def expect(self, *needles):
        text = self.text()
        for needle in needles:
            assert needle in text, f"{self.driver.current_url} does not show {needle!r}; it shows: {text[:600]!r}"

    def check_page(self):
        """What every page must be: Japanese, nothing loaded from another origin."""
        assert self.driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ja", f"{self.driver.current_url} is not lang=ja"
        resources = self.driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        foreign = [url for url in resources if not url.startswith(self.base)]
        assert not foreign, f"{self.driver.current_url} loaded from another origin: {foreign}"

    def go(self, path):
        self.driver.get(self.base + path)
        self.wait.until(conditions.presence_of_element_located((By.ID, "main")))
        self.check_page()

    def sign_in(self, login, code=None, lands="q"):
        """Signs in by keyboard only: the login field has focus, Tab to the password, Enter (with
        a second factor's `code` typed in its field first); waits for the element `lands` of
        the page it leads to (the search box)."""
        self.driver.delete_all_cookies()
        self.go("/login")
        active = self.driver.switch_to.active_element
        assert active.get_attribute("id") == "login", f"focus starts on {active.get_attribute('id')!r}, not the login field"
        if code:
            self.driver.find_element(By.ID, "second-factor").send_keys(code)
        active.send_keys(login, Keys.TAB)
        self.driver.switch_to.active_element.send_keys(self.password, Keys.ENTER)
        self.wait.until(conditions.presence_of_element_located((By.ID, lands)))
        self.check_page()

    def left(self, old):
        """Waits until the document that held `old` is gone. (Chromium sometimes answers a look at
        an element of a replaced document with an inspector error instead of "stale".)"""
        def gone(_):
            try:
                old.is_enabled()
                return False
            except WebDriverException:
                return True
        self.wait.until(gone)

    def click(self, selector, confirm=False):
        """Clicks, accepts the confirmation dialog if one is expected, and waits for the next page."""
        element = self.driver.find_element(By.CSS_SELECTOR, selector)
        old = self.driver.find_element(By.TAG_NAME, "html")
        element.click()
        if confirm:
            self.wait.until(conditions.alert_is_present())
            self.driver.switch_to.alert.accept()
        self.left(old)
        self.wait.until(conditions.presence_of_element_located((By.ID, "main")))
        self.check_page()

    def fill(self, fields):
        for name, value in fields.items():
            element = self.driver.find_element(By.NAME, name)
            if element.tag_name == "select":
                element.find_element(By.CSS_SELECTOR, f"option[value='{value}']").click()
            else:
                element.clear()
                element.send_keys(value)

    def image_loaded(self, selector):
        return self.driver.execute_script(
            "const i = document.querySelector(arguments[0]); return !!i && i.complete && i.naturalWidth > 0;", selector)

    def status_of(self, path):
        """The HTTP status a same-origin fetch of `path` gets with this browser's session."""
        return self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch(arguments[0], {credentials: 'same-origin'}).then(r => done(r.status), e => done(String(e)));", path)


def totp(secret, step=None):
    """The RFC 6238 code (SHA-1, 30 s, 6 digits) of a base32 secret at `step` (now by default)."""
    secret = "".join(secret.split()).upper()  # the page groups it in fours
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    step = int(time.time() // 30) if step is None else step
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000:06d}"


def png(path, width=96, height=72):
    """A real PNG (a red bruise-coloured patch on skin tone) to upload as an injury photo."""
    rows = b""
    for y in range(height):
        row = b"\x00"
        for x in range(width):
            inside = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (height / 3) ** 2
            row += bytes((120, 40, 90) if inside else (235, 200, 170))
        rows += row

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as file:
        file.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                   + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return path


def search(browser, options):
    login = options.get("login", "osaka")
    query = options.get("query", "やまだ たろう H30.4.1")
    expected = options.get("expect", "一致|山田 太郎|平成30年4月1日 (2018-04-01)|千代田区").split("|")
    browser.sign_in(login)
    browser.shot("01-search")
    box = browser.driver.switch_to.active_element
    assert box.get_attribute("id") == "q", "the search box does not have focus after sign-in"
    old = browser.driver.find_element(By.TAG_NAME, "html")
    box.send_keys(query)
    started = time.perf_counter()
    box.send_keys(Keys.ENTER)
    browser.left(old)
    browser.wait.until(conditions.presence_of_element_located((By.CSS_SELECTOR, "ol.hits li.hit")))
    rendered_ms = (time.perf_counter() - started) * 1000
    browser.check_page()
    browser.expect(*expected)
    browser.shot("02-results")
    # Keyboard only to open a hit: Tab from the box (through the optional fields' toggle and
    # the button) reaches the first hit's link, and Enter follows it.
    for _ in range(8):
        active = browser.driver.switch_to.active_element
        if "open-record" in (active.get_attribute("class") or "") or "request-link" in (active.get_attribute("class") or ""):
            break
        active.send_keys(Keys.TAB)
    else:
        raise AssertionError("Tab from the search box never reached a hit's link")
    target = active.get_attribute("href")
    old = browser.driver.find_element(By.TAG_NAME, "html")
    active.send_keys(Keys.ENTER)
    browser.left(old)
    browser.wait.until(conditions.presence_of_element_located((By.ID, "main")))
    assert browser.driver.current_url == target, f"Enter on the hit led to {browser.driver.current_url}, not {target}"
    browser.check_page()
    browser.shot("03-opened-hit")
    # Search as you type (app.js): the hits appear in the same document, without Enter.
    browser.go("/search")
    page = browser.driver.find_element(By.TAG_NAME, "html")
    browser.driver.switch_to.active_element.send_keys(query)
    browser.wait.until(conditions.presence_of_element_located((By.CSS_SELECTOR, "#results ol.hits li.hit")))
    assert page == browser.driver.find_element(By.TAG_NAME, "html"), "typing reloaded the page"
    browser.expect(*expected)
    assert "q=" in browser.driver.current_url, "the address does not hold the typed search (back/forward would lose it)"
    browser.shot("04-typed-results")
    # Idle logout (app.js): with the page's clock moved 31 minutes on, the next check signs out.
    browser.driver.execute_script("const real = Date.now; Date.now = () => real() + 31 * 60 * 1000;")
    WebDriverWait(browser.driver, 15).until(lambda driver: "/login?expired=1" in driver.current_url)
    browser.check_page()
    browser.expect("一定時間操作がなかったため、ログアウトしました。")
    browser.shot("05-idle-logout")
    browser.go("/search")
    assert "/login" in browser.driver.current_url, "the session survived the idle logout"
    return {"enter_to_results_ms": round(rendered_ms, 1)}


def request(browser, options):
    case_id = options["case"]
    browser.sign_in("osaka-cgc")
    browser.driver.switch_to.active_element.send_keys("やまだ たろう H30.4.1", Keys.ENTER)
    browser.wait.until(conditions.presence_of_element_located((By.CSS_SELECTOR, "ol.hits li.hit")))
    browser.expect("一致", "山田 太郎", "平成30年4月1日 (2018-04-01)", "千代田区", "概要のみ閲覧可")
    assert not browser.driver.find_elements(By.CSS_SELECTOR, f"a[href='/cases/{case_id}']"), "a summary-only hit links to the record"
    browser.shot("01-summary-hit")
    browser.click(f"a[href='/cases/{case_id}/request']")
    browser.expect("情報提供の依頼", "山田 太郎", "千代田区")
    browser.click("form[action$='/request'] button")  # without a reason: refused, on the page
    browser.expect("依頼の理由を入力してください")
    browser.fill({"reason": "大阪市内の小学校から通告あり。転居前の支援経過を確認したい。"})
    browser.shot("02-request-form")
    browser.click("form[action$='/request'] button")
    browser.expect("情報提供を依頼しました", "千代田区 へ", "回答待ち")
    browser.shot("03-request-sent")

    browser.sign_in("chiyoda")
    browser.go("/requests")
    browser.expect("大阪市児童相談所 から", "転居前の支援経過を確認したい")
    browser.shot("04-holder-requests")
    browser.click("button.approve-request", confirm=True)
    browser.expect("承認しました")

    browser.sign_in("osaka-cgc")
    browser.go("/requests")
    browser.expect("承認")
    browser.click("a.receive-provision")
    browser.click("button.confirm-transfer", confirm=True)
    browser.expect("山田 太郎", "相談経過", "保有機関: 千代田区")
    browser.shot("05-requester-reads-record")

    browser.sign_in("chiyoda")
    browser.go(f"/cases/{case_id}")
    views = browser.driver.find_element(By.ID, "views").text
    assert "大阪市児童相談所" in views and "記録を閲覧" in views and "osaka-cgc@271004-01" in views, f"閲覧履歴 lacks the read: {views!r}"
    browser.shot("06-holder-sees-view", at="#views")
    return {}


def create(browser, options):
    photo = png(os.path.join(browser.artefacts, "injury.png"))
    browser.sign_in("chiyoda")
    browser.go("/cases/new")
    typed = {
        "external_id": "131016-2026-0042", "child.family_name": "佐藤", "child.given_name": "陽菜",
        "child.family_name_kana": "さとう", "child.given_name_kana": "ひな", "child.birthdate": "H31.5.1", "child.sex": "female",
        "guardians[0].relation": "mother", "guardians[0].family_name": "佐藤", "guardians[0].given_name": "美咲",
        "address.prefecture": "東京都", "address.municipality": "千代田区", "address.line": "神田1-2-3",
        "consultation.date": "2026-11-20", "consultation.source": "school", "consultation.assessment": "左腕に複数のあざ。",
    }
    browser.fill(typed)
    browser.driver.find_element(By.CSS_SELECTOR, "input[value='physical']").click()
    browser.driver.find_element(By.ID, "photo").send_keys(photo)
    browser.click("form.case-form button[type=submit]")
    # 平成31年5月1日 does not exist (令和 began that day): the message sits next to the field, the entry stays.
    error = browser.driver.find_element(By.ID, "child_birthdate-error").text
    assert "存在しない日付" in error, f"no Japanese date error next to the field: {error!r}"
    assert browser.driver.find_element(By.NAME, "child.given_name").get_attribute("value") == "陽菜", "the typed name was lost"
    assert browser.driver.find_element(By.NAME, "child.birthdate").get_attribute("value") == "H31.5.1", "the typed date was lost"
    browser.shot("01-impossible-date")
    browser.fill({"child.birthdate": "R1.5.1"})
    browser.driver.find_element(By.ID, "photo").send_keys(photo)
    browser.click("form.case-form button[type=submit]")
    browser.expect("ケースを登録しました", "佐藤 陽菜", "令和元年5月1日 (2019-05-01)", "身体的虐待")
    assert browser.image_loaded("img.thumb"), "the holder's thumbnail did not load"
    case_url = browser.driver.current_url.split("?")[0]
    photo_path = browser.driver.find_element(By.CSS_SELECTOR, "img.thumb").get_attribute("src").replace(browser.base, "")
    browser.shot("02-created-case", at="#attachments")

    browser.sign_in("tokyo-cgc")
    browser.go("/inbox")
    browser.expect("管内で新しいケースが登録されました")
    browser.shot("03-partner-inbox")
    browser.click("ul.inbox button.open-notification")
    assert browser.driver.current_url == case_url, f"the notification led to {browser.driver.current_url}"
    browser.expect("佐藤 陽菜", "左腕に複数のあざ")
    browser.wait.until(lambda _: browser.image_loaded("img.thumb"))
    browser.shot("04-partner-sees-case-and-photo", at="#attachments")

    browser.sign_in("osaka")
    status = browser.status_of(photo_path)
    assert status in (403, 404), f"a municipality elsewhere got {status} for the photo's URL"
    browser.driver.get(browser.base + photo_path)
    browser.shot("05-elsewhere-refused-photo")
    case_status = browser.status_of(case_url.replace(browser.base, ""))
    assert case_status in (403, 404), f"a municipality elsewhere got {case_status} for the case page"
    return {"photo_status_elsewhere": status, "case_status_elsewhere": case_status}


def alert(browser, options):
    case_id = options["case"]
    photo = png(os.path.join(browser.artefacts, "child.png"))
    browser.sign_in("tokyo-cgc")
    browser.go(f"/cases/{case_id}")
    browser.fill({"circumstances": "11月24日夕方、下校後に帰宅せず。青いランドセル、黄色の帽子。"})
    browser.driver.find_element(By.ID, "alert-photo").send_keys(photo)
    browser.click("form[action$='/alert'] button", confirm=True)
    browser.expect("照会を全国の児童相談所に発出しました", "発出中")
    alert_url = browser.driver.current_url.split("?")[0]
    browser.shot("01-alert-raised")

    browser.sign_in("osaka-cgc")
    browser.go("/inbox")
    browser.expect("行方不明児童の照会が発出されました")
    browser.click("ul.inbox button.open-notification")
    assert browser.driver.current_url == alert_url, f"the notification led to {browser.driver.current_url}"
    browser.wait.until(lambda _: browser.image_loaded("img.photo"))
    browser.shot("02-other-cgc-sees-alert")
    browser.fill({"kind": "located", "text": "11月25日 8時、大阪駅の交番で保護。けがなし。"})
    browser.click("form[action$='/respond'] button")
    browser.expect("発出元の児童相談所に伝えました", "所在確認", "大阪駅の交番で保護")

    browser.sign_in("tokyo-cgc")
    browser.driver.get(alert_url)
    browser.expect("所在確認", "大阪市児童相談所", "閲覧した児童相談所")
    browser.shot("03-originator-sees-answer")
    browser.click("#close-alert", confirm=True)
    browser.expect("照会を終了しました")
    browser.driver.get(alert_url)
    browser.expect("終了")
    browser.shot("04-alert-closed")

    browser.sign_in("osaka-cgc")
    status = browser.status_of(alert_url.replace(browser.base, ""))
    assert status in (403, 404), f"another CGC still reads a closed alert ({status})"
    return {}


def transfer(browser, options):
    case_id = options["case"]
    browser.sign_in("chiyoda")
    browser.go(f"/cases/{case_id}")
    browser.fill({"destination": "大阪市", "kind": "transfer", "reason": "一家が大阪市へ転居（転出届 11月20日）。"})
    browser.shot("01-transfer-form")
    browser.click("form[action$='/transfer'] button", confirm=True)
    browser.expect("移管を依頼しました", "千代田区 → 大阪市", "送付済み")
    browser.shot("02-transfer-sent")

    browser.sign_in("osaka")
    browser.go("/transfers")
    browser.expect("千代田区 → 大阪市", "一家が大阪市へ転居")
    browser.shot("03-destination-incoming")
    browser.click("button.confirm-transfer", confirm=True)
    browser.expect("受け入れました", "保有機関: 大阪市", "山田 太郎")
    browser.click("#edit-case")
    browser.fill({"address.prefecture": "大阪府", "address.municipality": "大阪市", "address.line": "北区梅田1-1-1"})
    browser.shot("04-destination-edits")
    browser.click("form.case-form button[type=submit]")
    browser.expect("保存しました", "大阪府 大阪市 北区梅田1-1-1")
    browser.shot("05-destination-saved")

    browser.sign_in("chiyoda")
    status = browser.status_of(f"/cases/{case_id}")
    assert status == 403, f"the former holder got {status} for the moved case's page"
    return {"former_holder_status": status}


def search_for(browser, query):
    """Searches from the search page and waits for the hits."""
    browser.go("/search")
    box = browser.driver.find_element(By.ID, "q")
    old = browser.driver.find_element(By.TAG_NAME, "html")
    box.send_keys(query, Keys.ENTER)
    browser.left(old)
    browser.wait.until(conditions.presence_of_element_located((By.ID, "main")))
    browser.check_page()


def link(browser, options):
    case_id, other = options["case"], options["other"]
    browser.sign_in("chiyoda")
    browser.go(f"/cases/{case_id}")
    browser.driver.find_element(By.ID, "link-case").send_keys(other)
    browser.shot("01-link-form", at="#links")
    browser.click("form[action$='/links'] button")
    browser.expect("連携を相手機関に依頼しました", "相手機関の確認待ち")

    browser.sign_in("tokyo-cgc")
    browser.go("/inbox")
    browser.expect("同一児童の記録としての連携の依頼が届きました")
    browser.shot("02-cgc-inbox")
    browser.go(f"/cases/{other}")
    browser.shot("03-cgc-asked", at="#links")
    browser.click("form[action$='/confirm'] button")
    browser.expect("連携の状態を更新しました", "連携済み")
    search_for(browser, "やまだ たろう 2018-04-01")
    browser.expect("同一児童として連携された他機関の記録")
    hits = browser.driver.find_elements(By.CSS_SELECTOR, "ol.hits > li.hit")
    mentioning = [hit for hit in hits if case_id in hit.get_attribute("innerHTML") or other in hit.get_attribute("innerHTML")]
    assert len(mentioning) == 1, f"the two linked records are in {len(mentioning)} hits, not one grouped hit"
    browser.shot("04-grouped-hit", at=".linked-records")
    return {"grouped_hits": len(mentioning)}


def correct(browser, options):
    case_id, photo, twice = options["case"], options["photo"], options["twice"]
    browser.sign_in("chiyoda")
    browser.go(f"/cases/{case_id}")
    browser.driver.find_element(By.ID, f"void-{photo}").send_keys("別の児童の写真")
    browser.shot("01-void-photo", at="#attachments")
    browser.click(f"form[action='/attachments/{photo}/void'] button", confirm=True)
    browser.expect("添付ファイルを取り消しました")
    assert "ケースの取消" not in browser.text(), "a worker is offered the case void"

    browser.sign_in("tokyo-cgc")
    browser.go(f"/cases/{case_id}")
    assert photo not in browser.driver.page_source, "the voided photo is still on the partner's page"
    status = browser.status_of(f"/attachments/{photo}")
    assert status == 404, f"the voided photo answered {status}"
    browser.shot("02-partner-without-photo", at="#attachments")

    browser.sign_in("chiyoda-admin")
    browser.go(f"/cases/{twice}")
    browser.driver.find_element(By.ID, "void-case").send_keys("二重登録")
    browser.shot("03-void-case", at="#void")
    browser.click(f"form[action='/cases/{twice}/void'] button", confirm=True)
    browser.expect("ケースを取り消しました")
    assert browser.status_of(f"/cases/{twice}") == 404, "the voided case still opens"
    search_for(browser, "やまだ じろう 2018-04-01")
    assert twice not in browser.driver.page_source, "the voided case is still a search hit"
    browser.shot("04-search-without-case")
    return {"photo_status": status}


def meeting(browser, options):
    case_id, since = options["case"], options["since"]
    browser.sign_in("chiyoda")
    browser.go(f"/cases/{case_id}")
    browser.fill({"category": "protected", "risk": "high", "plan": "週1回の家庭訪問と学校での見守り"})
    browser.shot("01-progress-form", at="#progress")
    browser.click("form[action$='/progress'] button")
    browser.expect("週1回の家庭訪問と学校での見守り")

    browser.sign_in("tokyo-cgc")
    browser.go(f"/caseload/meeting?since={since}")
    browser.expect("山田 太郎", "千代田区", "方針変更", "週1回の家庭訪問と学校での見守り")
    rows = browser.driver.find_elements(By.CSS_SELECTOR, "table.meeting tbody tr")
    holders = {row.find_elements(By.TAG_NAME, "td")[2].text.split("\n")[0] for row in rows}
    assert len(holders) >= 2, f"the meeting list shows the cases of {holders} only"
    browser.shot("02-meeting-list")
    return {"meeting_rows": len(rows), "holders": sorted(holders)}


def expectant(browser, options):
    browser.sign_in("chiyoda")
    browser.go("/cases/new")
    browser.fill({
        "external_id": "131016-2026-T01", "expected_delivery": options["delivery"],
        "guardians[0].relation": "mother", "guardians[0].family_name": "植田", "guardians[0].given_name": "沙希",
        "guardians[0].family_name_kana": "うえだ", "guardians[0].given_name_kana": "さき", "guardians[0].birthdate": "H16.2.11",
        "address.prefecture": "東京都", "address.municipality": "千代田区",
    })
    browser.shot("01-expectant-form")
    browser.click("form.case-form button[type=submit]")
    browser.expect("ケースを登録しました", "特定妊婦", "植田 沙希")
    case_url = browser.driver.current_url.split("?")[0].split("#")[0]
    browser.shot("02-expectant-case")

    browser.sign_in("tokyo-cgc")
    search_for(browser, "うえだ さき H16.2.11")
    assert case_url.rsplit("/", 1)[1] in browser.driver.page_source, "the CGC does not find the expectant mother"
    browser.shot("03-found-by-mother")

    browser.sign_in("chiyoda")
    browser.driver.get(case_url + "/edit")
    browser.wait.until(conditions.presence_of_element_located((By.ID, "main")))
    browser.fill({"child.given_name": "陽葵", "child.given_name_kana": "ひまり", "child.birthdate": options["born"], "child.sex": "female"})
    browser.click("form.case-form button[type=submit]")
    browser.expect("植田 陽葵")
    browser.shot("04-birth-recorded")

    browser.sign_in("tokyo-cgc")
    search_for(browser, f"うえだ ひまり {options['born']}")
    browser.expect("植田 陽葵", "一致")
    assert case_url.rsplit("/", 1)[1] in browser.driver.page_source, "the child is not found on the same case"
    browser.shot("05-child-found")
    return {}


def hidden(browser, options):
    case_id = options["case"]
    browser.sign_in("tokyo-cgc")
    browser.go(f"/cases/{case_id}")
    browser.expect("父が単身赴任中")
    browser.sign_in("chiyoda-admin")
    browser.go("/settings")
    browser.driver.find_element(By.CSS_SELECTOR, "input[name='hidden.partner'][value='family_situation']").click()
    browser.shot("01-hide-from-partner")
    browser.click("form[action='/settings'] button[type=submit]")
    browser.expect("設定を保存しました")
    browser.sign_in("tokyo-cgc")
    for path in (f"/cases/{case_id}", f"/cases/{case_id}/print"):
        browser.go(path)
        assert "父が単身赴任中" not in browser.driver.page_source, f"{path} still shows the hidden field to the partner"
    browser.go(f"/cases/{case_id}")
    browser.expect("保有機関の設定により表示されない項目: 家庭の状況")
    browser.shot("02-partner-without-field")
    browser.sign_in("chiyoda")
    browser.go(f"/cases/{case_id}")
    browser.expect("父が単身赴任中")
    return {}


def watch(browser, options):
    case_id = options["case"]
    browser.sign_in("chiyoda")
    browser.go(f"/cases/{case_id}")
    browser.driver.find_element(By.CSS_SELECTOR, "input[name='watch']").click()
    browser.shot("01-watch", at="#watch")
    browser.click("form[action$='/watch'] button")
    browser.expect("閲覧通知の設定を保存しました")
    browser.sign_in("tokyo-cgc")
    browser.go(f"/cases/{case_id}")
    browser.expect("山田 太郎")
    browser.sign_in("chiyoda")
    browser.go("/inbox")
    browser.expect("閲覧通知の対象ケースを他機関が閲覧しました", "tokyo-cgc")
    browser.shot("02-holder-told")
    return {}


def past_alert(browser, options):
    browser.sign_in("osaka-cgc")
    browser.go("/alerts")
    assert "山田 花" not in browser.driver.find_element(By.TAG_NAME, "main").text.split("過去の照会を検索")[0], "a closed alert is listed as open"
    browser.shot("00-alerts", at="#past")
    browser.driver.find_element(By.ID, "past-name").send_keys("山田 花")
    browser.click("form[action='/alerts#past'] button")
    table = browser.driver.find_element(By.ID, "past-results").text
    assert "山田" in table and "東京都児童相談センター" in table and "所在確認: 大阪市児童相談所" in table, f"the past alert is not listed with the CGC that located the child: {table!r}"
    browser.shot("01-past-alert-found", at="#past-results")
    return {"rows": len(browser.driver.find_elements(By.CSS_SELECTOR, "#past-results tbody tr"))}


def destination(browser, options):
    case_id = options["case"]
    browser.sign_in("osaka")
    browser.go("/transfers")
    browser.shot("01-incoming")
    browser.click(f"a[href='/cases/{case_id}']")
    browser.expect("山田 太郎", "保有機関: 千代田区")
    assert not browser.driver.find_elements(By.ID, "edit-case"), "the destination may edit before confirming"
    browser.shot("02-read-before-confirming")
    browser.sign_in("chiyoda")
    browser.go(f"/cases/{case_id}")
    views = browser.driver.find_element(By.ID, "views").text
    assert "大阪市" in views, f"the holder's 閲覧履歴 lacks the destination's read: {views!r}"
    return {}


def second_factor(browser, options):
    browser.sign_in("chiyoda-admin")
    browser.go("/settings")
    browser.driver.find_element(By.NAME, "second_factor_required").click()
    browser.click("form[action='/settings'] button[type=submit]")
    browser.expect("設定を保存しました")

    browser.sign_in("chiyoda", lands="main")
    assert browser.driver.current_url.endswith("/account/second-factor"), f"signed in to {browser.driver.current_url}"
    browser.expect("二要素認証が必須")
    browser.shot("01-must-enrol")
    browser.click("form[action='/account/second-factor'] button")
    secret = browser.driver.find_element(By.ID, "totp-secret").text.strip()
    step = int(time.time() // 30)
    browser.driver.find_element(By.ID, "totp-code").send_keys(totp(secret, step))
    browser.shot("02-secret-and-code")
    browser.click("form[action='/account/second-factor/confirm'] button")
    codes = browser.driver.find_elements(By.CSS_SELECTOR, "#recovery-codes li")
    assert len(codes) == 10, f"{len(codes)} recovery codes shown"
    browser.shot("03-recovery-codes")

    # Without the code the sign-in stops at the login form; with the next code it goes through.
    browser.driver.delete_all_cookies()
    browser.go("/login")
    browser.driver.find_element(By.ID, "login").send_keys("chiyoda", Keys.TAB)
    old = browser.driver.find_element(By.TAG_NAME, "html")
    browser.driver.switch_to.active_element.send_keys(browser.password, Keys.ENTER)
    browser.left(old)
    browser.wait.until(conditions.presence_of_element_located((By.ID, "main")))
    browser.expect("確認コード")
    browser.shot("04-code-asked")
    browser.sign_in("chiyoda", code=totp(secret, step + 1))
    return {"recovery_codes": len(codes)}


def report(browser, options):
    report_id = options["report"]
    browser.sign_in("ministry", code=options["code"])
    browser.go(f"/reports/{report_id}")
    browser.expect("提出期限", "合計", "未提出の機関", "児童福祉司数")
    browser.shot("01-report-summary")
    browser.click(f"form[action='/reports/{report_id}/remind'] button", confirm=True)
    browser.expect("未提出の機関に督促を送りました")
    browser.shot("02-reminded")
    return {}


def dismiss(browser, options):
    browser.sign_in("chiyoda")
    browser.go("/inbox")
    browser.expect("他機関のケースと一致する可能性があります")
    browser.shot("01-match-in-inbox")
    browser.click("form[action$='/dismiss'] button", confirm=True)
    browser.shot("02-dismissed")
    return {}


def print_view(browser, options):
    import base64
    from selenium.webdriver.common.print_page_options import PrintOptions

    case_id = options["case"]
    browser.sign_in("tokyo-cgc")
    browser.go(f"/cases/{case_id}")
    browser.click("#print-case")
    browser.expect("取扱注意", "ケース記録（移管面談用）", "山田 太郎", "相談経過", "記録メモ（古い順）")
    footer = browser.driver.find_element(By.CSS_SELECTOR, ".print-footer").text
    assert "取扱注意" in footer and "tokyo-cgc" in footer and "出力日時: 令和" in footer, f"footer: {footer!r}"
    browser.shot("01-print-view-screen")
    # The page as it prints: print media emulated, then the real PDF on A4.
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    hidden = browser.driver.execute_script("return getComputedStyle(document.querySelector('.print-controls')).display")
    assert hidden == "none", f"the print button shows on paper (display: {hidden})"
    position = browser.driver.execute_script("return getComputedStyle(document.querySelector('.print-footer')).position")
    assert position == "fixed", f"the footer does not repeat on every sheet (position: {position})"
    browser.shot("02-print-media")
    settings = PrintOptions()
    settings.page_width, settings.page_height = 21.0, 29.7
    pdf = base64.b64decode(browser.driver.print_page(settings))
    with open(os.path.join(browser.artefacts, "print.pdf"), "wb") as file:
        file.write(pdf)
    assert pdf.startswith(b"%PDF"), "no PDF"
    sheets = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    # A4 in points: 595 x 842.
    assert b"/MediaBox [0 0 595" in pdf or b"/MediaBox [0 0 594" in pdf, "the PDF is not A4"
    return {"pdf_bytes": len(pdf), "sheets": sheets}


def import_sheet(browser, options):
    import csv
    import io
    downloads = os.path.join(browser.artefacts, "downloads")
    os.makedirs(downloads, exist_ok=True)
    browser.driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    browser.sign_in("chiyoda")
    browser.go("/import")
    browser.shot("01-import-page")
    browser.driver.find_element(By.ID, "template-link").click()
    deadline = time.time() + 20
    while time.time() < deadline and not [f for f in os.listdir(downloads) if f.endswith(".csv")]:
        time.sleep(0.2)
    template = [f for f in os.listdir(downloads) if f.endswith(".csv")]
    assert template, "the template was not downloaded"
    with open(os.path.join(downloads, template[0]), encoding="utf-8-sig") as file:
        headings = next(csv.reader(file))
    assert headings[:3] == ["記録番号", "状態", "児童氏名"], f"template headings {headings[:5]}"

    def sheet(birthdate):
        rows = [
            {"記録番号": "B-101", "児童氏名": "森 大和", "ふりがな": "もり やまと", "生年月日": "平成30年5月5日", "性別": "男",
             "住所": "千代田区神田1-1", "保護者1続柄": "母", "保護者1氏名": "森 さくら", "相談日": "令和8年11月2日", "虐待種別": "ネグレクト"},
            {"記録番号": "B-102", "児童氏名": "林 結愛", "ふりがな": "はやし ゆあ", "生年月日": birthdate, "性別": "女",
             "住所": "千代田区丸の内1-1", "相談日": "令和8年11月3日", "虐待種別": "心理的虐待"},
        ]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=headings, lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
        path = os.path.join(browser.artefacts, "cases.csv")
        with open(path, "wb") as file:
            file.write(out.getvalue().encode("cp932"))
        return path

    def upload(path):
        browser.driver.find_element(By.ID, "import-file").send_keys(path)
        browser.click("#import-submit")

    upload(sheet("平成31年5月1日"))
    browser.expect("1件の誤りがあります", "3行目", "生年月日", "平成31年5月1日は存在しない日付です")
    browser.shot("02-import-report", at="#import-problems")
    browser.go("/import")
    upload(sheet("令和元年5月1日"))
    browser.expect("2件のケースを登録しました")
    browser.shot("03-import-done")

    browser.sign_in("tokyo-cgc")
    browser.go("/inbox")
    text = browser.text()
    new_cases = text.count("管内で新しいケースが登録されました")
    assert new_cases >= 2, f"the partner CGC's inbox shows {new_cases} new cases: {text[:500]!r}"
    browser.shot("04-partner-inbox")
    return {"partner_notifications": new_cases}


def listcheck(browser, options):
    browser.sign_in("chiyoda")
    browser.go("/search/batch")
    browser.shot("01-list-check-form")
    browser.driver.find_element(By.ID, "list-file").send_keys(options["file"])
    browser.click("#list-check")
    browser.expect("5人中3人に該当する記録があります", "大阪市（大阪府）", "札幌市（北海道）", "田中 翼")
    browser.shot("02-list-check-results", at="#list-results")
    rows = browser.driver.find_elements(By.CSS_SELECTOR, "table.list tbody tr")
    assert len(rows) == 5, f"{len(rows)} result rows"
    found = sum(1 for row in rows if row.find_elements(By.CSS_SELECTOR, ".grade"))
    return {"found": found}


JOURNEYS = {"search": search, "request": request, "create": create, "alert": alert, "transfer": transfer, "print": print_view, "listcheck": listcheck, "import": import_sheet,
            "link": link, "correct": correct, "meeting": meeting, "expectant": expectant,
            "hidden": hidden, "watch": watch, "pastalert": past_alert, "destination": destination, "totp": second_factor, "report": report,
            "dismiss": dismiss}


def main():
    journey, base, password, artefacts = sys.argv[1:5]
    options = dict(argument.split("=", 1) for argument in sys.argv[5:])
    browser = Browser(base, password, artefacts)
    try:
        measured = JOURNEYS[journey](browser, options)
        print(json.dumps({"journey": journey, "screenshots": browser.shots, **measured}, ensure_ascii=False))
    except (AssertionError, TimeoutException) as failure:
        browser.shot("failure")
        sys.exit(f"journey {journey} failed at {browser.driver.current_url}: {failure!r}")
    finally:
        browser.quit()


if __name__ == "__main__":
    main()
