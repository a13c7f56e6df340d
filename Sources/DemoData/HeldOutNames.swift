/// Modern given names with their readings, held out from the search: the search's dictionaries
/// (`name-readings.tsv`, `modern-name-readings.tsv`, SKK, KANJIDIC2) are never read to make
/// this list, and nothing in `dictionaries/` reads it, so records drawn from it test the
/// search on names the project did not generate from its own data.
///
/// Source: written by hand for the evaluation from general knowledge of names given to
/// children born in Japan since about 2010 (the kind that yearly naming surveys list), with
/// the reading a family would give; no list was copied. Some names are in the search's
/// dictionaries too, often with other readings first (that is the point: popular names), many
/// are not (蒼翔, 湊翔, 暖陽, 絆, 琥珀).
package enum HeldOutNames {
    package struct Name: Sendable, Hashable {
        package let written: String
        package let reading: String
    }

    package static let male: [Name] = list(
        "蒼翔 アオト, 碧人 アオト, 湊翔 ミナト, 暖陽 ハルヒ, 律希 リツキ, 煌大 コウダイ, 琥珀 コハク, 蓮翔 レント, "
            + "稜真 リョウマ, 颯汰 ソウタ, 陽翔 ヒナト, 晴陽 ハルヒ, 朔 サク, 蒼生 アオイ, 暁 アキラ, 叶翔 カナト, "
            + "湊介 ソウスケ, 奏翔 カナト, 旭陽 アサヒ, 颯真 フウマ, 琉偉 ルイ, 理人 リヒト, 橙真 トウマ, 侑真 ユウマ, "
            + "遥翔 ハルト, 陽向 ヒュウガ, 悠生 ユウセイ, 蒼介 ソウスケ, 絢斗 アヤト, 凌空 リク, 碧 アオ, 湊 ソウ, "
            + "大和 ヤマト, 結翔 ユイト, 伊吹 イブキ, 煌 キラ, 羚 レイ, 暖 ダン, 凪斗 ナギト, 陽太 ハルタ")

    package static let female: [Name] = list(
        "凪沙 ナギサ, 結絆 ユイナ, 紬希 ツムギ, 柚月 ユヅキ, 蒼依 アオイ, 心晴 コハル, 莉愛 リア, 結葵 ユウキ, "
            + "紗羽 サワ, 杏樹 アンジュ, 澪奈 レナ, 心音 ココネ, 花音 カノン, 凛音 リンネ, 瑠菜 ルナ, 萌愛 モア, "
            + "依茉 エマ, 絢葉 アヤハ, 桜來 サラ, 碧唯 アオイ, 絆 キズナ, 陽葵 ヒナタ, 結愛 ユメ, 詩 ウタ, "
            + "心愛 ココア, 陽菜 ハルナ, 咲希 サキ, 一華 イチカ, 芽依 メイ, 乃々花 ノノカ, 彩羽 イロハ, 結月 ユヅキ, "
            + "美羽 ミワ, 和花 ノドカ, 紬 ツムギ, 灯 アカリ, 柚葉 ユズハ, 朱里 アカリ, 舞桜 マオ, 杏 アン")

    /// `"蒼翔 アオト, 碧人 アオト"` → names.
    private static func list(_ text: String) -> [Name] {
        text.split(separator: ",").map { item in
            let parts = item.split(separator: " ").map(String.init)
            return Name(written: parts[0], reading: parts[1])
        }
    }
}
