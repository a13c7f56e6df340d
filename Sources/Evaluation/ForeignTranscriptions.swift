/// Other katakana transcriptions of foreign names, as an intake worker might write a name heard
/// over the telephone or read from a document in another language: held out from the search
/// (nothing in `dictionaries/` reads this file).
///
/// Two sources: a short hand list of transcriptions seen in Japanese media and forms for some
/// names of the demo data (written from general knowledge for the evaluation, no list copied),
/// and mechanical changes of the usual reading that any writer makes: a long vowel added or
/// dropped (`ルーカス` → `ルカス`), a small vowel written full size or the other way round
/// (`ホアン` → `ホァン`), `ッ` dropped (`ゴック` → `ゴク`), `ヴ` and `ブ`, `ティ` and `チ`, `ディ` and `ジ`.
enum ForeignTranscriptions {
    /// Every other transcription of the name `latin` whose usual reading is `reading` (not
    /// `reading` itself), hand-listed first.
    static func variants(latin: String, reading: String) -> [String] {
        var result: [String] = []
        for variant in (handListed[latin.uppercased()] ?? []) + mechanical(reading) where variant != reading && !result.contains(variant) {
            result.append(variant)
        }
        return result
    }

    private static let handListed: [String: [String]] = [
        "NGUYEN": ["ニュエン", "グウェン", "ングエン"], "TRAN": ["トラン"], "LE": ["レー"], "PHAM": ["ファン", "ファーム"],
        "HOANG": ["ホアング", "フォアン"], "VU": ["ブー", "ヴ"], "BUI": ["ブーイ"], "NGO": ["ンゴ"], "DUC": ["ドゥク", "ズック"],
        "HUONG": ["フォン", "フーン"], "NGOC": ["ンゴック"], "ANH": ["アン", "アィン"], "VY": ["ビー"], "TRANG": ["トラン", "チャング"],
        "REYES": ["レジェス"], "CRUZ": ["クルーズ"], "BAUTISTA": ["バウチスタ"], "GARCIA": ["ガーシア"],
        "MENDOZA": ["メンドサ", "メンドーザ"], "JOHN": ["ジョーン"], "MARK": ["マルク"], "JOSHUA": ["ジョシュワ"], "JAMES": ["ジェイムズ", "ジェームス"],
        "ANGEL": ["エンジエル", "アンヘル"], "NICOLE": ["ニコール"], "SILVA": ["シルヴァ", "シウバ"], "OLIVEIRA": ["オリヴェイラ"],
        "SOUZA": ["ソーザ", "ソウサ"], "RODRIGUES": ["ホドリゲス"], "ALMEIDA": ["アウメイダ"], "GABRIEL": ["ガブリエウ"],
        "MATHEUS": ["マチウス"], "RAFAEL": ["ラファエル"], "GUILHERME": ["ギレルメ"], "JULIA": ["フリア"], "BEATRIZ": ["ベアトリーズ"],
        "SHRESTHA": ["スレスタ", "シュレスター"], "GURUNG": ["グルング"], "TAMANG": ["タマング"], "MAGAR": ["マガール"],
        "THAPA": ["タッパ"], "ANISH": ["アニッシュ"], "BIKASH": ["ビカシュ"], "AAYUSH": ["アユス", "アーユシュ"], "SITA": ["シーター"],
        "PRIYA": ["プリア"], "WILLIAMS": ["ウイリアムス"], "DAVIS": ["デービス", "デイヴィス"], "OLIVIA": ["オリヴィア"],
        "SOPHIA": ["ソフィヤ"], "AVA": ["エイバ", "エヴァ"], "ETHAN": ["イーサーン"],
    ]

    /// The usual reading changed in one of the ways any writer changes it, each change once.
    private static func mechanical(_ reading: String) -> [String] {
        let kana = Array(reading)
        var result: [String] = []
        func add(_ changed: [Character]) {
            let text = String(changed)
            if text != reading, !changed.isEmpty, !result.contains(text) { result.append(text) }
        }
        let small: [Character: Character] = ["ァ": "ア", "ィ": "イ", "ゥ": "ウ", "ェ": "エ", "ォ": "オ"]
        let makeSmall: [Character: Character] = ["ア": "ァ", "イ": "ィ", "ウ": "ゥ", "エ": "ェ", "オ": "ォ"]
        for index in kana.indices {
            let character = kana[index]
            if character == "ー" {
                add(Array(kana[..<index] + kana[(index + 1)...]))
            } else if character == "ッ" {
                add(Array(kana[..<index] + kana[(index + 1)...]))
            } else if let full = small[character] {
                var changed = kana
                changed[index] = full
                add(changed)
            } else if index > 0, let smaller = makeSmall[character], kana[index - 1] != "ン", kana[index - 1] != "ー" {
                var changed = kana
                changed[index] = smaller
                add(changed)
            } else if character == "ヴ" {
                var changed = kana
                changed[index] = "ブ"
                add(changed)
            }
            if index + 1 < kana.count, kana[index + 1] == "ィ", character == "テ" || character == "デ" {
                add(Array(kana[..<index]) + [character == "テ" ? "チ" : "ジ"] + Array(kana[(index + 2)...]))
            }
        }
        // A long vowel added after the first syllable that has none (マリア → マーリア is not
        // usual; マリア → マリーア is), at the end of the second kana.
        if kana.count >= 3, !kana.contains("ー"), "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモラリルレロ".contains(kana[1]) {
            add(Array(kana[...1]) + ["ー"] + Array(kana[2...]))
        }
        return result
    }
}
