#!/usr/bin/env python3
"""Generate dictionaries/kanji-variants.tsv: kanji variant (異体字) pairs for name search.

Sources (Debian packages, read in place; nothing is downloaded):
  * kanjidic-xml: /usr/share/edict/kanjidic2.xml.gz (KANJIDIC2). Its <variant var_type=
    "jis208|jis212|jis213|ucs"> cross-references carry the 新字体/旧字体 and 異体字 links
    (斎/齋, 辺/邊/邉, 浜/濱, 沢/澤, 桜/櫻) that Unihan lacks; <grade> 1-8 = 常用漢字,
    9 = 人名用漢字, 10 = 人名用漢字 that is an old form of a 常用漢字 (國, 櫻, 齊).
  * unicode-data: /usr/share/unicode/Unihan_Variants.txt.bz2 (kZVariant, kSemanticVariant,
    kSpecializedSemanticVariant, kTraditionalVariant, kSimplifiedVariant) and
    Unihan_IRGSources.txt.bz2 (kCompatibilityVariant).
  * mecab-ipadic: /usr/share/mecab/dic/ipadic/Noun.name.csv (EUC-JP), only to count how
    often a character occurs in person names (a tie-breaker).

Output columns: variant, canonical, strength.
  same  the two are one character for name matching (old/new form, 異体字): search folds
        `variant` to `canonical`. Every variant has exactly one canonical, chains are
        resolved (邉 → 辺, not 邉 → 邊), no canonical is also a variant.
  weak  two DIFFERENT characters (both canonical) that are commonly confused in names
        (斎/斉): a match through them is only a low-ranked candidate. Symmetric.

The table assumes its input is already NFKC-normalised: characters that NFKC changes
(CJK compatibility ideographs with a canonical decomposition, such as U+FA4F 祐 → 祐) are
left out, as NFKC already folds them. The twelve compatibility ideographs that are really
unified ideographs (U+FA0E, FA0F, FA11 﨑, FA13, FA14, FA1F, FA21, FA23, FA24, FA27-FA29)
have no decomposition and are listed where they are name variants.

Licences: the output is derived from KANJIDIC2 (CC BY-SA 3.0, EDRDG) and is a modified
form of Unicode's Unihan data (Unicode licence); see dictionaries/README.md, "Licences",
for the notices that must accompany it.

Usage:
    python3 scripts/gen_kanji_variants.py            # writes the file, prints a summary
    python3 scripts/gen_kanji_variants.py --explain  # also lists every doubtful decision
"""

import argparse
import bz2
import collections
import csv
import gzip
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

KANJIDIC = Path("/usr/share/edict/kanjidic2.xml.gz")
UNIHAN_VARIANTS = Path("/usr/share/unicode/Unihan_Variants.txt.bz2")
UNIHAN_IRG = Path("/usr/share/unicode/Unihan_IRGSources.txt.bz2")
IPADIC_NAMES = Path("/usr/share/mecab/dic/ipadic/Noun.name.csv")
OUT_PATH = Path(__file__).resolve().parent.parent / "dictionaries" / "kanji-variants.tsv"

PACKAGES = {KANJIDIC: "kanjidic-xml", UNIHAN_VARIANTS: "unicode-data", UNIHAN_IRG: "unicode-data",
            IPADIC_NAMES: "mecab-ipadic"}

# --- hand-curated overrides -----------------------------------------------------------
# (variant, canonical): must fold, whatever the sources say.
MUST_SAME = [
    # はしご高: the commonest 異体字 in family names (髙橋, 髙田). Not in KANJIDIC2 (not in
    # JIS X 0208/0212/0213 as a separate character); Unihan has only a semantic link.
    ("髙", "高"),
    # たつさき: U+FA11 is a compatibility ideograph WITHOUT a decomposition, so NFKC keeps it
    # (山﨑, 宮﨑). Unihan links it semantically to 崎 and 埼 alike; it is the 崎 form.
    ("﨑", "崎"),
    # つちよし (𠮷野家, 𠮷田): a glyph variant of 吉; Unihan only marks it a spoofing variant.
    ("𠮷", "吉"),
    # 旧字体 of 清 (淸水), not in KANJIDIC2; Unihan has no link.
    ("淸", "清"),
    # 濵 (濵田, 長濵) is a 俗字 of 濱 = 浜; Unihan links it semantically to 濱 only.
    ("濵", "浜"),
    # 栁 (栁田, 栁沢) is a 異体字 of 柳; Unihan semantic link only.
    ("栁", "柳"),
    # 槇 is the 正字, 槙 the 俗字 (both 人名用漢字, KANJIDIC2 links them): the same name
    # (槇原/槙原, 槇村/槙村). 槙 is the more common spelling, so it is the canonical one.
    ("槇", "槙"),
    # 碕 is linked by KANJIDIC2 to both 崎 and 埼; in names (川碕, 碕山) it is the 崎 form.
    ("碕", "崎"),
    # 嵜 (宮嵜, 嵜本): 異体字 of 崎 (KANJIDIC2 also links it to 埼 through 崎's cluster).
    ("嵜", "崎"),
    # 俗字 used in family names, linked by Unihan only semantically (so not folded
    # automatically): 邨 (中邨, 木邨) = 村, 栢 (栢木) = 柏, 暎 (暎子) = 映, 崋 (崋山) = 華.
    ("邨", "村"), ("栢", "柏"), ("暎", "映"), ("崋", "華"),
    # Unicode encodes these Taiwan/Korea source glyphs apart from the Japanese ones, JIS has
    # one code for both; text typed with a Chinese IME or converted from Big5 has them
    # (內田, 靑木, 敎子, 尙子). Unihan links them only as simplified/semantic variants or not at
    # all. (戶/戸, 吳/呉, 悅/悦, 說/説, 郞/郎 ... come from Unihan kZVariant.)
    ("內", "内"), ("靑", "青"), ("敎", "教"), ("尙", "尚"),
]

# (a, b): two DIFFERENT name characters that are commonly confused; both stay canonical.
MUST_WEAK = [
    # 斎藤 and 斉藤 are different family names (斎 = 齋 "purification", 斉 = 齊 "equal"),
    # but are routinely mistyped for each other: a low-ranked candidate, never folded.
    ("斎", "斉"),
    # 竜 is officially the 新字体 of 龍 (人名用漢字 lists 龍 as its old form), but in given
    # names both are chosen on purpose and kept apart (龍之介/竜之介, 龍馬/竜馬), and
    # 戸籍 treats them as different 正字. Folding them would rank a 竜也 equal to a 龍也;
    # as a weak pair the exact spelling ranks first and the other still shows.
    ("竜", "龍"),
    # 崎 and 埼 (埼玉) are separate 常用漢字 that Unihan and KANJIDIC2 link; 山崎/山埼 are
    # confused, but are not the same name.
    ("崎", "埼"),
    # 祐 (祐介) and 佑 (佑介): different characters, same reading, constantly confused.
    ("祐", "佑"),
    # 伊藤 is often mistyped 伊籐 (籐 "rattan" is another character).
    ("藤", "籐"),
    # 渡辺/渡部 are different names, but 辺 and 部 are not variants: not listed on purpose.
]

# (a, b): must never be linked, in either strength (regressions seen in other engines:
# characters that merely look alike).
MUST_NOT = [
    ("健", "見"),
    ("斎", "齊"), ("斉", "齋"),  # only through the weak pair 斎/斉, never folded
    ("土", "士"), ("己", "已"), ("己", "巳"), ("末", "未"), ("大", "太"), ("太", "犬"),
]

# Characters printed with their result in the summary (the brief's check list).
CHECK_LIST = "髙﨑齋齊邊邉濱澤國櫻廣德惠眞槇嶋嶌冨藪龍黑瀨榮曾條寬淸增渕淵渊斎斉竜辻祐健見𠮷"


def require(path):
    if not path.is_file():
        sys.exit(f"gen_kanji_variants: {path} not found; run `apt-get install {PACKAGES[path]}` first.")


def is_nfkc_stable(ch):
    return unicodedata.normalize("NFKC", ch) == ch


# --- sources -------------------------------------------------------------------------

class Kanji:
    __slots__ = ("literal", "grade", "codes", "variant_refs")

    def __init__(self, literal, grade, codes, variant_refs):
        self.literal, self.grade, self.codes, self.variant_refs = literal, grade, codes, variant_refs


def read_kanjidic():
    require(KANJIDIC)
    kanji = {}
    with gzip.open(KANJIDIC) as f:
        for _, element in ET.iterparse(f):
            if element.tag != "character":
                continue
            literal = element.findtext("literal")
            grade = element.findtext("misc/grade")
            codes = {(cp.get("cp_type"), cp.text.lower()) for cp in element.iter("cp_value")}
            refs = [(v.get("var_type"), v.text.lower()) for v in element.iter("variant")]
            kanji[literal] = Kanji(literal, int(grade) if grade else None, codes, refs)
            element.clear()
    return kanji


def kanjidic_links(kanji):
    """Undirected pairs from KANJIDIC2 <variant> references that name a code (jis208,
    jis212, jis213, ucs); dictionary-number references (nelson_c, deroo ...) are ambiguous
    and skipped."""
    by_code = {}
    for k in kanji.values():
        for code in k.codes:
            by_code[code] = k.literal
    links = set()
    for k in kanji.values():
        for var_type, value in k.variant_refs:
            if var_type not in ("jis208", "jis212", "jis213", "ucs"):
                continue
            other = by_code.get((var_type, value))
            if other is None and var_type == "ucs":
                other = chr(int(value, 16))
            if other and other != k.literal:
                links.add(frozenset((k.literal, other)))
    return links


def read_unihan():
    """{frozenset pair: set of Unihan field names}."""
    require(UNIHAN_VARIANTS)
    require(UNIHAN_IRG)
    links = collections.defaultdict(set)

    def add(cp, field, values):
        a = chr(int(cp[2:], 16))
        for value in values.split():
            b = chr(int(value.split("<")[0][2:], 16))
            if a != b:
                links[frozenset((a, b))].add(field)

    with bz2.open(UNIHAN_VARIANTS, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cp, field, values = line.rstrip("\n").split("\t")
            if field != "kSpoofingVariant":
                add(cp, field, values)
    with bz2.open(UNIHAN_IRG, "rt", encoding="utf-8") as f:
        for line in f:
            if "\tkCompatibilityVariant\t" in line:
                cp, field, values = line.rstrip("\n").split("\t")
                add(cp, field, values)
    return links


def name_character_counts():
    """How many ipadic person-name entries (姓/名) contain each character."""
    require(IPADIC_NAMES)
    counts = collections.Counter()
    with open(IPADIC_NAMES, encoding="euc_jp", newline="") as f:
        for row in csv.reader(f):
            if row[7] in ("姓", "名"):
                counts.update(set(row[0]))
    return counts


# --- classification --------------------------------------------------------------------

def tier(ch, kanji):
    """Lower = more standard. 0 常用, 1 人名用, 2 人名用 old form (grade 10), 3 JIS X 0208
    level 1, 4 JIS X 0208 level 2, 5 JIS X 0212/0213 only, 6 none of these."""
    k = kanji.get(ch)
    if k is None:
        return 6
    if k.grade is not None:
        return 0 if k.grade <= 8 else 1 if k.grade == 9 else 2
    for code_type, value in k.codes:
        if code_type == "jis208":
            return 3 if int(value.split("-")[1]) <= 47 else 4
    return 5


def is_standard(ch, kanji):
    return tier(ch, kanji) <= 1


def build(kanji, unihan, name_counts, explain):
    japanese = {ch for ch in kanji if is_nfkc_stable(ch)}
    overridden = {c for pair in MUST_SAME for c in pair} | {c for pair in MUST_WEAK for c in pair}
    japanese |= overridden
    must_not = {frozenset(p) for p in MUST_NOT}
    must_weak = {frozenset(p) for p in MUST_WEAK}

    def preference(ch):
        return (tier(ch, kanji), -name_counts[ch], ord(ch))

    same_edges = collections.defaultdict(set)
    demoted = set()
    weak_pairs = set()
    notes = collections.defaultdict(list)

    def add_same(a, b, why):
        same_edges[a].add(b)
        same_edges[b].add(a)
        notes["same: " + why].append(a + b)

    kd = kanjidic_links(kanji)
    for pair in sorted(kd, key=lambda p: sorted(map(ord, p))):
        a, b = sorted(pair, key=preference)
        if not (a in japanese and b in japanese) or pair in must_not or pair in must_weak:
            continue
        if is_standard(a, kanji) and is_standard(b, kanji):
            if tier(a, kanji) == 0 and tier(b, kanji) == 0:
                # Two 常用漢字 (坂/阪): different characters that are confused.
                weak_pairs.add(pair)
                notes["weak: KANJIDIC2 link between two 常用漢字"].append(a + b)
            else:
                # A 人名用漢字 linked to another standard character: the 人名用漢字表 lists
                # these as 異体字 of one character (亘/亙, 凛/凜, 遥/遙, 禄/祿, 槙/槇): one
                # name. The preferred one (常用, else commoner in names) stays canonical.
                demoted.add(b)
                add_same(a, b, "KANJIDIC2 link, 人名用漢字 異体字 pair")
        else:
            add_same(a, b, "KANJIDIC2 link")
    for pair, fields in sorted(unihan.items(), key=lambda kv: sorted(map(ord, kv[0]))):
        a, b = sorted(pair, key=preference)
        if pair in must_not or pair in must_weak or pair in kd:
            continue
        if not (a in japanese and b in japanese):
            # A z-variant is the same abstract character in another source's glyph (戶/戸,
            # 吳/呉, 說/説: Unicode keeps Taiwan/Korea forms apart): enough that one side is
            # Japanese. Everything else needs both sides Japanese.
            if not ("kZVariant" in fields and (a in japanese or b in japanese)
                    and is_nfkc_stable(a) and is_nfkc_stable(b)):
                continue
        if fields & {"kZVariant", "kCompatibilityVariant"}:
            if is_standard(a, kanji) and is_standard(b, kanji):
                weak_pairs.add(pair)
                notes["weak: Unihan z/compatibility variant, both standard"].append(a + b)
            else:
                add_same(a, b, "Unihan " + "/".join(sorted(fields)))
        elif fields & {"kSemanticVariant", "kSpecializedSemanticVariant"}:
            # Semantic-only: never folded, and not even linked weakly: the links are too
            # loose for names (財/才, 陣/陳, 咲/笑, 機/机, 鮎/鯰). The few that matter for
            # names are in MUST_SAME / MUST_WEAK. --explain lists the ones in person names.
            if name_counts[a] and name_counts[b]:
                notes["dropped: Unihan semantic-only link, both in person names"].append(a + b)
            else:
                notes["dropped: Unihan semantic-only link"].append(a + b)
        else:
            # kTraditionalVariant / kSimplifiedVariant without a KANJIDIC2 link: a Chinese
            # simplification (云/雲, 后/後), irrelevant to Japanese names.
            notes["dropped: Unihan traditional/simplified only"].append(a + b)
    for variant, canonical in MUST_SAME:
        for other in list(same_edges[variant]):
            same_edges[other].discard(variant)
        same_edges[variant] = set()
        add_same(variant, canonical, "override")

    # Anchors are characters that must be canonical: the 常用/人名用 ones, both sides of a
    # weak override, and the targets of same overrides. Every other character is folded to
    # the nearest anchor reachable through same-edges without passing another anchor.
    anchors = {ch for ch in same_edges if is_standard(ch, kanji)} - demoted
    anchors |= {c for pair in MUST_WEAK for c in pair}
    anchors |= {canonical for _, canonical in MUST_SAME}
    anchors -= {variant for variant, _ in MUST_SAME}
    canonical_of = {}
    ties = []
    seen = set()
    for start in sorted(same_edges, key=ord):
        if start in seen or not same_edges[start]:
            continue
        component, queue = {start}, [start]
        while queue:
            for n in same_edges[queue.pop()]:
                if n not in component:
                    component.add(n)
                    queue.append(n)
        seen |= component
        roots = sorted(component & anchors, key=preference) or [min(component, key=preference)]
        for ch in component:
            if ch in roots:
                continue
            # BFS from ch through non-anchors: the nearest roots win, ties by preference.
            distance, frontier, found = {ch: 0}, [ch], []
            while frontier and not found:
                nxt = []
                for node in frontier:
                    for n in same_edges[node]:
                        if n in distance:
                            continue
                        distance[n] = distance[node] + 1
                        if n in roots:
                            found.append(n)
                        elif n not in anchors:
                            nxt.append(n)
                frontier = nxt
            if not found:
                continue
            found = sorted(set(found), key=preference)
            if len(found) > 1:
                ties.append((ch, found))
            canonical_of[ch] = found[0]
        # Several anchors in one cluster are different characters that share variants:
        # link them weakly (斉 and 斎 would be, if a variant linked both).
        for i, a in enumerate(roots):
            for b in roots[i + 1:]:
                pair = frozenset((a, b))
                if pair not in must_not:
                    weak_pairs.add(pair)
                    notes["weak: two standard characters sharing a variant"].append(a + b)
    for pair in must_weak:
        weak_pairs.add(pair)

    # Resolve weak pairs onto canonicals.
    weak = set()
    for pair in weak_pairs:
        a, b = (canonical_of.get(c, c) for c in pair)
        resolved = frozenset((a, b))
        if a != b and (resolved not in must_not or resolved in must_weak):
            weak.add(resolved)
    weak = {p for p in weak if all(is_nfkc_stable(c) for c in p)}

    if explain:
        for why, items in sorted(notes.items()):
            print(f"{why}: {len(items)}")
            print("   " + " ".join(items))
        print("variants equidistant from several canonicals (first chosen):")
        for ch, found in ties:
            print(f"   {ch} -> {''.join(found)}")
    return canonical_of, weak, ties


def check(canonical_of, weak):
    variants, canonicals = set(canonical_of), set(canonical_of.values())
    if variants & canonicals:
        sys.exit(f"gen_kanji_variants: check failed: canonical also a variant: {''.join(sorted(variants & canonicals))}")
    weak_chars = {c for p in weak for c in p}
    if weak_chars & variants:
        sys.exit(f"gen_kanji_variants: check failed: weak pair on a variant: {''.join(sorted(weak_chars & variants))}")
    for a, b in MUST_NOT:
        if frozenset((a, b)) in weak and frozenset((a, b)) not in {frozenset(p) for p in MUST_WEAK}:
            sys.exit(f"gen_kanji_variants: check failed: {a}/{b} linked weakly")
        if canonical_of.get(a, a) == canonical_of.get(b, b):
            sys.exit(f"gen_kanji_variants: check failed: {a}/{b} folded together")
    expected = {"髙": "高", "﨑": "崎", "齋": "斎", "齊": "斉", "邊": "辺", "邉": "辺", "濱": "浜",
                "澤": "沢", "國": "国", "櫻": "桜", "廣": "広", "德": "徳", "惠": "恵", "眞": "真",
                "嶋": "島", "嶌": "島", "冨": "富", "藪": "薮", "黑": "黒", "瀨": "瀬", "榮": "栄",
                "曾": "曽", "條": "条", "寬": "寛", "淸": "清", "增": "増", "渕": "淵", "槇": "槙"}
    for variant, canonical in expected.items():
        if canonical_of.get(variant) != canonical:
            sys.exit(f"gen_kanji_variants: check failed: {variant} maps to {canonical_of.get(variant)}, expected {canonical}")
    for a, b in (("斎", "斉"), ("竜", "龍")):
        if frozenset((a, b)) not in weak:
            sys.exit(f"gen_kanji_variants: check failed: {a}/{b} is not a weak pair")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--explain", action="store_true", help="list every decision by reason")
    args = parser.parse_args()

    kanji = read_kanjidic()
    unihan = read_unihan()
    name_counts = name_character_counts()
    canonical_of, weak, ties = build(kanji, unihan, name_counts, args.explain)
    check(canonical_of, weak)

    rows = [(v, c, "same") for v, c in canonical_of.items()]
    for pair in weak:
        # The more standard character goes in the `canonical` column (the pair is symmetric).
        a, b = sorted(pair, key=lambda ch: (tier(ch, kanji), ord(ch)))
        rows.append((b, a, "weak"))
    rows.sort(key=lambda r: (r[2], ord(r[1]), ord(r[0])))
    with open(OUT_PATH, "w", encoding="utf-8", newline="") as f:
        f.write("variant\tcanonical\tstrength\n")
        for row in rows:
            f.write("\t".join(row) + "\n")

    counts = collections.Counter(r[2] for r in rows)
    print(f"wrote {OUT_PATH}: {len(rows)} rows ({counts['same']} same, {counts['weak']} weak); "
          f"{len(set(canonical_of.values()))} canonical characters")
    named = sum(1 for v in canonical_of if name_counts[v])
    print(f"  variants that occur in ipadic person names: {named}; ties resolved by preference: {len(ties)}")
    weak_of = collections.defaultdict(set)
    for a, b in (tuple(p) for p in weak):
        weak_of[a].add(b)
        weak_of[b].add(a)
    print("check list (character: canonical, weak partners of the canonical):")
    for ch in CHECK_LIST:
        canonical = canonical_of.get(ch, ch)
        status = f"same → {canonical}" if ch in canonical_of else "canonical"
        partners = "".join(sorted(weak_of.get(canonical, ()), key=ord))
        print(f"  {ch} U+{ord(ch):04X}: {status}" + (f"; weak: {partners}" if partners else ""))
    print("checks passed")


if __name__ == "__main__":
    main()
