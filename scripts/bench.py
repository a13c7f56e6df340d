#!/usr/bin/env python3
"""Benchmarks: Mimamori against Groonga in the same run — import, disk, search over HTTP, and
the in-process search beside a bare FTS5 MATCH.

For each size (100k records; BENCH_LARGE=1 adds 1M; BENCH_TINY=1 is 2,000 records, one run,
2 s per wrk run, for checking the script itself) it:

1. generates the records with `mimamori demo-data --seed 7`;
2. imports them RUNS times, alternating `mimamori import` into a fresh store and a Groonga load
   into a fresh database (scripts/bench_groonga.py: the configuration, one Groonga record per
   person), plus a re-import of the same file (the upsert path) and a raw SQLite insert of the
   lines (the floor of a store's import): records/s, bytes on disk for both;
3. writes the query mix with `mimamori bench queries` (every variation class of `make eval`,
   at least 400 distinct queries for the same records);
4. serves both: `mimamori serve` (release build, access log on, to /dev/null) with a worker's
   bearer token, and `groonga -s --protocol http` on loopback; checks every query once on both
   (errors, hits per query, Groonga's recall@10);
5. drives `GET /api/v1/search?q=…&limit=L` and Groonga's `/d/select` with wrk at 1, 16 and 64
   connections, limit 100 and 20, through a Lua script that cycles through the query mix (each
   wrk thread from its own offset), RUNS times interleaved (Mimamori, Groonga, Mimamori, …), and
   the ceilings: `GET /healthz` (a bare libmicrohttpd reply of the server) and Groonga's
   `/d/status`;
6. runs `mimamori bench search` (in process: search p50/p95/p99 beside a bare FTS5 MATCH of the
   same expressions) at the dataset's person count — and, with BENCH_LARGE=1, at 10M persons.

Every figure is the median of RUNS runs (3; BENCH_LARGE_RUNS, default 1, for the imports and
in-process runs at 1M records and 10M persons) with its min–max. The machine's noise is
measured too: the same fixed CPU-bound task timed five times before every run; its spread is
the part of any difference that says nothing about the code. Everything is printed and also
written as JSON to BENCH_RESULTS (default bench-results.json, not tracked by git).

    python3 scripts/bench.py BINARY                  # everything (what `make bench` runs)
    python3 scripts/bench.py BINARY http DATA JSONL  # only the HTTP comparison, on an imported store of JSONL (BENCH_SEED: its seed)
    python3 scripts/bench.py BINARY check            # the query mix and its Groonga translation at 2,000 records (a test runs it)
    python3 scripts/bench.py compare BASELINE BINARY # import and search, baseline vs this build, interleaved

Environment: BENCH_RUNS, BENCH_LARGE, BENCH_LARGE_RUNS, BENCH_TINY, BENCH_WRK_SECONDS (10),
BENCH_QUERIES_PER_CLASS (20), BENCH_RESULTS, BENCH_SEED (7; the seed the JSONL of `http` was generated with).

`compare` (what `make bench-compare BASELINE=<commit>` runs) measures two builds in the same
run, alternating them (baseline, this build, baseline, …) so that the machine's drift falls on
both: the import of the 100k dataset into a fresh store RUNS times each, and
`mimamori bench search --persons 100000` RUNS times each; it prints medians, spreads and the
ratio this/baseline (above 1: this build is slower).
"""
import hashlib
import json
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_groonga as groonga  # noqa: E402

TINY = os.environ.get("BENCH_TINY") == "1"
LARGE = os.environ.get("BENCH_LARGE") == "1" and not TINY
RUNS = int(os.environ.get("BENCH_RUNS", "1" if TINY else "3"))
# 1M imports take minutes each: one run unless BENCH_LARGE_RUNS says otherwise.
LARGE_RUNS = int(os.environ.get("BENCH_LARGE_RUNS", "1"))
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "2" if TINY else "10"))
QUERIES_PER_CLASS = int(os.environ.get("BENCH_QUERIES_PER_CLASS", "20"))
RESULTS = os.environ.get("BENCH_RESULTS", "bench-results.json")
CONNECTIONS = (1, 16, 64)
LIMITS = (100, 20)
# The generator's seed; BENCH_SEED lets the `http` mode run on a dataset made with another seed
# (e.g. `mimamori bench search --folder`, seed 5): the query mix must be drawn for the same records.
SEED = int(os.environ.get("BENCH_SEED", "7"))
LARGE_PERSONS = 10_000_000
MINIMUM_QUERIES = 400
DICTIONARIES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "dictionaries")


def timed(args):
    started = time.perf_counter()
    completed = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        sys.exit(f"bench: {' '.join(args)} failed ({completed.returncode}):\n{completed.stderr[-2000:]}")
    return elapsed, completed.stdout.strip()


def folder_size(path):
    return sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(path) for name in names)


def folder_blocks(path):
    """Bytes allocated on disk (what `du` counts): Groonga's files are large and sparse."""
    return sum(os.stat(os.path.join(root, name)).st_blocks * 512 for root, _, names in os.walk(path) for name in names)


def log(text):
    print(text, file=sys.stderr, flush=True)


def spread(values, digits=2):
    """`median (min–max)` of a list of numbers."""
    if not values:
        return "-"
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values} if values else None


class Noise:
    """The machine's noise: a fixed CPU-bound task (SHA-256 over 8 MiB, four times) timed five times
    before every measured run. Its spread is how much the same work varies on this machine now."""

    def __init__(self):
        self.samples = []
        self.block = b"\x5a" * (8 << 20)

    def probe(self):
        for _ in range(5):
            started = time.perf_counter()
            for _ in range(4):
                hashlib.sha256(self.block).digest()
            self.samples.append((time.perf_counter() - started) * 1000)

    def figures(self):
        if not self.samples:
            return None
        median = statistics.median(self.samples)
        ordered = sorted(self.samples)
        p10 = ordered[len(ordered) // 10]
        p90 = ordered[min(len(ordered) - 1, len(ordered) * 9 // 10)]
        return {"task": "sha256 of 32 MiB", "samples": len(self.samples), "median_ms": round(median, 2),
                "min_ms": round(ordered[0], 2), "max_ms": round(ordered[-1], 2),
                "p10_p90_spread_percent": round((p90 - p10) / median * 100, 1),
                "min_max_spread_percent": round((ordered[-1] - ordered[0]) / median * 100, 1)}


NOISE = Noise()


def baseline(jsonl, folder):
    path = os.path.join(folder, "baseline.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    started = time.perf_counter()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    with open(jsonl, encoding="utf-8") as lines:
        with connection:
            connection.executemany("INSERT INTO cases (body) VALUES (?)", ((line,) for line in lines))
    connection.close()
    return time.perf_counter() - started


def compare(baseline_binary, binary):
    work = tempfile.mkdtemp(prefix="mimamori-compare-")
    try:
        jsonl = os.path.join(work, "demo-100000.jsonl")
        timed([binary, "demo-data", "--records", "100000", "--seed", "7", "--output", jsonl])
        builds = [("baseline", baseline_binary), ("this", binary)]
        imports = {name: [] for name, _ in builds}
        searches = {name: [] for name, _ in builds}
        for run in range(RUNS):
            for name, path in builds:
                data = os.path.join(work, f"data-{name}")
                shutil.rmtree(data, ignore_errors=True)
                seconds, _ = timed([path, "import", "--data", data, jsonl])
                imports[name].append(seconds)
                print(f"  import run {run + 1}, {name}: {seconds:.2f} s", file=sys.stderr)
            for name, path in builds:
                _, output = timed([path, "bench", "search", "--persons", "100000"])
                result = json.loads(output.splitlines()[-1])
                searches[name].append(result["search_ms"])
                print(f"  search run {run + 1}, {name}: p50 {result['search_ms']['p50']} ms", file=sys.stderr)
        def spread(values):
            return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"
        rows = [("import 100k, s", imports["baseline"], imports["this"])]
        for key in ("p50", "p95", "p99"):
            rows.append((f"search {key}, ms", [r[key] for r in searches["baseline"]], [r[key] for r in searches["this"]]))
        print(f"{'':18} {'baseline median (min–max)':>28} {'this build median (min–max)':>30} {'ratio':>6}")
        for label, base, this in rows:
            ratio = statistics.median(this) / max(statistics.median(base), 1e-9)
            print(f"{label:18} {spread(base):>28} {spread(this):>30} {ratio:>6.2f}")
        print(json.dumps({"imports_s": imports, "search_ms": searches}))
    finally:
        shutil.rmtree(work, ignore_errors=True)



def count_persons(jsonl):
    with open(jsonl, encoding="utf-8") as lines:
        return sum(1 + len(record.get("guardians", [])) + len(record.get("household", []))
                   for record in map(json.loads, lines))


def export_queries(binary, records, path):
    """The query mix for the records `demo-data --records N --seed 7` wrote: distinct queries of
    every variation class (`mimamori bench queries`)."""
    timed([binary, "bench", "queries", "--records", str(records), "--seed", str(SEED),
           "--per-class", str(QUERIES_PER_CLASS), "--output", path])
    with open(path, encoding="utf-8") as lines:
        queries = [json.loads(line) for line in lines]
    distinct = len({query["q"] for query in queries})
    if distinct < MINIMUM_QUERIES:
        sys.exit(f"bench: the query mix has {distinct} distinct queries, fewer than {MINIMUM_QUERIES}")
    return queries


def mix_figures(queries):
    classes = {}
    for query in queries:
        classes[query["label"]] = classes.get(query["label"], 0) + 1
    return {"queries": len(queries), "distinct": len({query["q"] for query in queries}), "classes": len(classes),
            "per_class": classes}


# --- Import and disk --------------------------------------------------------------------------

def bench_imports(binary, jsonl, size, work):
    """Mimamori import and Groonga load of the same file, alternated; re-import; raw insert; disk."""
    runs = RUNS if size < 1_000_000 else LARGE_RUNS
    data = os.path.join(work, "data")
    database = os.path.join(work, "groonga")
    imports, loads = [], []
    persons = 0
    for run in range(runs):
        NOISE.probe()
        shutil.rmtree(data, ignore_errors=True)
        seconds, _ = timed([binary, "import", "--data", data, jsonl])
        imports.append(seconds)
        log(f"  {size} records, run {run + 1}: mimamori import {seconds:.2f} s")
        seconds, persons, _ = groonga.load(database, jsonl, DICTIONARIES)
        loads.append(seconds)
        log(f"  {size} records, run {run + 1}: groonga load {seconds:.2f} s ({persons} persons)")
    reimport, reimport_summary = timed([binary, "import", "--data", data, jsonl])
    raw = baseline(jsonl, work)
    os.remove(os.path.join(work, "baseline.sqlite"))
    for suffix in ("-wal", "-shm"):
        if os.path.exists(os.path.join(work, "baseline.sqlite" + suffix)):
            os.remove(os.path.join(work, "baseline.sqlite" + suffix))
    mimamori_bytes, groonga_bytes = folder_blocks(data), folder_blocks(database)
    return {
        "records": size,
        "persons": persons,
        "input_mib": round(os.path.getsize(jsonl) / 2**20, 1),
        "mimamori": {
            "import_s": summary([round(value, 2) for value in imports]),
            "import_records_per_s": round(size / statistics.median(imports)),
            "reimport_unchanged_records_per_s": round(size / reimport),
            "reimport_summary": reimport_summary,
            "disk_mib": round(mimamori_bytes / 2**20, 1),
            "apparent_mib": round(folder_size(data) / 2**20, 1),
        },
        "groonga": {
            "load_s": summary([round(value, 2) for value in loads]),
            "load_records_per_s": round(size / statistics.median(loads)),
            "disk_mib": round(groonga_bytes / 2**20, 1),
            "apparent_mib": round(folder_size(database) / 2**20, 1),
        },
        "raw_sqlite_insert_records_per_s": round(size / raw),
        "disk_ratio_mimamori_to_groonga": round(mimamori_bytes / max(groonga_bytes, 1), 2),
        "import_speed_ratio_mimamori_to_groonga": round(statistics.median(loads) / statistics.median(imports), 3),
    }


def report_imports(result):
    m, g = result["mimamori"], result["groonga"]
    print(f"\n{result['records']} records ({result['persons']} persons, {result['input_mib']} MiB of JSON Lines)")
    print(f"{'':10} {'records/s':>10} {'median s (min–max)':>24} {'disk MiB':>9} {'apparent MiB':>12}")
    print(f"{'mimamori':10} {m['import_records_per_s']:>10} {spread(m['import_s']['runs']):>24} {m['disk_mib']:>9} {m['apparent_mib']:>12}")
    print(f"{'groonga':10} {g['load_records_per_s']:>10} {spread(g['load_s']['runs']):>24} {g['disk_mib']:>9} {g['apparent_mib']:>12}")
    print(f"re-import (unchanged): {m['reimport_unchanged_records_per_s']} records/s; raw SQLite insert of the lines: "
          f"{result['raw_sqlite_insert_records_per_s']} records/s")
    print(f"mimamori/groonga: import speed {result['import_speed_ratio_mimamori_to_groonga']}×, "
          f"disk {result['disk_ratio_mimamori_to_groonga']}×")


# --- HTTP -------------------------------------------------------------------------------------

# The parts of a wrk script every bench here shares (scripts/failover_bench.py too); they are
# %-format templates, so a literal % is written %%. WRK_THREADS numbers the threads (`id`);
# WRK_DONE runs once with the whole run's summary and latency histogram (in µs) and prints it
# as one WRK_RESULT line for run_wrk.
WRK_THREADS = """
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end
"""

WRK_DONE = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "WRK_RESULT {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"non_2xx_3xx\\": %%d, \\"socket_errors\\": %%d, " ..
    "\\"p50_ms\\": %%.3f, \\"p95_ms\\": %%.3f, \\"p99_ms\\": %%.3f, \\"max_ms\\": %%.3f}\\n",
    summary.requests, summary.duration, errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""

# wrk loads this script in every thread: each thread cycles through the query mix from its own
# offset.
WRK_SCRIPT = """
local paths = {}
for line in io.lines(%(paths)s) do paths[#paths + 1] = line end""" + WRK_THREADS + """local position = 0
function init(args)
  position = ((id or 0) * 7919) %% #paths
end
function request()
  position = position %% #paths + 1
  return wrk.format(nil, paths[position])
end""" + WRK_DONE


def run_wrk(arguments, label):
    """Runs wrk with a script ending in WRK_DONE: its WRK_RESULT figures and requests/s."""
    completed = subprocess.run(["wrk"] + arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = next((l for l in completed.stdout.splitlines() if l.startswith("WRK_RESULT ")), None)
    if completed.returncode != 0 or line is None:
        sys.exit(f"{label}: wrk failed ({completed.returncode}):\n{completed.stdout[-2000:]}\n{completed.stderr[-2000:]}")
    result = json.loads(line[len("WRK_RESULT "):])
    result["requests_per_s"] = round(result["requests"] / (result["duration_us"] / 1e6), 1)
    return result


def wrk(url, paths_file, extra, connections, seconds, work):
    """One wrk run cycling through the paths in `paths_file`: requests/s and latency percentiles."""
    script = os.path.join(work, "mix.lua")
    with open(script, "w", encoding="utf-8") as file:
        file.write(WRK_SCRIPT % {"paths": json.dumps(paths_file)})
    threads = 1 if connections < 2 else 2
    return run_wrk([f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", script] + extra + [url], "bench")


def make_token(binary, data):
    login = f"bench-{os.getpid()}"
    added = subprocess.run([binary, "user", "add", "--data", data, "--login", login, "--authority", "130001-01",
                            "--role", "worker", "--name", "ベンチマーク", "--password-stdin"],
                           input="bench-password-not-for-use\n", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if added.returncode != 0:
        sys.exit(f"bench: mimamori user add failed ({added.returncode}):\n{added.stderr[-2000:]}")
    _, created = timed([binary, "token", "create", "--data", data, "--login", login, "--days", "1", "--label", "bench"])
    return created.splitlines()[-1].strip()


def serve_mimamori(binary, data):
    # The access log stays on (as in production), written to /dev/null.
    server = subprocess.Popen([binary, "serve", "--data", data, "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    banner = server.stdout.readline()
    match = re.search(r"Serving on (https?://[^/\s]+)/", banner)
    if match is None:
        server.wait(timeout=30)
        sys.exit(f"bench: mimamori serve did not start (exit {server.returncode}): {banner!r}; run it by hand to see why")
    return server, match.group(1)


def stop(process, name):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.returncode not in (0, -signal.SIGTERM):
        log(f"bench: {name} exited {process.returncode} on SIGTERM")


def mimamori_path(q, limit):
    return "/api/v1/search?" + urllib.parse.urlencode({"q": q, "limit": str(limit)})


def quality(base, token, groonga_base, queries):
    """Every query once on both engines, one after another (limit 20): errors, hits on the page,
    total, Groonga's recall@10 per class (Mimamori's is `make eval`'s), and the latency of
    searches one at a time."""
    figures = {"mimamori": {"errors": 0, "hits": [], "total": [], "ms": []},
               "groonga": {"errors": 0, "hits": [], "total": [], "ms": []}}
    recall = {}
    for query in queries:
        request = urllib.request.Request(base + mimamori_path(query["q"], 20), headers={"Authorization": f"Bearer {token}"})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as reply:
                answer = json.load(reply)
            figures["mimamori"]["ms"].append((time.perf_counter() - started) * 1000)
            figures["mimamori"]["hits"].append(len(answer.get("hits", [])))
            figures["mimamori"]["total"].append(answer.get("total", 0))
        except urllib.error.HTTPError as error:
            figures["mimamori"]["errors"] += 1
            if error.code in (401, 403, 404):
                sys.exit(f"bench: GET /api/v1/search answered {error.code}: {error.read()[:300]!r}")
        started = time.perf_counter()
        try:
            total, rows = groonga.search(groonga_base, query["q"], 20)
            figures["groonga"]["ms"].append((time.perf_counter() - started) * 1000)
            figures["groonga"]["hits"].append(len(rows))
            figures["groonga"]["total"].append(total)
            target = query.get("target")
            if target is not None:
                found = any(row["external_id"] == target["external_id"] and row["role"] == target["role"] for row in rows[:10])
                seen = recall.setdefault(query["label"], [0, 0])
                seen[0] += 1
                seen[1] += 1 if found else 0
        except (urllib.error.URLError, RuntimeError):
            figures["groonga"]["errors"] += 1

    def percentiles(samples):
        ordered = sorted(samples)
        at = lambda fraction: round(ordered[min(len(ordered) - 1, int(len(ordered) * fraction))], 2) if ordered else 0
        return {"p50": at(0.5), "p95": at(0.95), "p99": at(0.99)}

    result = {}
    for engine, values in figures.items():
        result[engine] = {"errors": values["errors"],
                          "mean_hits_on_page": round(statistics.mean(values["hits"]), 2) if values["hits"] else 0,
                          "mean_total": round(statistics.mean(values["total"]), 2) if values["total"] else 0,
                          "one_at_a_time_ms": percentiles(values["ms"])}
    result["groonga"]["recall_at_10"] = {label: round(found / count, 3) for label, (count, found) in recall.items()}
    counted = sum(count for count, _ in recall.values())
    result["groonga"]["recall_at_10_all"] = round(sum(found for _, found in recall.values()) / max(counted, 1), 3)
    return result


def http_compare(binary, data, database, jsonl, records, work):
    """Both engines served, the same query mix, wrk at every connection count and limit, interleaved."""
    if shutil.which("wrk") is None:
        sys.exit("bench: wrk is not installed (make setup installs it)")
    queries = export_queries(binary, records, os.path.join(work, "queries.jsonl"))
    mix = mix_figures(queries)
    log(f"  query mix: {mix['distinct']} distinct queries in {mix['classes']} classes")
    token = make_token(binary, data)
    paths = {}
    for limit in LIMITS:
        for engine, make in (("mimamori", mimamori_path), ("groonga", groonga.select_path)):
            path = os.path.join(work, f"paths-{engine}-{limit}.txt")
            with open(path, "w", encoding="utf-8") as file:
                file.writelines(make(query["q"], limit) + "\n" for query in queries)
            paths[(engine, limit)] = path
    for name, single in (("healthz", "/healthz"), ("status", "/d/status")):
        path = os.path.join(work, f"paths-{name}.txt")
        with open(path, "w", encoding="utf-8") as file:
            file.write(single + "\n")
        paths[name] = path
    auth = ["-H", f"Authorization: Bearer {token}"]
    server, base = serve_mimamori(binary, data)
    groonga_server, groonga_base = groonga.serve(database)
    runs = []
    try:
        log(f"  serving mimamori on {base}, groonga on {groonga_base}; checking every query on both")
        checked = quality(base, token, groonga_base, queries)
        log(f"  mimamori: {checked['mimamori']['errors']} errors, {checked['mimamori']['mean_hits_on_page']} hits per page; "
            f"groonga: {checked['groonga']['errors']} errors, {checked['groonga']['mean_hits_on_page']} hits per page, "
            f"recall@10 {checked['groonga']['recall_at_10_all']}")
        # A short warm-up of both, so the first measured run does not pay for cold caches.
        wrk(base, paths[("mimamori", 100)], auth, 16, 2, work)
        wrk(groonga_base, paths[("groonga", 100)], [], 16, 2, work)
        for run in range(RUNS):
            NOISE.probe()
            for connections in CONNECTIONS:
                for engine, url, path, extra in (("mimamori healthz", base, paths["healthz"], []),
                                                 ("groonga status", groonga_base, paths["status"], [])):
                    result = wrk(url, path, extra, connections, WRK_SECONDS, work)
                    result.update({"run": run + 1, "target": engine, "limit": None, "connections": connections})
                    runs.append(result)
            for limit in LIMITS:
                for connections in CONNECTIONS:
                    for engine, url, extra in (("mimamori", base, auth), ("groonga", groonga_base, [])):
                        result = wrk(url, paths[(engine, limit)], extra, connections, WRK_SECONDS, work)
                        result.update({"run": run + 1, "target": engine, "limit": limit, "connections": connections})
                        runs.append(result)
                        log(f"  run {run + 1} {engine} limit {limit} -c{connections}: {result['requests_per_s']}/s, "
                            f"p50 {result['p50_ms']} p95 {result['p95_ms']} p99 {result['p99_ms']} ms, "
                            f"non-2xx {result['non_2xx_3xx']}, errors {result['socket_errors']}")
    finally:
        stop(server, "mimamori serve")
        stop(groonga_server, "groonga")
    return {"records": records, "seconds_per_run": WRK_SECONDS, "runs_per_figure": RUNS, "mix": mix,
            "one_pass": checked, "figures": http_figures(runs), "runs": runs}


def http_figures(runs):
    """Medians over the runs per (target, limit, connections), the ratios, the ceilings."""
    groups = {}
    for result in runs:
        groups.setdefault((result["target"], result["limit"], result["connections"]), []).append(result)
    figures = []
    for (target, limit, connections), results in groups.items():
        row = {"target": target, "limit": limit, "connections": connections}
        for key in ("requests_per_s", "p50_ms", "p95_ms", "p99_ms"):
            row[key] = summary([r[key] for r in results])
        row["non_2xx_3xx"] = sum(r["non_2xx_3xx"] for r in results)
        row["socket_errors"] = sum(r["socket_errors"] for r in results)
        figures.append(row)
    by = {(row["target"], row["limit"], row["connections"]): row for row in figures}
    for row in figures:
        if row["target"] != "mimamori":
            continue
        other = by.get(("groonga", row["limit"], row["connections"]))
        ceiling = by.get(("mimamori healthz", None, row["connections"]))
        median = row["requests_per_s"]["median"]
        row["ratio_to_groonga"] = round(median / max(other["requests_per_s"]["median"], 1e-9), 2) if other else None
        row["fraction_of_healthz"] = round(median / max(ceiling["requests_per_s"]["median"], 1e-9), 4) if ceiling else None
    return figures


def report_http(http):
    print(f"\nHTTP, {http['records']} records: wrk {http['seconds_per_run']} s per run, median (min–max) of "
          f"{http['runs_per_figure']} runs; {http['mix']['distinct']} distinct queries of {http['mix']['classes']} classes, cycled")
    print(f"{'target':>17} {'limit':>5} {'conns':>5} {'searches/s':>22} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} "
          f"{'non-2xx':>7} {'errors':>6} {'×groonga':>8} {'/healthz':>8}")
    order = {"mimamori": 0, "groonga": 1, "mimamori healthz": 2, "groonga status": 3}
    for row in sorted(http["figures"], key=lambda r: (r["limit"] is None, -(r["limit"] or 0), r["connections"], order[r["target"]])):
        rate = spread(row["requests_per_s"]["runs"], 1)
        median = lambda key: f"{row[key]['median']:.2f}"
        ratio = row.get("ratio_to_groonga")
        fraction = row.get("fraction_of_healthz")
        print(f"{row['target']:>17} {row['limit'] or '-':>5} {row['connections']:>5} {rate:>22} {median('p50_ms'):>9} "
              f"{median('p95_ms'):>9} {median('p99_ms'):>9} {row['non_2xx_3xx']:>7} {row['socket_errors']:>6} "
              f"{'' if ratio is None else ratio:>8} {'' if fraction is None else fraction:>8}")
    one = http["one_pass"]
    for engine in ("mimamori", "groonga"):
        e = one[engine]
        ms = e["one_at_a_time_ms"]
        print(f"{engine}: one search after another (urllib, limit 20) p50/p95/p99 {ms['p50']}/{ms['p95']}/{ms['p99']} ms; "
              f"{e['errors']} errors; {e['mean_hits_on_page']} hits per page, total {e['mean_total']} on average")
    print(f"groonga recall@10 over the mix: {one['groonga']['recall_at_10_all']} (Mimamori's: make eval); lowest classes: "
          + ", ".join(f"{label} {value}" for label, value in sorted(one["groonga"]["recall_at_10"].items(), key=lambda item: item[1])[:4]))


# --- In process -------------------------------------------------------------------------------

def in_process(binary, persons, runs, queries=None):
    """`mimamori bench search` RUNS times at `persons` person entries: medians and spreads."""
    results = []
    for run in range(runs):
        NOISE.probe()
        arguments = [binary, "bench", "search", "--persons", str(persons)] + (["--queries", str(queries)] if queries else [])
        _, output = timed(arguments)
        results.append(json.loads(output.splitlines()[-1]))
        log(f"  in process, {persons} persons, run {run + 1}: p50 {results[-1]['search_ms']['p50']} ms, "
            f"p95 {results[-1]['search_ms']['p95']} ms")
    figures = {"persons": persons, "runs": results}
    for key in ("search_ms", "bare_match_ms"):
        figures[key] = {p: summary([r[key][p] for r in results]) for p in ("p50", "p95", "p99")}
    figures["index_persons_per_s"] = summary([r["index_persons_per_s"] for r in results])
    figures["index_mib"] = summary([r["index_mib"] for r in results])
    figures["p95_ratio_to_bare_match"] = round(figures["search_ms"]["p95"]["median"] / max(figures["bare_match_ms"]["p95"]["median"], 1e-9), 2)
    return figures


def report_in_process(rows):
    print("\nIn process (mimamori bench search), median (min–max) ms")
    print(f"{'persons':>9} {'search p50':>22} {'search p95':>22} {'bare MATCH p50':>22} {'bare MATCH p95':>22} {'p95/bare':>8} {'index p/s':>9}")
    for r in rows:
        print(f"{r['persons']:>9} {spread(r['search_ms']['p50']['runs'], 3):>22} {spread(r['search_ms']['p95']['runs'], 3):>22} "
              f"{spread(r['bare_match_ms']['p50']['runs'], 3):>22} {spread(r['bare_match_ms']['p95']['runs'], 3):>22} "
              f"{r['p95_ratio_to_bare_match']:>8} {round(r['index_persons_per_s']['median']):>9}")
    if len(rows) >= 2:
        print(f"p95 at {rows[1]['persons']} / p95 at {rows[0]['persons']} persons: "
              f"{rows[1]['search_ms']['p95']['median'] / max(rows[0]['search_ms']['p95']['median'], 1e-9):.2f}")


def report_noise():
    noise = NOISE.figures()
    if noise:
        print(f"\nmachine noise: {noise['task']} timed {noise['samples']} times: median {noise['median_ms']} ms "
              f"({noise['min_ms']}–{noise['max_ms']}), p10–p90 spread {noise['p10_p90_spread_percent']} %, "
              f"min–max {noise['min_max_spread_percent']} %; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def write_results(results):
    results["noise"] = NOISE.figures()
    results["machine"] = {"cores": os.cpu_count(), "load_average_at_end": [round(value, 2) for value in os.getloadavg()]}
    with open(RESULTS, "w", encoding="utf-8") as file:
        json.dump(results, file, ensure_ascii=False, indent=1)
    print(f"\nresults written to {RESULTS}")


# --- Modes ------------------------------------------------------------------------------------

def everything(binary):
    sizes = [2_000] if TINY else [100_000] + ([1_000_000] if LARGE else [])
    results = {"settings": {"runs": RUNS, "large_runs": LARGE_RUNS, "wrk_seconds": WRK_SECONDS, "seed": SEED,
                            "queries_per_class": QUERIES_PER_CLASS, "connections": CONNECTIONS, "limits": LIMITS,
                            "tiny": TINY, "large": LARGE},
               "sizes": [], "in_process": []}
    work = tempfile.mkdtemp(prefix="mimamori-bench-")
    try:
        for size in sizes:
            folder = os.path.join(work, str(size))
            os.makedirs(folder)
            jsonl = os.path.join(folder, "demo.jsonl")
            seconds, _ = timed([binary, "demo-data", "--records", str(size), "--seed", str(SEED), "--output", jsonl])
            log(f"{size} records generated in {seconds:.1f} s")
            imports = bench_imports(binary, jsonl, size, folder)
            imports["generate_records_per_s"] = round(size / seconds)
            report_imports(imports)
            http = http_compare(binary, os.path.join(folder, "data"), os.path.join(folder, "groonga"), jsonl, size, folder)
            report_http(http)
            results["sizes"].append({"import": imports, "http": http})
            persons = imports["persons"]
            shutil.rmtree(folder, ignore_errors=True)
            results["in_process"].append(in_process(binary, persons, RUNS if size < 1_000_000 else LARGE_RUNS,
                                                     queries=300 if TINY else None))
        if LARGE:
            results["in_process"].append(in_process(binary, LARGE_PERSONS, LARGE_RUNS))
        report_in_process(results["in_process"])
        report_noise()
        write_results(results)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def http_only(binary, data, jsonl):
    """The HTTP comparison on an imported store: Groonga is loaded from the same file."""
    work = tempfile.mkdtemp(prefix="mimamori-bench-")
    try:
        with open(jsonl, encoding="utf-8") as lines:
            records = sum(1 for _ in lines)
        database = os.path.join(work, "groonga")
        seconds, persons, _ = groonga.load(database, jsonl, DICTIONARIES)
        log(f"groonga: {persons} persons loaded in {seconds:.1f} s")
        http = http_compare(binary, data, database, jsonl, records, work)
        report_http(http)
        report_noise()
        write_results({"sizes": [{"http": http}]})
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check(binary):
    """The query mix at 2,000 records, and every query's Groonga select run on those records with
    the groonga CLI: at least 400 distinct queries, every select well formed (the name terms as
    a query, a birthdate filter whenever the query has a date) and answered without an error.
    Prints one JSON object; exits non-zero on a failure."""
    if shutil.which("groonga") is None:
        sys.exit("bench: groonga is not installed (make setup installs groonga-bin)")
    work = tempfile.mkdtemp(prefix="mimamori-bench-check-")
    try:
        jsonl = os.path.join(work, "demo.jsonl")
        timed([binary, "demo-data", "--records", "2000", "--seed", str(SEED), "--output", jsonl])
        queries = export_queries(binary, 2000, os.path.join(work, "queries.jsonl"))
        problems = []
        for query in queries:
            parameters = groonga.select_parameters(query["q"], 20)
            if "query" not in parameters:
                problems.append(f"no name terms: {query['variation']}")
            dated = query["variation"] not in ("nameOnly", "childGuardianNamesake")
            if dated != ("filter" in parameters):
                problems.append(f"birthdate filter {'missing' if dated else 'unexpected'}: {query['variation']}")
        database = os.path.join(work, "groonga")
        _, persons, _ = groonga.load(database, jsonl, DICTIONARIES)
        commands = "".join(groonga.select_command(query["q"], 20) + "\n" for query in queries)
        try:
            replies = groonga.run_commands(os.path.join(database, "db"), commands)
        except RuntimeError as error:
            replies = []
            problems.append(str(error))
        found = targets = 0
        for query, reply in zip(queries, replies):
            target = query.get("target")
            if target is None:
                continue
            rows = reply[1][0][2:]
            targets += 1
            found += any(row[3] == target["external_id"] and row[4] == target["role"] for row in rows[:10])
        mix = mix_figures(queries)
        print(json.dumps({"queries": mix["queries"], "distinct": mix["distinct"], "classes": mix["classes"],
                          "groonga_persons": persons, "groonga_replies": len(replies),
                          "groonga_recall_at_10": round(found / max(targets, 1), 3), "problems": problems[:20]},
                         ensure_ascii=False))
        if problems or len(replies) != len(queries):
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[2] == "http":
        http_only(sys.argv[1], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 3 and sys.argv[2] == "check":
        check(sys.argv[1])
    elif len(sys.argv) == 2:
        everything(sys.argv[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
