#!/usr/bin/env python3
"""Generate dictionaries/person-names.tsv from mecab-ipadic's person-name entries.

Source: the Debian package mecab-ipadic, file
/usr/share/mecab/dic/ipadic/Noun.name.csv (EUC-JP). Columns: surface, left-id,
right-id, cost, 名詞, 固有名詞, 人名, {姓|名|一般}, *, *, base, reading, pronunciation.
Rows tagged 姓 become `family` names, rows tagged 名 become `given` names.

Usage:
    python3 scripts/gen_person_names.py

Weights: ipadic's cost (lower = more frequent in the newspaper corpus ipadic was
trained on) separates common from rare names poorly (山本 and 松本 cost more than
the median family name; the cheapest given names are フランキー and ローズマリー).
So the weight combines three things, see weigh() and dictionaries/README.md:
  1. names on a published ranking (RANKED_FAMILY_NAMES, RANKED_GIVEN_NAMES) get a
     weight from their rank;
  2. every other name gets a cost-derived weight, capped below the ranked ones;
  3. names written only in katakana (in ipadic mostly foreign names and nicknames)
     get a tenth of their cost-derived weight.
"""

import csv
import math
import re
import sys
from collections import Counter
from pathlib import Path

SOURCE = Path("/usr/share/mecab/dic/ipadic/Noun.name.csv")
OUT_PATH = Path(__file__).resolve().parent.parent / "dictionaries" / "person-names.tsv"

KINDS = {"姓": "family", "名": "given"}

# --- cost-derived weight -------------------------------------------------------
# weight = exp((COST_ORIGIN - cost) / COST_SCALE): one COST_SCALE of cost is a factor
# of e. COST_ORIGIN is chosen so that the cheapest family name in ipadic (渡辺,
# cost 1650) would weigh 1000 (1650 + 800 * ln 1000 ≈ 7176); names costing more
# than COST_ORIGIN (over half of them) weigh 1.
COST_ORIGIN = 7176
COST_SCALE = 800
# Names not on a ranking never weigh more than this, so that no unranked name
# outweighs a ranked one (the 100th family name weighs 92, see RANK_ANCHORS).
UNRANKED_CAP = 80
# Divisor for names written only in katakana.
KATAKANA_ONLY_DIVISOR = 10

# --- ranked family names -------------------------------------------------------
# The 100 commonest family names of Japan, in rank order, with their main reading.
# Ranks 1-10: the national ranking of 名字由来net (リクルーティングスタジオ, January
# 2015) as quoted in the press, with population estimates (佐藤 about 2,055,000 ...
# 加藤 about 898,000; its 100th, 大西, about 189,000). 明治安田生命's 全国同姓調査
# (2018) has the same ten with 渡辺/伊藤 and 山本/中村/小林 in another order.
# Ranks 11-50: a ranking list published on a blog in 2013 (source not named there);
# it agrees with the ranks quoted from the two surveys (山田 12, 佐々木 13, 阿部 22-24,
# 長谷川 33-35). Ranks 51-100: the names generally found in that band of those
# rankings, in approximate order.
RANKED_FAMILY_NAMES = [
    ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"),
    ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"),
    ("小林", "コバヤシ"), ("加藤", "カトウ"),
    ("吉田", "ヨシダ"), ("山田", "ヤマダ"), ("佐々木", "ササキ"), ("山口", "ヤマグチ"),
    ("松本", "マツモト"), ("井上", "イノウエ"), ("木村", "キムラ"), ("林", "ハヤシ"),
    ("斎藤", "サイトウ"), ("清水", "シミズ"),
    ("山崎", "ヤマザキ"), ("阿部", "アベ"), ("森", "モリ"), ("池田", "イケダ"),
    ("橋本", "ハシモト"), ("山下", "ヤマシタ"), ("石川", "イシカワ"), ("中島", "ナカジマ"),
    ("前田", "マエダ"), ("藤田", "フジタ"),
    ("後藤", "ゴトウ"), ("小川", "オガワ"), ("岡田", "オカダ"), ("村上", "ムラカミ"),
    ("長谷川", "ハセガワ"), ("近藤", "コンドウ"), ("石井", "イシイ"), ("斉藤", "サイトウ"),
    ("坂本", "サカモト"), ("遠藤", "エンドウ"),
    ("藤井", "フジイ"), ("青木", "アオキ"), ("福田", "フクダ"), ("三浦", "ミウラ"),
    ("西村", "ニシムラ"), ("藤原", "フジワラ"), ("太田", "オオタ"), ("松田", "マツダ"),
    ("原田", "ハラダ"), ("岡本", "オカモト"),
    # 51-100: approximate order
    ("中川", "ナカガワ"), ("中野", "ナカノ"), ("金子", "カネコ"), ("竹内", "タケウチ"),
    ("小野", "オノ"), ("田村", "タムラ"), ("中山", "ナカヤマ"), ("和田", "ワダ"),
    ("石田", "イシダ"), ("森田", "モリタ"),
    ("上田", "ウエダ"), ("原", "ハラ"), ("工藤", "クドウ"), ("内田", "ウチダ"),
    ("柴田", "シバタ"), ("酒井", "サカイ"), ("宮崎", "ミヤザキ"), ("横山", "ヨコヤマ"),
    ("高木", "タカギ"), ("安藤", "アンドウ"),
    ("宮本", "ミヤモト"), ("大野", "オオノ"), ("小島", "コジマ"), ("谷口", "タニグチ"),
    ("今井", "イマイ"), ("高田", "タカダ"), ("増田", "マスダ"), ("丸山", "マルヤマ"),
    ("杉山", "スギヤマ"), ("村田", "ムラタ"),
    ("大塚", "オオツカ"), ("新井", "アライ"), ("小山", "コヤマ"), ("平野", "ヒラノ"),
    ("藤本", "フジモト"), ("河野", "コウノ"), ("上野", "ウエノ"), ("野口", "ノグチ"),
    ("武田", "タケダ"), ("松井", "マツイ"),
    ("千葉", "チバ"), ("岩崎", "イワサキ"), ("菅原", "スガワラ"), ("木下", "キノシタ"),
    ("久保", "クボ"), ("佐野", "サノ"), ("野村", "ノムラ"), ("松尾", "マツオ"),
    ("菊地", "キクチ"), ("大西", "オオニシ"),
]

# Weight at a few ranks, from the published population estimates (relative to 佐藤):
# rank 1 = 1000, rank 10 (加藤, 898k / 2055k) = 437, rank 100 (大西, 189k / 2055k) = 92.
# Other ranks: linear interpolation of log(weight) against log(rank).
RANK_ANCHORS = [(1, 1000.0), (10, 437.0), (100, 92.0)]

# --- ranked given names --------------------------------------------------------
# Given names reported as topping, or in the top 10 of, 明治安田生命's
# 「生まれ年別 名前ランキング」 (birth-year name ranking, 1912-2018), as quoted in
# the press: the 平成 (1989-2018) overall top 10 for boys and girls (Nov 2018
# release), the 2016-2018 annual leaders, and the names its history reports as
# leading the Taishō and Shōwa years. Tier 1: names that were #1 for many years;
# tier 2: other names from those reports. Main reading only.
RANKED_GIVEN_NAMES_TIER1 = [
    ("清", "キヨシ"), ("茂", "シゲル"), ("博", "ヒロシ"), ("誠", "マコト"),
    ("大輔", "ダイスケ"), ("翔太", "ショウタ"), ("大翔", "ヒロト"), ("蓮", "レン"),
    ("和子", "カズコ"), ("幸子", "サチコ"), ("恵子", "ケイコ"), ("美咲", "ミサキ"),
    ("陽菜", "ヒナ"), ("さくら", "サクラ"), ("葵", "アオイ"),
]
RANKED_GIVEN_NAMES_TIER2 = [
    # boys
    ("正一", "ショウイチ"), ("一郎", "イチロウ"), ("弘", "ヒロシ"), ("実", "ミノル"),
    ("勇", "イサム"), ("勝", "マサル"), ("進", "ススム"), ("稔", "ミノル"),
    ("和夫", "カズオ"), ("浩", "ヒロシ"), ("拓也", "タクヤ"), ("達也", "タツヤ"),
    ("翔", "ショウ"), ("健太", "ケンタ"), ("大輝", "ダイキ"), ("翼", "ツバサ"),
    ("大樹", "ダイキ"), ("颯太", "ソウタ"), ("悠真", "ユウマ"), ("陽翔", "ハルト"),
    ("湊", "ミナト"), ("悠人", "ユウト"), ("蒼", "アオイ"), ("大和", "ヤマト"),
    ("朝陽", "アサヒ"),
    # girls
    ("正子", "マサコ"), ("照子", "テルコ"), ("清子", "キヨコ"), ("文子", "フミコ"),
    ("昭子", "アキコ"), ("陽子", "ヨウコ"), ("愛", "アイ"), ("恵", "メグミ"),
    ("舞", "マイ"), ("結衣", "ユイ"), ("七海", "ナナミ"), ("愛美", "マナミ"),
    ("未来", "ミライ"), ("美月", "ミツキ"), ("結菜", "ユイナ"), ("結愛", "ユア"),
    ("結月", "ユヅキ"), ("凛", "リン"), ("陽葵", "ヒマリ"), ("莉子", "リコ"),
    ("咲良", "サクラ"), ("芽依", "メイ"),
]
GIVEN_TIER_WEIGHTS = (1000, 300)

# --- sex heuristic for given names ---------------------------------------------
# The surface's last character decides first; 咲 was added to the brief's female list
# because without it 美咲 (the commonest girls' name of 1989-2018) came out male via
# the reading rule ...キ.
FEMALE_SURFACE_ENDINGS = set("子美恵香奈菜花華江代乃里理沙紗絵枝穂咲")
MALE_SURFACE_ENDINGS = set("郎太介助男夫雄彦樹斗翔輔哉也平吉蔵人士司治次")
# Then the reading's ending. ヱ and ヲ (historical kana, as in きみゑ, いさを) count as エ and オ.
FEMALE_READING_ENDINGS = ["コ", "ミ", "カ", "ナ", "エ", "ヱ", "ヨ", "ノ", "リ"]
MALE_READING_ENDINGS = ["ロウ", "タ", "スケ", "オ", "ヲ", "ヒコ", "キ", "ト", "ヤ", "ジ"]

KATAKANA_READING = re.compile(r"[ァ-ヴー]+")
KATAKANA_ONLY_SURFACE = re.compile(r"[ァ-ヴー・]+")


def guess_sex(surface, reading):
    """`female`, `male` or `any`, from the surface's last character, else the reading's
    ending (the longest matching ending wins, so ...ヒコ is male although ...コ is female)."""
    last = surface[-1]
    if last in FEMALE_SURFACE_ENDINGS:
        return "female"
    if last in MALE_SURFACE_ENDINGS:
        return "male"
    best_len, best = 0, "any"
    for endings, sex in ((FEMALE_READING_ENDINGS, "female"), (MALE_READING_ENDINGS, "male")):
        for ending in endings:
            if reading.endswith(ending) and len(ending) > best_len:
                best_len, best = len(ending), sex
    return best


def rank_weight(rank):
    for (r0, w0), (r1, w1) in zip(RANK_ANCHORS, RANK_ANCHORS[1:]):
        if r0 <= rank <= r1:
            t = (math.log(rank) - math.log(r0)) / (math.log(r1) - math.log(r0))
            return round(math.exp(math.log(w0) + t * (math.log(w1) - math.log(w0))))
    raise ValueError(f"rank {rank} outside the anchors")


def ranked_weights():
    """{(kind, name, reading): weight} for the ranked names."""
    weights = {}
    for rank, (name, reading) in enumerate(RANKED_FAMILY_NAMES, start=1):
        weights[("family", name, reading)] = rank_weight(rank)
    for names, weight in zip((RANKED_GIVEN_NAMES_TIER1, RANKED_GIVEN_NAMES_TIER2), GIVEN_TIER_WEIGHTS):
        for name, reading in names:
            weights[("given", name, reading)] = weight
    return weights


def cost_weight(surface, cost):
    w = math.exp((COST_ORIGIN - cost) / COST_SCALE)
    if KATAKANA_ONLY_SURFACE.fullmatch(surface):
        w /= KATAKANA_ONLY_DIVISOR
    return max(1, min(UNRANKED_CAP, round(w)))


def has_ascii(surface):
    # Full-width Latin letters and digits (Ａ子, Ｓ子: anonymised placeholders) count too.
    return any(ord(c) < 128 or "\uff01" <= c <= "\uff5e" for c in surface)


def read_entries():
    if not SOURCE.is_file():
        print(f"gen_person_names: {SOURCE} not found; run `apt-get install mecab-ipadic` first.",
              file=sys.stderr)
        sys.exit(1)
    dropped = Counter()
    best = {}
    with open(SOURCE, encoding="euc_jp", newline="") as f:
        for row in csv.reader(f):
            if len(row) != 13:
                sys.exit(f"gen_person_names: malformed row in {SOURCE}: {row}")
            surface, cost, category, reading = row[0], int(row[3]), row[7], row[11]
            if row[4:7] != ["名詞", "固有名詞", "人名"]:
                sys.exit(f"gen_person_names: unexpected part of speech in {SOURCE}: {row}")
            kind = KINDS.get(category)
            if kind is None:
                dropped[f"category {category}"] += 1
                continue
            if not reading or not KATAKANA_READING.fullmatch(reading):
                dropped["reading empty or not katakana"] += 1
                continue
            if has_ascii(surface):
                dropped["surface with ASCII"] += 1
                continue
            key = (kind, surface, reading)
            if key in best:
                dropped["duplicate (kind, name, reading)"] += 1
                if cost >= best[key]:
                    continue
            best[key] = cost
    return best, dropped


def main():
    costs, dropped = read_entries()
    ranked = ranked_weights()

    missing = [key for key in ranked if key not in costs]
    entries = []
    for (kind, name, reading), cost in costs.items():
        weight = ranked.get((kind, name, reading)) or cost_weight(name, cost)
        sex = guess_sex(name, reading) if kind == "given" else "any"
        entries.append((kind, name, reading, sex, weight))
    entries.sort(key=lambda e: (e[0] != "family", -e[4], e[2], e[1]))

    OUT_PATH.parent.mkdir(exist_ok=True)
    with open(OUT_PATH, "w", encoding="utf-8", newline="") as f:
        f.write("kind\tname\treading\tsex\tweight\n")
        for e in entries:
            f.write("\t".join(map(str, e)) + "\n")

    # --- summary and checks ---
    print(f"wrote {OUT_PATH}: {len(entries)} rows")
    for reason, n in sorted(dropped.items()):
        print(f"  dropped {n:6d}: {reason}")
    for kind in ("family", "given"):
        rows = [e for e in entries if e[0] == kind]
        weights = [e[4] for e in rows]
        buckets = Counter()
        for w in weights:
            buckets["1" if w == 1 else "2-9" if w < 10 else "10-79" if w < 80 else "80-99" if w < 100
                    else "100-499" if w < 500 else "500-1000"] += 1
        print(f"{kind}: {len(rows)} names; weights "
              + ", ".join(f"{b}: {buckets[b]}" for b in ("1", "2-9", "10-79", "80-99", "100-499", "500-1000")))
        if kind == "given":
            print("  sex: " + ", ".join(f"{s} {n}" for s, n in Counter(e[3] for e in rows).most_common()))
        print("  heaviest: " + " ".join(f"{e[1]}({e[2]},{e[4]})" for e in rows[:10]))
    if missing:
        print("ranked names not in ipadic (not boosted): "
              + " ".join(f"{name}({reading})" for _, name, reading in missing))

    weight_of = {(e[0], e[1], e[2]): e[4] for e in entries}
    family_top10 = {e[1] for e in [e for e in entries if e[0] == "family"][:10]}
    for name in ("佐藤", "鈴木", "高橋", "田中"):
        if name not in family_top10:
            sys.exit(f"gen_person_names: check failed: {name} is not among the 10 heaviest family names")
    for kind, name, reading in (("given", "誠", "マコト"), ("given", "和子", "カズコ"),
                                ("given", "翔太", "ショウタ"), ("given", "美咲", "ミサキ")):
        if weight_of.get((kind, name, reading), 0) < 500:
            sys.exit(f"gen_person_names: check failed: given name {name} weighs less than 500")
    for name, reading, sex in (("花子", "ハナコ", "female"), ("太郎", "タロウ", "male"),
                               ("和彦", "カズヒコ", "male"), ("美咲", "ミサキ", "female")):
        got = guess_sex(name, reading)
        if got != sex:
            sys.exit(f"gen_person_names: check failed: {name} guessed {got}, expected {sex}")
    print("checks passed")


if __name__ == "__main__":
    main()
