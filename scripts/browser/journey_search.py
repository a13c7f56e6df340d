#!/usr/bin/python3
"""Browser journey in headless Chromium (Debian's chromium and chromium-driver, Selenium):
an intake worker signs in and searches, by keyboard only, in hiragana with a 和暦 birthdate.

Usage: journey_search.py BASE_URL LOGIN PASSWORD ARTEFACT_DIR
Prints one JSON line with what it measured; exits non-zero (with the reason) on any failure.
"""
import json
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as conditions
from selenium.webdriver.support.ui import WebDriverWait


def main():
    base, login, password, artefacts = sys.argv[1:5]
    os.makedirs(artefacts, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=ja"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    wait = WebDriverWait(driver, 20)
    try:
        driver.get(base + "/")
        wait.until(conditions.presence_of_element_located((By.ID, "login")))
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ja", "the page is not lang=ja"
        driver.save_screenshot(os.path.join(artefacts, "01-login.png"))
        # Keyboard only: the login field has focus; Tab to the password; Enter submits.
        active = driver.switch_to.active_element
        assert active.get_attribute("id") == "login", f"focus starts on {active.get_attribute('id')!r}, not the login field"
        active.send_keys(login, Keys.TAB)
        driver.switch_to.active_element.send_keys(password, Keys.ENTER)
        wait.until(conditions.presence_of_element_located((By.ID, "q")))
        box = driver.switch_to.active_element
        assert box.get_attribute("id") == "q", "the search box does not have focus after sign-in"
        box.send_keys("やまだ たろう H30.4.1")
        started = time.perf_counter()
        box.send_keys(Keys.ENTER)
        wait.until(conditions.presence_of_element_located((By.CSS_SELECTOR, "ol.hits li.hit")))
        rendered_ms = (time.perf_counter() - started) * 1000
        text = driver.find_element(By.TAG_NAME, "main").text
        for expected in ("一致", "山田 太郎", "平成30年4月1日 (2018-04-01)", "千代田区"):
            assert expected in text, f"the results do not show {expected!r}"
        driver.save_screenshot(os.path.join(artefacts, "02-results.png"))
        resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        foreign = [url for url in resources if not url.startswith(base)]
        assert not foreign, f"loaded from another origin: {foreign}"
        print(json.dumps({"enter_to_results_ms": round(rendered_ms, 1), "resources": len(resources)}))
    except Exception:
        driver.save_screenshot(os.path.join(artefacts, "failure.png"))
        print(f"at {driver.current_url}: {driver.find_element(By.TAG_NAME, 'body').text[:500]}", file=sys.stderr)
        raise
    finally:
        driver.quit()


if __name__ == "__main__":
    try:
        main()
    except AssertionError as failure:
        sys.exit(f"journey failed: {failure}")
