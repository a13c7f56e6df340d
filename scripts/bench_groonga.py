"""Groonga, the engine a user would pick instead, loaded with the same records (scripts/bench.py).

One Groonga record per person (child, guardian, household member), configured for Japanese
names as far as Groonga 13's documentation goes:

- `NameTerms`: `TokenBigram` over the written name (family + given, no space) and the
  reading, normalised by `NormalizerNFKC150` with the kana options (hiragana, katakana and
  half-width katakana unified, small and large kana, voiced marks, hyphen and prolonged sound
  mark, ヴ, ヂ/ヅ, ヲ, オ after an o-sound) followed by a `NormalizerTable` that folds variant
  kanji (異体字, the `same` pairs of dictionaries/kanji-variants.tsv) to their standard form.
- `RomajiTerms`: the romaji lexicon. The reading and the record's own romaji, normalised with
  `unify_to_romaji` and split into bigrams (`TokenBigramSplitSymbolAlpha`), so that `sato`,
  `SATO` and `サトウ` meet.
- `Birthdates`: an exact-key (patricia trie) index on the birthdate, written as ISO (`2018-04-01`,
  `2018-04`, `2018`); a query's birthdate becomes a `filter` (`in_values` for a full date and
  the partial dates consistent with it, a prefix for year and month).

The loader normalises the records' untidy birthdates (`H30.4.1`, `平成30年4月1日`, `2018/4/1`,
`20180401`) to ISO, as anyone loading Groonga would. Index columns are created after the
load (Groonga's static index construction, its fastest bulk path). The HTTP server runs on
loopback with one worker thread per core (`--max-threads`) and its result cache off
(`--cache-limit 0`): the query mix cycles through distinct queries, and Mimamori has no result
cache.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import time
import unicodedata
import urllib.parse
import urllib.request

NAME_NORMALIZER = (
    'NormalizerNFKC150("unify_kana", true, "unify_kana_case", true, "unify_kana_voiced_sound_mark", true, '
    '"unify_hyphen_and_prolonged_sound_mark", true, "unify_middle_dot", true, "unify_katakana_v_sounds", true, '
    '"unify_katakana_di_sound", true, "unify_katakana_du_sound", true, "unify_katakana_wo_sound", true, '
    '"unify_katakana_trailing_o", true), '
    'NormalizerTable("normalized", "KanjiVariants.normalized", "unicode_version", "15.0.0")'
)
ROMAJI_NORMALIZER = (
    'NormalizerNFKC150("unify_to_romaji", true, "unify_hyphen_and_prolonged_sound_mark", true, '
    '"unify_katakana_v_sounds", true, "unify_middle_dot", true)'
)

SCHEMA = f"""
table_create KanjiVariants TABLE_PAT_KEY ShortText
column_create KanjiVariants normalized COLUMN_SCALAR ShortText
table_create Persons TABLE_HASH_KEY ShortText
column_create Persons authority COLUMN_SCALAR ShortText
column_create Persons external_id COLUMN_SCALAR ShortText
column_create Persons role COLUMN_SCALAR ShortText
column_create Persons name COLUMN_SCALAR ShortText
column_create Persons kana COLUMN_SCALAR ShortText
column_create Persons romaji COLUMN_SCALAR ShortText
column_create Persons birthdate COLUMN_SCALAR ShortText
"""

INDEXES = f"""
table_create NameTerms TABLE_PAT_KEY ShortText --default_tokenizer TokenBigram --normalizer '{NAME_NORMALIZER}'
column_create NameTerms persons_name COLUMN_INDEX|WITH_POSITION Persons name
column_create NameTerms persons_kana COLUMN_INDEX|WITH_POSITION Persons kana
table_create RomajiTerms TABLE_PAT_KEY ShortText --default_tokenizer TokenBigramSplitSymbolAlpha --normalizer '{ROMAJI_NORMALIZER}'
column_create RomajiTerms persons_kana COLUMN_INDEX|WITH_POSITION Persons kana
column_create RomajiTerms persons_romaji COLUMN_INDEX|WITH_POSITION Persons romaji
table_create Birthdates TABLE_PAT_KEY ShortText
column_create Birthdates persons_birthdate COLUMN_INDEX Persons birthdate
"""

MATCH_COLUMNS = "NameTerms.persons_name * 4 || NameTerms.persons_kana * 2 || RomajiTerms.persons_kana || RomajiTerms.persons_romaji"
OUTPUT_COLUMNS = "_key,_score,authority,external_id,role,name,kana,birthdate"

ERAS = {"M": 1867, "T": 1911, "S": 1925, "H": 1988, "R": 2018, "明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}
DATE_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), "western"),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), "western"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "western"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "western"),
    (re.compile(r"^(\d{4})/(\d{1,2})$"), "western"),
    (re.compile(r"^(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?$"), "western"),
    (re.compile(r"^(\d{4})年?$"), "western"),
    (re.compile(r"^([MTSHR])(\d{1,2})\.(\d{1,2})(?:\.(\d{1,2}))?$", re.IGNORECASE), "era"),
    (re.compile(r"^(明治|大正|昭和|平成|令和)(元|\d{1,2})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?$"), "era"),
]


def parse_date(text):
    """A date as people write it (2018-04-01, 2018/4/1, 20180401, H30.4.1, 平成30年4月1日, 2018年4月,
    2018-04, 2018, full-width digits) as an ISO string, partial when the text is; None if not a date."""
    text = unicodedata.normalize("NFKC", text).strip().replace("－", "-")
    for pattern, kind in DATE_PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        parts = [part for part in match.groups()]
        if kind == "era":
            era = parts[0].upper() if len(parts[0]) == 1 else parts[0]
            year = ERAS[era] + (1 if parts[1] == "元" else int(parts[1]))
            rest = parts[2:]
        else:
            year = int(parts[0])
            rest = parts[1:]
        fields = [year] + [int(part) for part in rest if part is not None]
        if len(fields) > 1 and not 1 <= fields[1] <= 12 or len(fields) > 2 and not 1 <= fields[2] <= 31:
            return None
        return "-".join([f"{fields[0]:04d}"] + [f"{value:02d}" for value in fields[1:]])
    return None


def split_query(q):
    """A search box's text as name terms and a birthdate (ISO, possibly partial, or None)."""
    words = unicodedata.normalize("NFKC", q).split()
    terms, birthdate = [], None
    for word in words:
        date = parse_date(word) if birthdate is None else None
        if date is not None:
            birthdate = date
        else:
            terms.append(word)
    return terms, birthdate


def quote(term):
    """One term of Groonga's query syntax, quoted: a phrase, with no operator inside it."""
    return '"' + term.replace("\\", "\\\\").replace('"', '\\"') + '"'


def birthdate_filter(birthdate):
    """The records whose birthdate is the query's, or a partial birthdate consistent with it."""
    if birthdate is None:
        return None
    parts = birthdate.split("-")
    if len(parts) == 3:
        values = ", ".join(json.dumps(value) for value in (birthdate, "-".join(parts[:2]), parts[0]))
        return f"in_values(birthdate, {values})"
    if len(parts) == 2:
        return f"birthdate @^ {json.dumps(birthdate)} || birthdate == {json.dumps(parts[0])}"
    return f"birthdate @^ {json.dumps(parts[0])}"


def select_parameters(q, limit):
    """The `select` a competent user would send for a search box's text: the name terms (all of
    them, each in any name column) as `query`, ranked by score, the birthdate as `filter`."""
    terms, birthdate = split_query(q)
    parameters = {"table": "Persons", "output_columns": OUTPUT_COLUMNS, "limit": str(limit), "sort_keys": "-_score"}
    if terms:
        parameters["match_columns"] = MATCH_COLUMNS
        parameters["query"] = " ".join(quote(term) for term in terms)
    condition = birthdate_filter(birthdate)
    if condition is not None:
        parameters["filter"] = condition
    return parameters


def select_path(q, limit):
    """GET path of the select for the HTTP server."""
    return "/d/select?" + urllib.parse.urlencode(select_parameters(q, limit))


def select_command(q, limit):
    """The same select as a command line (for `groonga DB` on standard input)."""
    return "select " + " ".join(f"--{key} {quote(value)}" for key, value in select_parameters(q, limit).items())


def person_rows(jsonl):
    """Persons of the JSON Lines records as Groonga rows (key: external id / role / position)."""
    with open(jsonl, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            people = [("child", record.get("child") or {})]
            people += [("guardian", person) for person in record.get("guardians", [])]
            people += [("household", person) for person in record.get("household", [])]
            for position, (role, person) in enumerate(people):
                birthdate = parse_date(person["birthdate"]) if person.get("birthdate") else None
                yield {
                    "_key": f"{record['external_id']}/{role}/{position}",
                    "authority": record.get("authority", ""),
                    "external_id": record["external_id"],
                    "role": role,
                    "name": (person.get("family_name") or "") + (person.get("given_name") or ""),
                    "kana": (person.get("family_name_kana") or "") + (person.get("given_name_kana") or ""),
                    "romaji": person.get("romaji") or "",
                    "birthdate": birthdate or "",
                }


def variant_rows(dictionaries):
    """Variant kanji → standard form, from the project's table (the `same` pairs only)."""
    with open(os.path.join(dictionaries, "kanji-variants.tsv"), encoding="utf-8") as file:
        next(file)
        for line in file:
            variant, canonical, strength = line.rstrip("\n").split("\t")
            if strength == "same":
                yield {"_key": variant, "normalized": canonical}


def run_commands(database, commands, create=False):
    """Runs Groonga commands (text, one per line; `load` followed by its JSON) with the groonga
    CLI on the database; returns the replies, one per command. Fails on an error reply."""
    arguments = ["groonga"] + (["-n"] if create else []) + [database]
    completed = subprocess.run(arguments, input=commands, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"groonga exited {completed.returncode}: {completed.stderr[-2000:]}")
    replies = [json.loads(line) for line in completed.stdout.splitlines() if line.strip()]
    for reply in replies:
        if reply[0][0] != 0:
            raise RuntimeError(f"groonga: {reply[0][3] if len(reply[0]) > 3 else reply}")
    return replies


def load(folder, jsonl, dictionaries):
    """Creates a Groonga database in `folder` and loads the persons of `jsonl` into it, the index
    built after the rows. Returns (seconds, persons, bytes on disk)."""
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    database = os.path.join(folder, "db")
    started = time.perf_counter()
    process = subprocess.Popen(["groonga", "-n", database], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    # The CLI answers each command with one short line (a load's at its end), far less than a
    # pipe holds: everything is written first, the replies are collected at the end.
    persons = 0

    def commands():
        nonlocal persons
        yield SCHEMA
        yield "load --table KanjiVariants\n" + json.dumps(list(variant_rows(dictionaries)), ensure_ascii=False) + "\n"
        yield "load --table Persons\n[\n"
        first = True
        for row in person_rows(jsonl):
            persons += 1
            yield ("" if first else ",\n") + json.dumps(row, ensure_ascii=False)
            first = False
        yield "\n]\n"
        yield INDEXES

    for chunk in commands():
        process.stdin.write(chunk)
    output, error = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"groonga load exited {process.returncode}: {error[-2000:]}")
    for line in output.splitlines():
        if line.strip() and json.loads(line)[0][0] != 0:
            raise RuntimeError(f"groonga load: {line[:500]}")
    count = run_commands(database, "select Persons --limit 0\n")[0][1][0][0][0]
    if count != persons:
        raise RuntimeError(f"groonga load: {count} persons in the table, {persons} in the file")
    return seconds, persons, folder_size(folder)


def folder_size(path):
    return sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(path) for name in names)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(folder):
    """Starts `groonga -s --protocol http` on loopback for the database in `folder`; returns
    (process, base URL) once it answers `status`."""
    port = free_port()
    process = subprocess.Popen(["groonga", "-s", "--protocol", "http", "--bind-address", "127.0.0.1", "-p", str(port),
                                "--max-threads", str(max(2, os.cpu_count() or 2)), "--cache-limit", "0", "--log-path", os.path.join(folder, "groonga.log"),
                                "--query-log-path", os.devnull, os.path.join(folder, "db")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(base + "/d/status", timeout=5) as reply:
                json.load(reply)
            return process, base
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"groonga did not start: {process.stderr.read()[-2000:]}")
            time.sleep(0.1)


def search(base, q, limit):
    """One select over HTTP: (total hits, rows as dicts)."""
    with urllib.request.urlopen(base + select_path(q, limit), timeout=60) as reply:
        answer = json.load(reply)
    if answer[0][0] != 0:
        raise RuntimeError(f"groonga select failed for a query: {answer[0]}")
    result = answer[1][0]
    columns = [name for name, _ in result[1]]
    return result[0][0], [dict(zip(columns, row)) for row in result[2:]]
