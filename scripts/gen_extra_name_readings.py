#!/usr/bin/env python3
"""Generate the name-reading dictionaries that complement dictionaries/name-readings.tsv.

name-readings.tsv (mecab-ipadic, 2007) lacks most names given to children born since 2010.
This script writes two more files in the same format (kind, name, readings, weight):

--modern  dictionaries/modern-name-readings.tsv (shipped in git)
    Given names common among children born since about 2010, with their usual readings,
    most common first. Written into this script by hand (MODERN_GIVEN_NAMES) from general
    knowledge of the published yearly naming rankings (e.g. 明治安田生命「名前ランキング」);
    no list was copied. Weight 200 for every name: the names are common, and their readings
    come before those of the other files.

--skk     dictionaries/name-readings-skk.tsv (NOT in git; written by `make setup`)
    Every family and given name of SKK-JISYO.jinmei from the Debian package skkdic-extra
    (/usr/share/skk/SKK-JISYO.jinmei, EUC-JP). The dictionary is under the GPL (version 2 or
    later), so derived data is not shipped with Mimamori; it is read from the installed
    package at setup time instead. Entries annotated 姓 are family names, 名 given names, and
    plain 人名 (kind unknown) both; full names (フルネーム, 力士姓名), candidates that are all
    kana (the reading is then written already) and Lisp candidates are dropped. A name's
    readings are ordered by the candidate's position in SKK's list for that reading (SKK
    lists the usual kanji first), then by reading. Weight 1.

Both are deterministic. Usage:
    python3 scripts/gen_extra_name_readings.py --modern
    python3 scripts/gen_extra_name_readings.py --skk [--if-missing]
"""

import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODERN = ROOT / "dictionaries" / "modern-name-readings.tsv"
SKK_OUT = ROOT / "dictionaries" / "name-readings-skk.tsv"
SKK_JINMEI = Path(__import__("os").environ.get("SKK_JINMEI", "/usr/share/skk/SKK-JISYO.jinmei"))

KATAKANA = re.compile(r"[ァ-ヴー]+")
KANA = re.compile(r"[ぁ-ゖァ-ヺー]+")

# Given names common among children born since about 2010, usual readings first.
MODERN_GIVEN_NAMES = [
    # boys
    ("蓮", "レン"), ("陽翔", "ハルト|ヒナト|ハルカ"), ("大翔", "ヒロト|ハルト|ヤマト"), ("湊", "ミナト|ソウ"),
    ("悠真", "ユウマ|ハルマ"), ("蒼", "アオイ|ソウ|アオ"), ("碧", "アオイ|ヘキ|アオ"), ("樹", "イツキ|タツキ"),
    ("悠人", "ユウト|ハルト"), ("大和", "ヤマト"), ("陽太", "ヒナタ|ヨウタ|ハルタ"), ("颯真", "ソウマ|フウマ"),
    ("朝陽", "アサヒ"), ("律", "リツ"), ("暖", "ハル|ダン"), ("颯", "ハヤテ|ソウ|フウ"), ("陽向", "ヒナタ|ヒュウガ"),
    ("悠斗", "ユウト|ハルト"), ("湊斗", "ミナト"), ("蒼空", "ソラ|アオゾラ"), ("大輝", "ダイキ|ヒロキ"),
    ("優斗", "ユウト"), ("陸", "リク"), ("翔", "ショウ|カケル"), ("新", "アラタ|シン"), ("岳", "ガク"),
    ("碧斗", "アオト"), ("結翔", "ユイト|ユウト"), ("陽斗", "ハルト|ヒナト"), ("蒼真", "ソウマ"), ("伊織", "イオリ"),
    ("奏太", "ソウタ|カナタ"), ("湊人", "ミナト"), ("悠翔", "ユウト|ハルト"), ("颯太", "ソウタ"), ("琉生", "ルイ"),
    ("瑛太", "エイタ"), ("陽大", "ハルト|ヨウタ|ハルタ"), ("大雅", "タイガ"), ("蒼大", "ソウタ"), ("遥斗", "ハルト"),
    ("陽", "ヒナタ|ハル|ヨウ"), ("晴", "ハル"), ("蒼介", "ソウスケ"), ("一颯", "イブキ|イッサ"), ("結弦", "ユヅル"),
    ("旭", "アサヒ"), ("奏", "カナデ|ソウ"), ("煌", "コウ"), ("悠", "ユウ|ハルカ"), ("湊太", "ソウタ"), ("蒼士", "ソウシ"),
    ("凰雅", "オウガ"), ("陽向汰", "ヒナタ"), ("暖人", "ハルト"), ("晴翔", "ハルト"), ("颯人", "ハヤト"),
    # girls
    ("陽葵", "ヒマリ|ヒナタ|ヒナ"), ("結愛", "ユア|ユイ|ユナ"), ("結菜", "ユイナ|ユナ"), ("陽菜", "ヒナ|ハルナ"),
    ("凛", "リン"), ("芽依", "メイ"), ("紬", "ツムギ"), ("葵", "アオイ"), ("澪", "ミオ"), ("莉子", "リコ"),
    ("結衣", "ユイ"), ("咲良", "サクラ|サラ"), ("美桜", "ミオ|ミオウ"), ("杏", "アン|アンズ"), ("心春", "コハル"),
    ("詩", "ウタ"), ("翠", "スイ|ミドリ"), ("凪", "ナギ"), ("陽咲", "ヒナタ|ヒサキ"), ("結月", "ユヅキ|ユツキ"),
    ("芽生", "メイ"), ("心愛", "ココア|ミア|ココナ"), ("美月", "ミツキ"), ("乃愛", "ノア"), ("彩葉", "イロハ"),
    ("結心", "ユイ|ユウミ"), ("一華", "イチカ"), ("花", "ハナ"), ("楓", "カエデ"), ("琴音", "コトネ"), ("紗良", "サラ"),
    ("美結", "ミユ"), ("咲希", "サキ"), ("杏奈", "アンナ"), ("芽衣", "メイ"), ("心陽", "コハル"), ("和奏", "ワカナ"),
    ("柚葉", "ユズハ"), ("向日葵", "ヒマリ|ヒマワリ"), ("愛莉", "アイリ"), ("琴葉", "コトハ"), ("美羽", "ミウ"),
    ("心結", "ミユ|ココナ"), ("愛菜", "マナ|アイナ"), ("莉緒", "リオ"), ("朱莉", "アカリ"), ("優奈", "ユウナ"),
    ("七海", "ナナミ"), ("日葵", "ヒマリ"), ("結", "ユイ"), ("菫", "スミレ"), ("柚", "ユズ"), ("結奈", "ユイナ|ユナ"),
    ("陽莉", "ヒマリ|ヒナリ"), ("紗奈", "サナ"), ("莉乃", "リノ"), ("柚希", "ユズキ"), ("美咲", "ミサキ"),
]


def hiragana_to_katakana(text):
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def write(path, rows):
    rows.sort(key=lambda r: (r[0] != "family", -r[3], r[2][0], r[1]))
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("kind\tname\treadings\tweight\n")
        for kind, name, readings, weight in rows:
            f.write(f"{kind}\t{name}\t{'|'.join(readings)}\t{weight}\n")
    print(f"wrote {path}: {len(rows)} rows "
          f"({sum(r[0] == 'family' for r in rows)} family, {sum(r[0] == 'given' for r in rows)} given)")


def modern():
    seen = set()
    rows = []
    for name, readings in MODERN_GIVEN_NAMES:
        parts = readings.split("|")
        if name in seen or not all(KATAKANA.fullmatch(r) for r in parts) or len(set(parts)) != len(parts):
            sys.exit(f"gen_extra_name_readings: bad or duplicate modern name {name} {readings}")
        seen.add(name)
        rows.append(("given", name, parts, 200))
    write(MODERN, rows)


def kinds_of(annotation):
    """The kinds an SKK annotation gives, or () for entries to drop."""
    if "フルネーム" in annotation or "姓名" in annotation:
        return ()
    if annotation == "名" or annotation.startswith("名 "):
        return ("given",)
    if "姓" in annotation:
        return ("family",)
    if annotation.startswith("人名"):
        return ("family", "given")
    return ()


def skk(if_missing):
    if if_missing and SKK_OUT.is_file() and SKK_OUT.stat().st_mtime >= Path(__file__).stat().st_mtime:
        print(f"{SKK_OUT} is up to date")
        return
    if not SKK_JINMEI.is_file():
        sys.exit(f"gen_extra_name_readings: {SKK_JINMEI} not found; run `apt-get install skkdic-extra` (make setup).")
    names = defaultdict(dict)  # (kind, name) -> {reading: best position}
    with open(SKK_JINMEI, encoding="euc_jp", errors="strict") as f:
        for line in f:
            if line.startswith(";") or " /" not in line:
                continue
            reading, candidates = line.rstrip("\n").split(" /", 1)
            reading = hiragana_to_katakana(reading)
            if not KATAKANA.fullmatch(reading):
                continue
            for position, candidate in enumerate(c for c in candidates.split("/") if c):
                name, _, annotation = candidate.partition(";")
                if not name or "(" in name or any(ord(c) < 128 for c in name) or KANA.fullmatch(name):
                    continue
                for kind in kinds_of(annotation.strip()):
                    readings = names[(kind, name)]
                    readings[reading] = min(position, readings.get(reading, position))
    rows = [(kind, name, sorted(r, key=lambda x: (r[x], x)), 1) for (kind, name), r in names.items()]
    write(SKK_OUT, rows)


def main():
    args = sys.argv[1:]
    if "--modern" in args:
        modern()
    if "--skk" in args:
        skk("--if-missing" in args)
    if not {"--modern", "--skk"} & set(args):
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
