/// A small built-in list of common names of foreign nationals living in Japan, with the
/// katakana readings a residence record would carry.
///
/// Chinese and Korean names are written in kanji (王 ワン, 金 キム) with a Latin spelling for
/// `romaji`; the others are written in Latin capitals as on a residence card (NGUYEN グエン).
enum ForeignNames {
    /// One name: how it is written, its reading, its Latin spelling.
    struct Entry: Sendable {
        let written: String
        let reading: String
        let latin: String
    }

    struct Nationality: Sendable {
        /// ISO 3166-1 alpha-2.
        let code: String
        let family: [Entry]
        let male: [Entry]
        let female: [Entry]
        /// True when married women usually keep their own family name (China, Korea, Viet Nam).
        let wivesKeepFamilyName: Bool
    }

    /// Nationalities weighted roughly by the number of children of that nationality in Japan.
    static let nationalities = WeightedTable<Nationality>([
        (
            Nationality(
                code: "CN",
                family: kanji("王 ワン WANG, 李 リー LI, 張 チャン ZHANG, 劉 リュウ LIU, 陳 チェン CHEN, 楊 ヤン YANG, 趙 チャオ ZHAO, 黄 ホアン HUANG, 周 ジョウ ZHOU, 呉 ウー WU"),
                male: kanji("偉 ウェイ WEI, 浩宇 ハオユー HAOYU, 子軒 ズーシュエン ZIXUAN, 俊傑 ジュンジエ JUNJIE, 明 ミン MING, 宇航 ユーハン YUHANG"),
                female: kanji("芳 ファン FANG, 子涵 ズーハン ZIHAN, 欣怡 シンイー XINYI, 静 ジン JING, 雨涵 ユーハン YUHAN, 麗 リー LI"),
                wivesKeepFamilyName: true), 28
        ),
        (
            Nationality(
                code: "VN", family: latin("NGUYEN グエン, TRAN チャン, LE レ, PHAM ファム, HOANG ホアン, VU ヴー, DANG ダン, BUI ブイ, DO ドー, NGO ゴー"),
                male: latin("AN アン, MINH ミン, DUC ドゥック, HUNG フン, KHANG カン, BAO バオ, NAM ナム, QUANG クアン"),
                female: latin("LINH リン, THAO タオ, HUONG フオン, MAI マイ, NGOC ゴック, TRANG チャン, VY ヴィー, ANH アイン"),
                wivesKeepFamilyName: true), 22
        ),
        (
            Nationality(
                code: "PH", family: latin("SANTOS サントス, REYES レイエス, CRUZ クルス, BAUTISTA バウティスタ, GARCIA ガルシア, MENDOZA メンドーサ, RAMOS ラモス, TORRES トーレス"),
                male: latin("JOHN ジョン, MARK マーク, JOSHUA ジョシュア, CARLO カルロ, ANGELO アンジェロ, JAMES ジェームズ"),
                female: latin("MARIA マリア, ANGEL エンジェル, PRINCESS プリンセス, JASMINE ジャスミン, NICOLE ニコル, ANGELICA アンジェリカ"),
                wivesKeepFamilyName: false), 15
        ),
        (
            Nationality(
                code: "BR",
                family: latin("SILVA シルバ, SANTOS サントス, OLIVEIRA オリベイラ, SOUZA ソウザ, PEREIRA ペレイラ, COSTA コスタ, RODRIGUES ロドリゲス, ALMEIDA アルメイダ"),
                male: latin("LUCAS ルーカス, GABRIEL ガブリエル, MATHEUS マテウス, PEDRO ペドロ, RAFAEL ハファエル, GUILHERME ギリェルメ"),
                female: latin("JULIA ジュリア, ANA アナ, BEATRIZ ベアトリス, LARISSA ラリッサ, GABRIELA ガブリエラ, MARIANA マリアナ"),
                wivesKeepFamilyName: false), 12
        ),
        (
            Nationality(
                code: "KR", family: kanji("金 キム KIM, 李 イ LEE, 朴 パク PARK, 崔 チェ CHOI, 鄭 チョン JUNG, 姜 カン KANG, 尹 ユン YOON"),
                male: kanji("民俊 ミンジュン MINJUN, 智厚 ジフ JIHU, 道允 ドユン DOYUN, 俊宇 ジュヌ JUNWOO, 賢宇 ヒョヌ HYUNWOO"),
                female: kanji("瑞妍 ソヨン SEOYEON, 秀彬 スビン SUBIN, 夏恩 ハウン HAEUN, 智友 ジウ JIWOO, 敏瑞 ミンソ MINSEO"),
                wivesKeepFamilyName: true), 10
        ),
        (
            Nationality(
                code: "NP", family: latin("SHRESTHA シュレスタ, GURUNG グルン, TAMANG タマン, RAI ライ, MAGAR マガル, THAPA タパ, ADHIKARI アディカリ"),
                male: latin("ANISH アニシュ, SUJAN スジャン, BIKASH ビカス, ROHAN ロハン, AAYUSH アーユス"),
                female: latin("SITA シタ, ANJALI アンジャリ, PRIYA プリヤ, SUNITA スニタ, ASMITA アスミタ"),
                wivesKeepFamilyName: false), 8
        ),
        (
            Nationality(
                code: "US", family: latin("SMITH スミス, JOHNSON ジョンソン, WILLIAMS ウィリアムズ, BROWN ブラウン, JONES ジョーンズ, MILLER ミラー, DAVIS デイビス"),
                male: latin("JAMES ジェームズ, LIAM リアム, NOAH ノア, ETHAN イーサン, MICHAEL マイケル, DANIEL ダニエル"),
                female: latin("EMMA エマ, OLIVIA オリビア, SOPHIA ソフィア, EMILY エミリー, AVA エバ, MIA ミア"),
                wivesKeepFamilyName: false), 5
        ),
    ])

    /// `"王 ワン WANG, 李 リー LI"` → entries written in kanji.
    private static func kanji(_ list: String) -> [Entry] {
        list.split(separator: ",").map { item in
            let parts = item.split(separator: " ").map(String.init)
            return Entry(written: parts[0], reading: parts[1], latin: parts[2])
        }
    }

    /// `"NGUYEN グエン, TRAN チャン"` → entries written in Latin capitals.
    private static func latin(_ list: String) -> [Entry] {
        list.split(separator: ",").map { item in
            let parts = item.split(separator: " ").map(String.init)
            return Entry(written: parts[0], reading: parts[1], latin: parts[0])
        }
    }
}
