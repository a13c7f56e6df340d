import Foundation
import MimamoriTesting
import Query
import Store
import Testing

@testable import Web

/// The staff web UI's pages through the real server (the browser journeys come with Chromium).
@Suite(.serialized)
struct WebPageTests {
    static func cookie(of reply: RawHTTPClient.Reply) -> String? {
        APIFixture.header("Set-Cookie", of: reply)?.split(separator: ";").first.map(String.init)
    }

    static func form(_ f: APIFixture, _ path: String, _ body: String, headers: [String] = []) throws -> RawHTTPClient.Reply {
        try f.send("POST", path, headers: headers, body: Array(body.utf8), contentType: "application/x-www-form-urlencoded")
    }

    /// What every page must be: Japanese, strict headers, nothing from another origin, labelled fields.
    static func expectSound(_ reply: RawHTTPClient.Reply, _ page: String) {
        #expect(reply.body.contains(#"<html lang="ja">"#), "\(page)")
        let csp = APIFixture.header("Content-Security-Policy", of: reply) ?? ""
        #expect(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "\(page)")
        #expect(APIFixture.header("X-Content-Type-Options", of: reply) == "nosniff", "\(page)")
        #expect(APIFixture.header("Referrer-Policy", of: reply) == "same-origin", "\(page)")
        #expect(!reply.body.contains("<script>") && !reply.body.contains(" style=") && !reply.body.contains(" onclick="), "\(page)")
        for attribute in ["src=\"", "href=\"", "action=\""] {
            for part in reply.body.components(separatedBy: attribute).dropFirst() {
                #expect(part.hasPrefix("/") || part.hasPrefix("#"), "\(page): \(attribute)\(part.prefix(40))")
            }
        }
        // Every input and select has a label.
        for id in reply.body.components(separatedBy: "<input id=\"").dropFirst().map({ String($0.prefix { $0 != "\"" }) })
            + reply.body.components(separatedBy: "<select id=\"").dropFirst().map({ String($0.prefix { $0 != "\"" }) })
        {
            #expect(reply.body.contains("<label for=\"\(id)\">"), "\(page): #\(id) has no label")
        }
    }

    @Test("sign in with the form, search in hiragana with a 和暦 birthdate, see graded hits in both calendars, sign out")
    func signInSearchSignOut() throws {
        let f = try APIFixture()
        let root = try f.send("GET", "/")
        #expect(root.status == 303 && APIFixture.header("Location", of: root) == "/login")
        let login = try f.send("GET", "/login")
        #expect(login.status == 200)
        Self.expectSound(login, "/login")

        let wrong = try Self.form(f, "/login", "login=osaka&password=nope")
        #expect(wrong.status == 401 && wrong.body.contains("ログインIDまたはパスワードが正しくありません") && wrong.body.contains(#"value="osaka""#))
        let forged = try Self.form(f, "/login", "login=osaka&password=x", headers: ["Origin: http://evil.example"])
        #expect(forged.status == 403)
        let signedIn = try Self.form(f, "/login", "login=osaka&password=" + APIFixture.password.replacingOccurrences(of: " ", with: "+"))
        #expect(signedIn.status == 303 && APIFixture.header("Location", of: signedIn) == "/search")
        let cookie = try #require(Self.cookie(of: signedIn))

        let empty = try f.send("GET", "/search", headers: ["Cookie: \(cookie)"])
        #expect(empty.status == 200 && empty.body.contains("大阪市"))
        Self.expectSound(empty, "/search")
        let q = "やまだ たろう H30.4.1".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let results = try f.send("GET", "/search?q=\(q)", headers: ["Cookie: \(cookie)"])
        #expect(results.status == 200)
        Self.expectSound(results, "/search?q=")
        #expect(results.body.contains("一致") && results.body.contains("山田 太郎"))
        #expect(results.body.contains("平成30年4月1日 (2018-04-01)"))
        #expect(results.body.contains("千代田区") && results.body.contains("概要のみ閲覧可"))
        #expect(!results.body.contains("連絡先: ）"))
        #expect(results.body.contains("一致した理由: 読み ヤマダ、読み タロウ、生年月日 2018-04-01"))
        // No link to a record it may not open; a link to ask its holder for it instead.
        #expect(!results.body.contains("href=\"/cases/\(f.caseID)\""))
        #expect(results.body.contains("href=\"/cases/\(f.caseID)/request\""))

        // The holder gets the link; a bad date is explained on the page, with the entry kept.
        let holder = try #require(
            Self.cookie(of: try Self.form(f, "/login", "login=chiyoda&password=" + APIFixture.password.replacingOccurrences(of: " ", with: "+"))))
        #expect(try f.send("GET", "/search?q=\(q)", headers: ["Cookie: \(holder)"]).body.contains("/cases/\(f.caseID)"))
        let bad = try f.send("GET", "/search?birthdate=H31.5.1", headers: ["Cookie: \(holder)"])
        #expect(bad.status == 400 && bad.body.contains("検索条件を確認してください") && bad.body.contains(#"value="H31.5.1""#))

        // Sign-out needs the page's CSRF token.
        #expect(try Self.form(f, "/logout", "csrf_token=wrong", headers: ["Cookie: \(cookie)"]).status == 403)
        let csrf = try #require(empty.body.components(separatedBy: #"name="csrf_token" value=""#).dropFirst().first?.prefix(64))
        let out = try Self.form(f, "/logout", "csrf_token=\(csrf)", headers: ["Cookie: \(cookie)"])
        #expect(out.status == 303 && APIFixture.header("Location", of: out) == "/login")
        #expect(try f.send("GET", "/search", headers: ["Cookie: \(cookie)"]).status == 303)
    }

    @Test("every kind of match reason has a sample below")
    func everyReasonHasASample() {
        #expect(Set(Self.reasons.map { ReasonKind($0.reason) }) == Set(ReasonKind.allCases))
    }

    @Test("every reason the search gives is shown in Japanese, and written in the API's English as before", arguments: WebPageTests.reasons)
    func reasonsInJapanese(reason: MatchReason, english: String, japanese: String) {
        #expect(reason.description == english)
        #expect(Reasons.japanese(reason) == japanese)
        // Only the names, readings and romaji the reason carries may be in Latin letters.
        let wording = Self.data(in: reason).reduce(Reasons.japanese(reason)) { $0.replacingOccurrences(of: $1, with: "") }
        #expect(!wording.contains { $0.isASCII && $0.isLetter }, "\(wording)")
    }

    private static func date(_ iso: String) -> PartialDate { try! PartialDate(parsing: iso) }

    /// One reason of each kind (and the variants of a few) with its English, which scripts
    /// read from the API, and its Japanese.
    static let reasons: [(reason: MatchReason, english: String, japanese: String)] = [
        (.name("山田"), "name 山田", "氏名 山田"),
        (.fullName(family: "山田", given: "太郎"), "name 山田 太郎", "氏名 山田 太郎"),
        (.variantName("斎藤", changes: [.init(variant: "齋", canonical: "斎")]), "name 斎藤 (齋→斎)", "氏名 斎藤 (齋→斎)"),
        (.variantName("斎藤", changes: []), "name 斎藤", "氏名 斎藤"),
        (.reading("サイトウ"), "reading サイトウ", "読み サイトウ"),
        (.guessedReading("サイトウ"), "reading サイトウ (from the name dictionary)", "読み サイトウ（人名辞書による推定）"),
        (.fullNameReading(family: "ヤマダ", given: "タロウ"), "reading ヤマダ タロウ", "読み ヤマダ タロウ"),
        (
            .readingWithSimilarKanji(reading: "サイトウ", kanji: [.init(query: "斉", recorded: "斎")]),
            "reading サイトウ; similar kanji 斉≈斎, a different character", "読み サイトウ、似た漢字 斉≈斎（別の字）"
        ),
        (.readingWithDifferentKanji(reading: "サトウ", recorded: "佐東"), "reading サトウ; kanji differ: 佐東", "読み サトウ、漢字が異なる（記録は佐東）"),
        (.similarKanji([.init(query: "斉", recorded: "斎")]), "similar kanji 斉≈斎 (a different character)", "似た漢字 斉≈斎（別の字）"),
        (
            .similarKanji([.init(query: "斉", recorded: "斎"), .init(query: "沢", recorded: "澤")]),
            "similar kanji 斉≈斎, 沢≈澤 (a different character)", "似た漢字 斉≈斎, 沢≈澤（別の字）"
        ),
        (.romajiReading(reading: "タロウ", romaji: "TARO"), "reading タロウ = TARO", "読み タロウ ＝ TARO（ローマ字）"),
        (.longVowelReading(query: "オオノ", recorded: "オノ"), "reading オオノ ≈ オノ (long vowel)", "読み オオノ ≈ オノ（長音の違い）"),
        (.nameStartsWith("山"), "name starts with 山", "氏名が「山」で始まる"),
        (.readingStartsWith(reading: "ヤマダタロウ", prefix: "ヤマダ"), "reading ヤマダタロウ starts with ヤマダ", "読み ヤマダタロウ が「ヤマダ」で始まる"),
        (.nameContains("太"), "name contains 太", "氏名に「太」を含む"),
        (.readingNotRecorded("寿一"), "name 寿一 (no reading recorded to compare)", "氏名 寿一（読みの記録がなく照合できない）"),
        (
            .composedReading(reading: "コハル", kanji: [.init(kanji: "心", reading: "コ"), .init(kanji: "晴", reading: "ハル")]),
            "reading コハル read from the kanji 心=コ 晴=ハル (no reading recorded)", "読み コハル（記録に読みがなく、漢字ごとの読み 心=コ 晴=ハル から推定）"
        ),
        (.birthdate(date("2018-04-01")), "birthdate 2018-04-01", "生年月日 2018-04-01"),
        (.birthdateFits(recorded: date("2018-03-28"), query: date("2018")), "birthdate 2018-03-28 fits 2018", "生年月日 2018-03-28（2018と整合）"),
        (.birthdateDiffers(recorded: date("2018-04-02")), "birthdate differs (2018-04-02)", "生年月日が異なる（記録は2018-04-02）"),
        (.birthdateSlip(recorded: date("2018-04-07"), slip: .oneDigit), "birthdate 2018-04-07 (one digit differs)", "生年月日 2018-04-07（1桁違い）"),
        (
            .birthdateSlip(recorded: date("2018-01-04"), slip: .dayMonthSwapped), "birthdate 2018-01-04 (day and month swapped)",
            "生年月日 2018-01-04（月と日の入れ違い）"
        ),
        (.birthdateSlip(recorded: date("2017-04-01"), slip: .neighbouringYear), "birthdate 2017-04-01 (a year apart)", "生年月日 2017-04-01（1年違い）"),
        (
            .birthdateSlip(recorded: date("1990-04-01"), slip: .eraYear), "birthdate 1990-04-01 (the same year of another era)",
            "生年月日 1990-04-01（元号の取り違え）"
        ),
        (.birthdateNotRecorded, "birthdate not recorded", "生年月日の記録なし"),
        (.birthdateInRange(date("2018-04-01")), "birthdate 2018-04-01 in range", "生年月日 2018-04-01（範囲内）"),
        (.sexDiffers, "sex differs", "性別が異なる"),
        (.guardian(.name("山田")), "guardian name 山田", "保護者の氏名 山田"),
        (
            .transcription(query: "ニュエン", recorded: "NGUYEN"), "ニュエン ≈ NGUYEN (another transcription of a foreign name)",
            "ニュエン ≈ NGUYEN（外国人名の別表記）"
        ),
        (
            .guardian(.readingWithDifferentKanji(reading: "サトウ", recorded: "佐東")),
            "guardian reading サトウ; kanji differ: 佐東", "保護者の読み サトウ、漢字が異なる（記録は佐東）"
        ),
        (.guardian(.romajiReading(reading: "ハナコ", romaji: "HANAKO")), "guardian reading ハナコ = HANAKO", "保護者の読み ハナコ ＝ HANAKO（ローマ字）"),
    ]

    /// The text a reason carries (names, readings, romaji, kanji): data, in whatever script it
    /// was written.
    private static func data(in value: Any) -> [String] {
        if let text = value as? String { return [text] }
        if let character = value as? Character { return [String(character)] }
        return Mirror(reflecting: value).children.flatMap { data(in: $0.value) }
    }

    /// The kinds of `MatchReason`. A new kind stops `init` compiling until it is listed here,
    /// and then `everyReasonHasASample` fails until it has a sample.
    enum ReasonKind: CaseIterable {
        case name, fullName, variantName, reading, guessedReading, fullNameReading, readingWithSimilarKanji
        case readingWithDifferentKanji, similarKanji, romajiReading, longVowelReading, transcription, nameStartsWith
        case readingStartsWith, nameContains, readingNotRecorded, composedReading, birthdate, birthdateFits, birthdateDiffers, birthdateSlip,
            birthdateNotRecorded
        case birthdateInRange, sexDiffers, guardian

        init(_ reason: MatchReason) {
            self =
                switch reason {
                case .name: .name
                case .fullName: .fullName
                case .variantName: .variantName
                case .reading: .reading
                case .guessedReading: .guessedReading
                case .fullNameReading: .fullNameReading
                case .readingWithSimilarKanji: .readingWithSimilarKanji
                case .readingWithDifferentKanji: .readingWithDifferentKanji
                case .similarKanji: .similarKanji
                case .romajiReading: .romajiReading
                case .longVowelReading: .longVowelReading
                case .transcription: .transcription
                case .nameStartsWith: .nameStartsWith
                case .readingStartsWith: .readingStartsWith
                case .nameContains: .nameContains
                case .readingNotRecorded: .readingNotRecorded
                case .composedReading: .composedReading
                case .birthdate: .birthdate
                case .birthdateFits: .birthdateFits
                case .birthdateDiffers: .birthdateDiffers
                case .birthdateSlip: .birthdateSlip
                case .birthdateNotRecorded: .birthdateNotRecorded
                case .birthdateInRange: .birthdateInRange
                case .sexDiffers: .sexDiffers
                case .guardian: .guardian
                }
        }
    }

    @Test("without a session every page leads to the login page; the stylesheet is served from the same origin")
    func signedOut() throws {
        let f = try APIFixture()
        let search = try f.send("GET", "/search?q=%E5%B1%B1%E7%94%B0")
        #expect(search.status == 303 && APIFixture.header("Location", of: search) == "/login")
        let css = try f.send("GET", "/static/app.css")
        #expect(css.status == 200 && APIFixture.header("Content-Type", of: css) == "text/css; charset=utf-8")
        #expect(try f.auditCount(action: "search") == 0)
    }

    @Test("many hits are paged fifty at a time; the prefecture is chosen from a list; a summary-only case page says how to ask for it")
    func pagingAndSummaryOnly() throws {
        let lines = (0..<60).map {
            RecordFixture.line("Y-\($0)", ["child.birthdate": RecordFixture.json(String(format: "2010-01-%02d", $0 % 28 + 1))])
        }
        let f = try APIFixture(lines: lines)
        let cookie = try PageCheckTests.signIn(f, .municipalityElsewhere)
        let q = "やまだ".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let first = try f.send("GET", "/search?q=\(q)&prefecture=", headers: ["Cookie: \(cookie)"])
        // 60 children and their 60 mothers (山田 花子) are hits.
        #expect(first.body.contains("検索結果 120件（1〜50件目を表示）") && first.body.components(separatedBy: #"<li class="hit"#).count == 51)
        #expect(first.body.contains(#"<option value="東京都">東京都</option>"#) && first.body.contains(#"<option value="">全国</option>"#))
        let next = try #require(HTMLTag.all(in: first.body).first { $0.name == "a" && $0["rel"] == "next" }?["href"])
        let second = try f.send("GET", next, headers: ["Cookie: \(cookie)"])
        #expect(second.body.contains("検索結果 120件（51〜100件目を表示）") && second.body.components(separatedBy: #"<li class="hit"#).count == 51)
        let last = try #require(HTMLTag.all(in: second.body).first { $0.name == "a" && $0["rel"] == "next" }?["href"])
        let third = try f.send("GET", last, headers: ["Cookie: \(cookie)"])
        #expect(third.body.contains("検索結果 120件（101〜120件目を表示）") && third.body.components(separatedBy: #"<li class="hit"#).count == 21)
        #expect(third.body.contains(#"rel="prev""#) && !third.body.contains(#"rel="next""#))
        // Narrowed to another prefecture, nothing.
        let osaka = "大阪府".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let elsewhere = try f.send("GET", "/search?q=\(q)&prefecture=\(osaka)", headers: ["Cookie: \(cookie)"])
        #expect(elsewhere.body.contains("検索結果 0件") && elsewhere.body.contains(#"<option value="大阪府" selected>大阪府</option>"#))
        // The record itself is refused, with the way to ask for it.
        let refused = try f.send("GET", "/cases/\(f.caseID)", headers: ["Cookie: \(cookie)"])
        #expect(refused.status == 403 && refused.body.contains(#"href="/cases/\#(f.caseID)/request""#) && !refused.body.contains("山田 太郎"))
    }

    @Test("a notice after a form is named in the address, never written there: a crafted link shows nothing")
    func noticesAreNamed() throws {
        let f = try APIFixture()
        let cookie = try PageCheckTests.signIn(f, .holder)
        let forged = "障害のため03-0000-0000へ電話してください".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let page = try f.send("GET", "/search?notice=\(forged)", headers: ["Cookie: \(cookie)"])
        #expect(page.status == 200 && !page.body.contains("03-0000-0000") && !page.body.contains(#"class="notice""#))
        let named = try f.send("GET", "/search?notice=case-saved", headers: ["Cookie: \(cookie)"])
        #expect(named.body.contains(#"<p class="notice" role="status">保存しました。</p>"#))
        // After a note, the notice comes before the fragment, which still leads to the notes.
        let (session, _, csrf) = try FormValidationTests.open(f, .holder, "/cases/\(f.caseID)")
        let noted = try SettingsPageTests.post(f, "/cases/\(f.caseID)/notes", cookie: session, [("csrf_token", csrf), ("text", "電話で確認")])
        #expect(APIFixture.header("Location", of: noted) == "/cases/\(f.caseID)?notice=note-added#notes")
    }

    @Test("every sex the search form offers is one the search accepts")
    func sexOptionsSearch() throws {
        let f = try APIFixture()
        let cookie = try PageCheckTests.signIn(f, .holder)
        let page = try f.send("GET", "/search", headers: ["Cookie: \(cookie)"])
        let options = HTMLTag.all(in: page.body).filter { $0.name == "option" }.compactMap { $0["value"] }.filter {
            ["male", "female", "other", "unknown"].contains($0)
        }
        #expect(options == ["male", "female"])
        for sex in options {
            let reply = try f.send("GET", "/search?q=%E3%82%84%E3%81%BE%E3%81%A0&sex=\(sex)", headers: ["Cookie: \(cookie)"])
            #expect(reply.status == 200 && reply.body.contains("検索結果"), "sex=\(sex): \(reply.status)")
        }
    }
}
