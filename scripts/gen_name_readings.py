#!/usr/bin/env python3
"""Generate dictionaries/name-readings.tsv and dictionaries/kanji-readings.tsv.

name-readings.tsv: every family and given name of mecab-ipadic's person-name entries
with all of its katakana readings, most common first, so that a kana or romaji query
finds a record stored in kanji and the other way round.
  Source: the Debian package mecab-ipadic, /usr/share/mecab/dic/ipadic/Noun.name.csv
  (EUC-JP; columns surface, left-id, right-id, cost, 名詞, 固有名詞, 人名, 姓|名|一般, *, *,
  base, reading, pronunciation), plus dictionaries/person-names.tsv (made from the same
  file by scripts/gen_person_names.py) for the weights and any name it has.
  Columns: kind (family|given), name, readings (|-separated katakana), weight.
  A name's readings are ordered by person-names.tsv's weight for (kind, name, reading)
  (which boosts the main reading of the ranked names: 高橋 タカハシ before タカバシ), then
  by ipadic cost (lower = commoner), then by reading. Weight = the highest weight of the
  name's rows in person-names.tsv, else 1. The same filters as gen_person_names.py: rows
  tagged 一般 (full names), readings that are empty or not katakana, and surfaces with
  Latin letters are dropped.

kanji-readings.tsv: per-character Japanese readings from KANJIDIC2, as a fallback for
names not in the dictionary.
  Source: the Debian package kanjidic-xml, /usr/share/edict/kanjidic2.xml.gz.
  Columns: kanji, readings (|-separated katakana): <nanori> (name readings) first, then
  ja_kun without the okurigana after the dot (つつし.む → ツツシ) and without the
  prefix/suffix hyphens, then ja_on; duplicates removed, first occurrence kept; kinds, one
  letter per reading saying where its first occurrence came from: N (nanori), K (ja_kun),
  O (ja_on). Characters that NFKC changes (compatibility ideographs) are left out.

Licences: name-readings.tsv is a modified copy of part of mecab-ipadic (NAIST/ICOT notice);
kanji-readings.tsv is derived from KANJIDIC2 (CC BY-SA 3.0, EDRDG). See
dictionaries/README.md, "Licences".

Usage:
    python3 scripts/gen_name_readings.py           # both files (needs mecab-ipadic and kanjidic-xml)
    python3 scripts/gen_name_readings.py --kanji   # kanji-readings.tsv only (needs kanjidic-xml)
"""

import csv
import gzip
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

IPADIC_NAMES = Path("/usr/share/mecab/dic/ipadic/Noun.name.csv")
KANJIDIC = Path("/usr/share/edict/kanjidic2.xml.gz")
ROOT = Path(__file__).resolve().parent.parent
PERSON_NAMES = ROOT / "dictionaries" / "person-names.tsv"
NAME_READINGS = ROOT / "dictionaries" / "name-readings.tsv"
KANJI_READINGS = ROOT / "dictionaries" / "kanji-readings.tsv"

KINDS = {"姓": "family", "名": "given"}
KATAKANA_READING = re.compile(r"[ァ-ヴー]+")

# Modern given names the tests and README ask about; the summary says which are missing.
MODERN_GIVEN_NAMES = ["陽翔", "大翔", "蓮", "湊", "悠真", "陽菜", "結愛", "葵", "凛", "さくら", "結菜", "芽依"]


def has_latin(surface):
    return any(ord(c) < 128 or "\uff01" <= c <= "\uff5e" for c in surface)


def hiragana_to_katakana(text):
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def read_ipadic():
    """{(kind, name): {reading: lowest cost}}."""
    if not IPADIC_NAMES.is_file():
        sys.exit(f"gen_name_readings: {IPADIC_NAMES} not found; run `apt-get install mecab-ipadic` first.")
    names = defaultdict(dict)
    dropped = Counter()
    with open(IPADIC_NAMES, encoding="euc_jp", newline="") as f:
        for row in csv.reader(f):
            if len(row) != 13 or row[4:7] != ["名詞", "固有名詞", "人名"]:
                sys.exit(f"gen_name_readings: unexpected row in {IPADIC_NAMES}: {row}")
            surface, cost, category, reading = row[0], int(row[3]), row[7], row[11]
            kind = KINDS.get(category)
            if kind is None:
                dropped[f"category {category}"] += 1
            elif not KATAKANA_READING.fullmatch(reading):
                dropped["reading empty or not katakana"] += 1
            elif has_latin(surface):
                dropped["surface with Latin letters"] += 1
            else:
                readings = names[(kind, surface)]
                readings[reading] = min(cost, readings.get(reading, cost))
    return names, dropped


def read_person_names():
    """{(kind, name, reading): weight}."""
    if not PERSON_NAMES.is_file():
        sys.exit(f"gen_name_readings: {PERSON_NAMES} not found; run scripts/gen_person_names.py first.")
    weights = {}
    with open(PERSON_NAMES, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if header != ["kind", "name", "reading", "sex", "weight"]:
            sys.exit(f"gen_name_readings: unexpected header in {PERSON_NAMES}: {header}")
        for line in f:
            kind, name, reading, _, weight = line.rstrip("\n").split("\t")
            weights[(kind, name, reading)] = int(weight)
    return weights


def write_name_readings():
    ipadic, dropped = read_ipadic()
    person = read_person_names()
    names = defaultdict(dict)  # (kind, name) -> {reading: (weight, cost)}
    missing_cost = 10 ** 9  # readings only in person-names.tsv sort after ipadic's
    for (kind, name), readings in ipadic.items():
        for reading, cost in readings.items():
            names[(kind, name)][reading] = (person.get((kind, name, reading), 1), cost)
    for (kind, name, reading), weight in person.items():
        names[(kind, name)].setdefault(reading, (weight, missing_cost))

    rows = []
    for (kind, name), readings in names.items():
        ordered = sorted(readings, key=lambda r: (-readings[r][0], readings[r][1], r))
        weight = max(w for w, _ in readings.values())
        rows.append((kind, name, ordered, weight))
    rows.sort(key=lambda r: (r[0] != "family", -r[3], r[2][0], r[1]))
    with open(NAME_READINGS, "w", encoding="utf-8", newline="") as f:
        f.write("kind\tname\treadings\tweight\n")
        for kind, name, readings, weight in rows:
            f.write(f"{kind}\t{name}\t{'|'.join(readings)}\t{weight}\n")

    print(f"wrote {NAME_READINGS}: {len(rows)} rows")
    for reason, n in sorted(dropped.items()):
        print(f"  dropped {n:6d} ipadic rows: {reason}")
    for kind in ("family", "given"):
        subset = [r for r in rows if r[0] == kind]
        multi = sum(1 for r in subset if len(r[2]) > 1)
        print(f"  {kind}: {len(subset)} names, {multi} with several readings, "
              f"{sum(len(r[2]) for r in subset)} readings; most readings: "
              + " ".join(f"{r[1]}({len(r[2])})" for r in sorted(subset, key=lambda r: -len(r[2]))[:5]))
    by_name = {(r[0], r[1]): r[2] for r in rows}
    print("  samples: " + "  ".join(f"{n}={'|'.join(by_name.get((k, n), ['(missing)']))}"
                                   for k, n in (("family", "山田"), ("family", "佐藤"), ("family", "斎藤"),
                                                ("family", "高橋"), ("given", "太郎"), ("given", "花子"))))
    missing = [n for n in MODERN_GIVEN_NAMES if ("given", n) not in by_name]
    print("  modern given names missing from ipadic: " + (" ".join(missing) or "none"))

    expectations = [(("family", "山田"), "ヤマダ"), (("family", "佐藤"), "サトウ"), (("family", "斎藤"), "サイトウ"),
                    (("given", "太郎"), "タロウ")]
    for key, reading in expectations:
        if by_name.get(key, [None])[0] != reading:
            sys.exit(f"gen_name_readings: check failed: {key[1]} reads {by_name.get(key)}, expected {reading} first")
    return len(rows)


def kun_stem(reading):
    return reading.split(".")[0].strip("-")


def write_kanji_readings():
    if not KANJIDIC.is_file():
        sys.exit(f"gen_name_readings: {KANJIDIC} not found; run `apt-get install kanjidic-xml` first.")
    rows = []
    with gzip.open(KANJIDIC) as f:
        for _, element in ET.iterparse(f):
            if element.tag != "character":
                continue
            literal = element.findtext("literal")
            nanori = [n.text for n in element.iter("nanori")]
            kun = [kun_stem(r.text) for r in element.iter("reading") if r.get("r_type") == "ja_kun"]
            on = [r.text.strip("-") for r in element.iter("reading") if r.get("r_type") == "ja_on"]
            element.clear()
            if unicodedata.normalize("NFKC", literal) != literal:
                continue
            readings = []
            kinds = []
            for kind, source in (("N", nanori), ("K", kun), ("O", on)):
                for reading in source:
                    reading = hiragana_to_katakana(reading)
                    if reading and KATAKANA_READING.fullmatch(reading) and reading not in readings:
                        readings.append(reading)
                        kinds.append(kind)
            if readings:
                rows.append((literal, readings, "".join(kinds)))
    rows.sort(key=lambda r: ord(r[0]))
    with open(KANJI_READINGS, "w", encoding="utf-8", newline="") as f:
        f.write("kanji\treadings\tkinds\n")
        for literal, readings, kinds in rows:
            f.write(f"{literal}\t{'|'.join(readings)}\t{kinds}\n")
    by_kanji = {literal: readings for literal, readings, _ in rows}
    print(f"wrote {KANJI_READINGS}: {len(rows)} rows")
    print("  samples: " + "  ".join(f"{k}={'|'.join(by_kanji.get(k, []))}" for k in "翔陽斎"))
    if "ショウ" not in by_kanji.get("翔", []) or "ハル" not in by_kanji.get("陽", []):
        sys.exit("gen_name_readings: check failed: 翔 should read ショウ and 陽 ハル")
    return len(rows)


def main():
    if sys.argv[1:] not in ([], ["--kanji"]):
        sys.exit("usage: gen_name_readings.py [--kanji]")
    if not sys.argv[1:]:
        write_name_readings()
    write_kanji_readings()
    print("checks passed")


if __name__ == "__main__":
    main()
