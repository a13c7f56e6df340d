import Foundation
import Indexer
import MimamoriTesting
import Store
import Testing

/// The repository's dictionaries, loaded once for all tests in this file.
private enum Dictionaries {
    static let variants = Result { () throws(IndexError) in try KanjiVariants.load(from: TestStore.dictionaries) }
    static let readings = Result { () throws(IndexError) in
        try NameReadings.load(from: TestStore.dictionaries, variants: variants.get())
    }
}

/// Tests of `KanjiVariants` and `NameReadings` against the repository's dictionaries.
@Suite struct DictionaryTests {}

extension DictionaryTests {
    struct Variants {
        @Test(
            "each required old/new form folds to today's standard character",
            arguments: [
                ("髙", "高"), ("﨑", "崎"), ("齋", "斎"), ("齊", "斉"), ("邊", "辺"), ("邉", "辺"), ("濱", "浜"),
                ("澤", "沢"), ("國", "国"), ("櫻", "桜"), ("廣", "広"), ("德", "徳"), ("惠", "恵"), ("眞", "真"),
                ("嶋", "島"), ("嶌", "島"), ("冨", "富"), ("藪", "薮"), ("黑", "黒"), ("瀨", "瀬"), ("榮", "栄"),
                ("曾", "曽"), ("條", "条"), ("寬", "寛"), ("淸", "清"), ("增", "増"), ("槇", "槙"), ("渕", "淵"),
                ("𠮷", "吉"), ("濵", "浜"), ("戶", "戸"),
            ])
        func foldsSamePairs(variant: String, canonical: String) throws {
            let variants = try Dictionaries.variants.get()
            #expect(variants.canonical(variant) == canonical)
            #expect(variants.canonical(canonical) == canonical)
        }

        @Test("whole names fold, and the substitutions explain it")
        func foldsNames() throws {
            let variants = try Dictionaries.variants.get()
            #expect(variants.canonical("齋藤") == "斎藤")
            #expect(variants.canonical("渡邉") == "渡辺")
            #expect(variants.canonical("髙橋 﨑子") == "高橋 崎子")
            #expect(variants.canonical("Sato 太郎") == "Sato 太郎")
            let changes = variants.substitutions(from: "髙﨑髙")
            #expect(changes.map { "\($0.variant)→\($0.canonical)" } == ["髙→高", "﨑→崎"])
            #expect(variants.substitutions(from: "山田太郎").isEmpty)
        }

        @Test("a variation selector after a kanji only picks a glyph and is dropped")
        func dropsVariationSelectors() throws {
            let variants = try Dictionaries.variants.get()
            #expect(variants.canonical("辻\u{E0100}") == "辻")
            #expect(variants.canonical("邉\u{E0103}") == "辺")
            #expect(variants.substitutions(from: "辻\u{E0100}").map(\.canonical) == ["辻"])
        }

        @Test("斎 and 斉 are different names: not folded, but weak alternatives of each other")
        func saiIsWeak() throws {
            let variants = try Dictionaries.variants.get()
            #expect(variants.canonical("斎藤") != variants.canonical("斉藤"))
            #expect(variants.canonical("齋藤") != variants.canonical("齊藤"))
            #expect(variants.weakAlternatives(of: "斎") == ["斉"])
            #expect(variants.weakAlternatives(of: "斉") == ["斎"])
            #expect(variants.weakAlternatives(of: "齋") == ["斉"])
            #expect(variants.weakAlternatives(of: "齊") == ["斎"])
            #expect(variants.weakAlternatives(of: "竜") == ["龍"])
            #expect(variants.weakAlternatives(of: "山").isEmpty)
        }

        @Test("look-alike characters that are different are not linked", arguments: [("健", "見"), ("土", "士"), ("末", "未")])
        func unrelated(a: Character, b: Character) throws {
            let variants = try Dictionaries.variants.get()
            #expect(variants.canonical(a) == a)
            #expect(variants.canonical(b) == b)
            #expect(!variants.weakAlternatives(of: a).contains(b))
            #expect(!variants.weakAlternatives(of: b).contains(a))
        }

        @Test("canonical is idempotent and maps no canonical character to another")
        func idempotent() throws {
            let variants = try Dictionaries.variants.get()
            let file = try String(contentsOf: TestStore.dictionaries.appendingPathComponent(KanjiVariants.fileName), encoding: .utf8)
            var rows = 0
            for line in file.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: "\t").map(String.init)
                let (variant, canonical) = (Character(fields[0]), Character(fields[1]))
                rows += 1
                #expect(variants.canonical(canonical) == canonical, "\(canonical) is canonical")
                #expect(variants.canonical(variants.canonical(variant)) == variants.canonical(variant))
                if fields[2] == "same" { #expect(variants.canonical(variant) == canonical) }
            }
            #expect(rows == variants.counts.same + variants.counts.weak)
            #expect(variants.counts.same > 1000)
        }

        @Test("a malformed row is an error naming the file and line")
        func malformedRow() throws {
            let folder = TemporaryDirectory("dictionaries")
            _ = folder.write(KanjiVariants.fileName, lines: ["variant\tcanonical\tstrength", "髙\t高\tsame", "齋藤\t斎\tsame"])
            let error = #expect(throws: IndexError.self) { try KanjiVariants.load(from: folder.url) }
            #expect(error?.description.contains("kanji-variants.tsv:3:") == true, "\(String(describing: error))")
            _ = folder.write(KanjiVariants.fileName, lines: ["variant\tcanonical\tstrength", "邉\t邊\tsame", "邊\t辺\tsame"])
            let chain = #expect(throws: IndexError.self) { try KanjiVariants.load(from: folder.url) }
            #expect(chain?.description.contains("kanji-variants.tsv:2:") == true, "\(String(describing: chain))")
        }
    }
}

extension DictionaryTests {
    struct Readings {
        @Test(
            "kanji names have their readings, most common first",
            arguments: [
                ("family", "山田", "ヤマダ"), ("family", "佐藤", "サトウ"), ("family", "斎藤", "サイトウ"),
                ("family", "高橋", "タカハシ"), ("given", "太郎", "タロウ"), ("given", "花子", "ハナコ"),
            ])
        func readings(kind: String, name: String, first: String) throws {
            let readings = try Dictionaries.readings.get()
            let found = kind == "family" ? readings.readings(ofFamilyName: name) : readings.readings(ofGivenName: name)
            #expect(found.first == first)
        }

        @Test("a variant spelling is found as written and through its canonical form")
        func variantSpelling() throws {
            let variants = try Dictionaries.variants.get()
            let readings = try Dictionaries.readings.get()
            #expect(readings.readings(ofFamilyName: variants.canonical("齋藤")).first == "サイトウ")
            #expect(readings.readings(ofFamilyName: "齋藤").first == "サイトウ")
            #expect(readings.readings(ofFamilyName: "髙橋").first == "タカハシ")  // only 高橋 is in the file
            #expect(readings.readings(ofFamilyName: "存在しない姓").isEmpty)
        }

        @Test("modern given names missing from ipadic (2007) come from modern-name-readings.tsv")
        func modernNames() throws {
            let readings = try Dictionaries.readings.get()
            let modern = ["陽翔", "大翔", "湊", "悠真", "陽菜", "結愛", "結菜", "蓮", "葵", "凛", "美咲", "詩", "紬", "大和"]
            let missing = modern.filter { readings.readings(ofGivenName: $0).isEmpty }
            #expect(missing.isEmpty, "\(missing)")
            // A kana name needs no dictionary: its reading is what is written.
            #expect(readings.readings(ofGivenName: "さくら").isEmpty)
        }

        @Test("a reading finds its kanji spellings, most common first")
        func reverse() throws {
            let readings = try Dictionaries.readings.get()
            let sato = readings.kanji(forFamilyReading: "サトウ")
            #expect(sato.first == "佐藤")
            #expect(sato.count <= NameReadings.reverseLimit)
            #expect(readings.kanji(forFamilyReading: "さとう") == sato)
            #expect(readings.kanji(forFamilyReading: "サイトウ").prefix(2) == ["斎藤", "斉藤"])
            #expect(readings.kanji(forGivenReading: "ハナコ").contains("花子"))
            #expect(readings.kanji(forFamilyReading: "ンンン").isEmpty)
        }

        @Test(
            "a full name typed without a space splits at a known family name",
            arguments: [
                ("山田太郎", "山田", "太郎"), ("ヤマダタロウ", "ヤマダ", "タロウ"), ("サトウハナコ", "サトウ", "ハナコ"),
                ("齋藤花子", "齋藤", "花子"), ("佐藤はなこ", "佐藤", "はなこ"), ("髙橋一郎", "髙橋", "一郎"),
            ])
        func splits(text: String, family: String, given: String) throws {
            let readings = try Dictionaries.readings.get()
            let splits = readings.splits(ofFullName: text)
            #expect(splits.first?.family == family)
            #expect(splits.first?.given == given)
            #expect(splits.count <= NameReadings.splitLimit)
        }

        @Test("a family name alone has no split: the given name would be empty")
        func noSplit() throws {
            let readings = try Dictionaries.readings.get()
            #expect(!readings.splits(ofFullName: "佐藤").contains { $0.family == "佐藤" })
            #expect(readings.splits(ofFullName: "佐").isEmpty)
            #expect(readings.splits(ofFullName: "").isEmpty)
        }

        /// The processor time this thread has used, in seconds: unlike the wall clock, it does not
        /// grow when other suites or builds share the machine.
        private static func threadTime() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }

        @Test("both dictionaries load fast enough for a server start")
        func loadTime() throws {
            let start = Self.threadTime()
            let variants = try KanjiVariants.load(from: TestStore.dictionaries)
            let loaded = Self.threadTime()
            let readings = try NameReadings.load(from: TestStore.dictionaries, variants: variants)
            let (variantsTime, readingsTime) = (loaded - start, Self.threadTime() - loaded)
            let counts = readings.counts
            print(
                "DictionaryTests: kanji-variants.tsv \(variantsTime) s, name and kanji readings \(readingsTime) s of processor time (\(counts.family) family, \(counts.given) given names)"
            )
            #expect(counts.family > 10_000 && counts.given > 10_000)
            // Processor time of a debug build: about 1.3 s with the three name files (0.9 s with
            // name-readings.tsv only); release is several times faster.
            #expect(variantsTime + readingsTime < 3)
        }

        @Test("a malformed row is an error naming the file and line")
        func malformedRow() throws {
            let folder = TemporaryDirectory("dictionaries")
            _ = folder.write(KanjiVariants.fileName, lines: ["variant\tcanonical\tstrength"])
            _ = folder.write(NameReadings.fileName, lines: ["kind\tname\treadings\tweight", "family\t山田\tヤマダ\t10", "family\t佐藤\tさとう\t5"])
            let error = #expect(throws: IndexError.self) { try NameReadings.load(from: folder.url) }
            #expect(error?.description.contains("name-readings.tsv:3:") == true, "\(String(describing: error))")
        }
    }
}

extension DictionaryTests {
    /// The readings guessed for names written in kanji without a reading.
    struct Guesses {
        @Test(
            "modern given names have their common readings, as given names",
            arguments: [
                ("陽翔", ["ハルト", "ヒナト"]), ("詩", ["ウタ"]), ("湊", ["ミナト"]), ("結愛", ["ユア"]), ("大和", ["ヤマト"]),
                ("大翔", ["ヒロト"]), ("悠真", ["ユウマ"]), ("陽菜", ["ヒナ"]), ("結菜", ["ユイナ"]), ("蓮", ["レン"]),
            ])
        func modernGivenNames(name: String, expected: [String]) throws {
            let guesses = try Dictionaries.readings.get().guesses(ofName: name, kind: .given)
            #expect(guesses.source == .name, "\(name): \(guesses)")
            for reading in expected {
                #expect(guesses.readings.contains(reading), "\(name): \(guesses.readings)")
            }
        }

        @Test("every guess is bounded: a few readings per name part, whatever the kind")
        func bounded() throws {
            let readings = try Dictionaries.readings.get()
            for name in ["木幡", "愛美", "啓", "大和", "陽翔", "森", "山田", "誠", "存在", "龍之介", "一二三四"] {
                for kind in [NameAnalyzer.Kind.family, .given, .unknown] {
                    let guesses = readings.guesses(ofName: name, kind: kind)
                    let limit = guesses.source == .name ? NameReadings.nameGuessLimit : NameReadings.weakGuessLimit
                    #expect(guesses.readings.count <= limit, "\(name) \(kind): \(guesses)")
                    #expect(Set(guesses.readings).count == guesses.readings.count, "\(name) \(kind): \(guesses)")
                }
            }
        }

        /// A dictionaries folder with one family name and two kanji, to test the order of the tiers.
        private static func smallDictionaries() -> TemporaryDirectory {
            let folder = TemporaryDirectory("dictionaries")
            _ = folder.write(KanjiVariants.fileName, lines: ["variant\tcanonical\tstrength"])
            _ = folder.write(NameReadings.fileName, lines: ["kind\tname\treadings\tweight", "family\t大和\tヤマト|タイワ|オオワ\t5"])
            _ = folder.write(NameReadings.modernFileName, lines: ["kind\tname\treadings\tweight", "given\t結愛\tユア|ユイ\t200"])
            _ = folder.write(NameReadings.kanjiFileName, lines: ["kanji\treadings\tkinds", "陽\tハル|ヒ|ヨウ|アキ\tNKON", "翔\tト|ショウ\tKO", "結\tユイ\tN"])
            return folder
        }

        @Test("a name known only as the other kind gets that kind's readings, marked weaker")
        func otherKind() throws {
            let folder = Self.smallDictionaries()
            let readings = try NameReadings.load(from: folder.url)
            let asFamily = readings.guesses(ofName: "大和", kind: .family)
            #expect(asFamily.readings == ["ヤマト", "タイワ", "オオワ"])
            #expect(asFamily.source == .name)
            let asGiven = readings.guesses(ofName: "大和", kind: .given)
            #expect(asGiven.readings == ["ヤマト", "タイワ"])
            #expect(asGiven.source == .otherKind)
            #expect(readings.guesses(ofName: "大和", kind: .unknown).source == .name)
            #expect(readings.guesses(ofName: "結愛", kind: .given) == (["ユア", "ユイ"], .name))
        }

        @Test("name-readings-skk.tsv only fills gaps: a name the shipped files know keeps their readings")
        func skkFillsGapsOnly() throws {
            let folder = Self.smallDictionaries()
            _ = folder.write(
                NameReadings.skkFileName,
                lines: ["kind\tname\treadings\tweight", "family\t大和\tオオワ\t1", "given\t大和\tダイワ\t1", "given\t詩\tウタ|シ\t1"])
            let readings = try NameReadings.load(from: folder.url)
            #expect(readings.guesses(ofName: "大和", kind: .family) == (["ヤマト", "タイワ", "オオワ"], .name))
            #expect(readings.guesses(ofName: "大和", kind: .given) == (["ダイワ"], .name))
            #expect(readings.guesses(ofName: "詩", kind: .given) == (["ウタ", "シ"], .name))
            #expect(readings.guesses(ofName: "詩", kind: .family) == (["ウタ", "シ"], .otherKind))
        }

        @Test("an unknown name of one to three kanji gets readings composed from its kanji, the weakest guess")
        func composed() throws {
            let folder = Self.smallDictionaries()
            let readings = try NameReadings.load(from: folder.url)
            let guess = readings.guesses(ofName: "陽翔", kind: .given)
            #expect(guess.readings == ["ハルト", "ハルショウ"])
            #expect(guess.source == .kanji)
            #expect(readings.composedReadings(of: "陽") == ["ハル", "ヒ"])
            #expect(readings.composedReadings(of: "陽翔結") == ["ハルトユイ", "ハルショウユイ"])
            #expect(readings.guesses(ofName: "陽翔陽翔", kind: .given) == ([], .none))  // four kanji: not composed
            #expect(readings.guesses(ofName: "陽子", kind: .given) == ([], .none))  // 子 has no reading here
            #expect(ReadingGuess.name < .otherKind && .otherKind < .kanji)
        }

        @Test(
            "a typed reading of a name in kanji only is read from its kanji one by one, shortened readings included",
            arguments: [
                ("心晴", "コハル", ["コ", "ハル"]), ("晴陽", "ハルヒ", ["ハル", "ヒ"]), ("結絆", "ユイナ", ["ユイ", "ナ"]),
                ("山田", "ヤマダ", ["ヤマ", "ダ"]), ("心愛", "ココア", ["ココ", "ア"]), ("湊", "ミナト", ["ミナト"]),
                ("桜花", "オウカ", ["オウ", "カ"]), ("春晴", "ハルバレ", ["ハル", "バレ"]),
            ])
        func composition(name: String, reading: String, forms: [String]) throws {
            let readings = try Dictionaries.readings.get()
            let found = readings.composition(of: name, readingKeys: [reading], looseKeys: [])
            #expect(found?.reading == reading && found?.forms == forms, "\(name) \(reading): \(String(describing: found))")
        }

        @Test("a reading that does not read as the kanji is not composed; a single kanji is never shortened")
        func noComposition() throws {
            let readings = try Dictionaries.readings.get()
            for (name, reading) in [("心晴", "ユイナ"), ("晴陽", "コハル"), ("結絆", "ハルヒ"), ("心", "コ"), ("陽", "ハ"), ("一二三四", "イチニサンシ")] {
                #expect(readings.composition(of: name, readingKeys: [reading], looseKeys: []) == nil, "\(name) \(reading)")
            }
            // Loose keys compare with the forms' loose keys (passport romaji drops long vowels:
            // SHOTA, ショタ, whose reading key is シヨタ).
            #expect(readings.composition(of: "翔太", readingKeys: ["シヨタ"], looseKeys: []) == nil)
            #expect(readings.composition(of: "翔太", readingKeys: ["シヨタ"], looseKeys: ["シヨタ"])?.forms == ["ショウ", "タ"])
        }

        @Test("the forms of a kanji are bounded, unique, start with its readings, and are shortened only in longer names")
        func formsBounded() throws {
            let readings = try Dictionaries.readings.get()
            let kanji = "一二三大小山田川中心晴陽結絆愛菜奈真美和生子太郎花咲桜翔斗蓮湊陽葵凛悠優結空海月星光希望斎藤佐々木"
            for character in kanji where character != "々" {
                let whole = readings.compositionForms(of: character, position: 0, count: 1)
                #expect(!whole.isEmpty, "\(character)")
                for count in 1...NameReadings.longestComposedName {
                    for position in 0..<count {
                        let forms = readings.compositionForms(of: character, position: position, count: count)
                        let limit = position == 0 ? NameReadings.formsPerKanji : NameReadings.formsPerLaterKanji
                        #expect(forms.count <= limit, "\(character) \(position)/\(count): \(forms.count)")
                        #expect(Set(forms).count == forms.count, "\(character): \(forms)")
                        #expect(Array(forms.prefix(min(whole.count, NameReadings.formsPerKanji))) == Array(whole.prefix(NameReadings.formsPerKanji)))
                        if count == 1 { #expect(forms == whole) }
                        #expect(!forms.contains { $0.hasPrefix("ン") || $0.hasPrefix("ッ") || $0.hasPrefix("ー") }, "\(character): \(forms)")
                    }
                }
            }
        }

        @Test("composition tells a name's own reading from another name's: most dictionary readings compose, few others do")
        func compositionDiscriminates() throws {
            let readings = try Dictionaries.readings.get()
            let typed = ["ハルト", "ユウト", "ソウタ", "ヒナタ", "ユイ", "サクラ", "ミオ", "リコ", "アオイ", "ハルキ", "コウキ", "ユウマ", "メイ", "ユナ", "カナ", "タクミ"]
            var own = (composed: 0, total: 0)
            var other = (composed: 0, total: 0)
            for (index, reading) in typed.enumerated() {
                for name in readings.kanji(forGivenReading: reading) where (2...3).contains(name.count) {
                    own.total += 1
                    if readings.composition(of: name, readingKeys: [reading], looseKeys: []) != nil { own.composed += 1 }
                    for wrong in [typed[(index + 5) % typed.count], typed[(index + 11) % typed.count]] {
                        other.total += 1
                        if readings.composition(of: name, readingKeys: [wrong], looseKeys: []) != nil { other.composed += 1 }
                    }
                }
            }
            #expect(own.total >= 100 && other.total >= 200)
            #expect(Double(own.composed) >= 0.8 * Double(own.total), "\(own)")
            #expect(Double(other.composed) <= 0.02 * Double(other.total), "\(other)")
        }

        @Test("the analyzer marks how a reading was guessed, and not when it was written")
        func analyzerMarks() throws {
            let analyzer = try NameAnalyzer(dictionaries: TestStore.dictionaries)
            let given = analyzer.keys(name: "大和", kana: nil, kind: .given)
            #expect(given.readings.first == "ヤマト")
            #expect(given.readingsGuessed && given.readingGuess == .name)
            let family = analyzer.keys(name: "森", kana: nil, kind: .family)
            #expect(family.readings.first == "モリ")
            let written = analyzer.keys(name: "大和", kana: "ヤマト", kind: .given)
            #expect(!written.readingsGuessed && written.readingGuess == .none)
        }
    }
}
