#!/usr/bin/env python3
"""Benchmarks: import throughput, and search at 100k (and 1M with BENCH_LARGE=1).

Import: records per second at 100k (and 1M) demo records.

For each size it generates a deterministic demo dataset with the real binary, then runs
`mimamori import` into a fresh store RUNS times (median and spread reported), a second import
of the same file into the filled store (the upsert path: everything unchanged), and a
baseline in the same go: the same lines inserted raw into one SQLite table in one
transaction (Python's sqlite3, WAL, synchronous=FULL), so the cost of validation, staging
and the two-phase commit reads as a ratio. Store size on disk is reported too.

Search: `mimamori bench search` (index build rate and size, in-process latency beside a bare
FTS5 MATCH).

HTTP throughput (needs `wrk`): `mimamori serve` on the 100k store (access log on, written to
/dev/null), a user and a bearer token made with `mimamori user add` and `mimamori token create`,
then `wrk -t2 -c16` and `-c64` for BENCH_WRK_SECONDS (10) each against `GET /healthz` (the
baseline: the server alone) and `GET /api/v1/search?q=<a name and birthdate from the dataset>`:
requests/s, latency p50/p99 (from a small wrk Lua script), and the ratio search/healthz.

    python3 scripts/bench.py BINARY                  # everything (what `make bench` runs)
    python3 scripts/bench.py BINARY http DATA JSONL  # only the HTTP run, on an imported store
    python3 scripts/bench.py compare BASELINE BINARY # import and search, baseline vs this build, interleaved

`compare` (what `make bench-compare BASELINE=<commit>` runs) measures two builds in the same
run, alternating them (baseline, this build, baseline, …) so that the machine's drift falls on
both: the import of the 100k dataset into a fresh store RUNS times each, and
`mimamori bench search --persons 100000` RUNS times each; it prints medians, spreads and the
ratio this/baseline (above 1: this build is slower).
"""
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

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
# 1M imports take minutes each: one run unless BENCH_LARGE_RUNS says otherwise.
LARGE_RUNS = int(os.environ.get("BENCH_LARGE_RUNS", "1"))
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
WRK_CONNECTIONS = (16, 64)


def timed(args):
    started = time.perf_counter()
    completed = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        sys.exit(f"bench: {' '.join(args)} failed ({completed.returncode}):\n{completed.stderr[-2000:]}")
    return elapsed, completed.stdout.strip()


def folder_size(path):
    return sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(path) for name in names)


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


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3])
        return
    binary = sys.argv[1]
    sizes = [100_000] + ([1_000_000] if os.environ.get("BENCH_LARGE") == "1" else [])
    if len(sys.argv) == 5 and sys.argv[2] == "http":
        work = tempfile.mkdtemp(prefix="mimamori-bench-")
        try:
            report_http(bench_http(binary, sys.argv[3], sys.argv[4], work))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    work = tempfile.mkdtemp(prefix="mimamori-bench-")
    http_data = os.path.join(work, "data-100k")
    http_jsonl = None
    results = []
    try:
        for size in sizes:
            jsonl = os.path.join(work, f"demo-{size}.jsonl")
            generate_seconds, _ = timed([binary, "demo-data", "--records", str(size), "--seed", "7", "--output", jsonl])
            imports = []
            for run in range(RUNS if size < 1_000_000 else LARGE_RUNS):
                data = os.path.join(work, "data")
                shutil.rmtree(data, ignore_errors=True)
                seconds, _ = timed([binary, "import", "--data", data, jsonl])
                imports.append(seconds)
                print(f"  {size} records, import run {run + 1}: {seconds:.2f} s", file=sys.stderr)
            reimport, summary = timed([binary, "import", "--data", data, jsonl])
            size_bytes = folder_size(data)
            base = baseline(jsonl, work)
            if size == 100_000:
                # Kept for the HTTP run, which serves the 100k store.
                os.rename(data, http_data)
                http_jsonl = jsonl
            median = statistics.median(imports)
            results.append({
                "records": size,
                "generate_records_per_s": round(size / generate_seconds),
                "import_median_s": round(median, 2),
                "import_min_s": round(min(imports), 2),
                "import_max_s": round(max(imports), 2),
                "import_records_per_s": round(size / median),
                "reimport_unchanged_records_per_s": round(size / reimport),
                "baseline_raw_insert_records_per_s": round(size / base),
                "import_vs_raw_insert_ratio": round(median / base, 1),
                "input_mib": round(os.path.getsize(jsonl) / 2**20, 1),
                "store_mib": round(size_bytes / 2**20, 1),
                "reimport_summary": summary,
            })
        report_imports(results)
        report_searches(binary)
        report_http(bench_http(binary, http_data, http_jsonl, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report_imports(results):
    print(f"{'records':>9} {'import rec/s':>12} {'median s':>9} {'min–max s':>12} {'re-import rec/s':>15} {'raw insert rec/s':>16} {'ratio':>6} {'input MiB':>9} {'store MiB':>9}")
    for r in results:
        print(f"{r['records']:>9} {r['import_records_per_s']:>12} {r['import_median_s']:>9} {str(r['import_min_s']) + '–' + str(r['import_max_s']):>12} "
              f"{r['reimport_unchanged_records_per_s']:>15} {r['baseline_raw_insert_records_per_s']:>16} {r['import_vs_raw_insert_ratio']:>6} "
              f"{r['input_mib']:>9} {r['store_mib']:>9}")
    print(json.dumps(results, ensure_ascii=False))


def report_searches(binary):
    """Search: index build rate and size, and latency beside a bare FTS5 MATCH (in process)."""
    searches = []
    for persons in [100_000] + ([1_000_000] if os.environ.get("BENCH_LARGE") == "1" else []):
        _, output = timed([binary, "bench", "search", "--persons", str(persons)])
        searches.append(json.loads(output.splitlines()[-1]))
    print()
    print(f"{'persons':>9} {'index p/s':>10} {'index MiB':>9} {'search p50/p95/p99 ms':>24} {'bare MATCH p50/p95/p99 ms':>27} {'p95 ratio':>9}")
    for r in searches:
        search = "/".join(str(r["search_ms"][k]) for k in ("p50", "p95", "p99"))
        bare = "/".join(str(r["bare_match_ms"][k]) for k in ("p50", "p95", "p99"))
        print(f"{r['persons']:>9} {r['index_persons_per_s']:>10} {r['index_mib']:>9} {search:>24} {bare:>27} {r['p95_ratio_to_bare_match']:>9}")
    if len(searches) == 2:
        print(f"p95 at 1M / p95 at 100k: {searches[1]['search_ms']['p95'] / max(searches[0]['search_ms']['p95'], 1e-9):.2f}")
    print(json.dumps(searches))


# wrk calls done() once at the end with the whole run's summary and latency histogram (in µs).
WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "WRK_RESULT {\\"requests\\": %d, \\"duration_us\\": %d, \\"non_2xx_3xx\\": %d, \\"socket_errors\\": %d, " ..
    "\\"p50_ms\\": %.3f, \\"p90_ms\\": %.3f, \\"p99_ms\\": %.3f, \\"max_ms\\": %.3f}\\n",
    summary.requests, summary.duration, errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def search_query(jsonl):
    """A child's full name and full birthdate from the dataset, as an intake worker types them."""
    with open(jsonl, encoding="utf-8") as lines:
        for line in lines:
            child = json.loads(line).get("child", {})
            birthdate = child.get("birthdate", "")
            if child.get("family_name") and child.get("given_name") and len(birthdate) == 10:
                return f"{child['family_name']}{child['given_name']} {birthdate}"
    sys.exit(f"bench: no child with a name and a full birthdate in {jsonl}")


def bench_http(binary, data, jsonl, work):
    """Throughput and latency of `mimamori serve` under wrk: /healthz, then an authenticated search."""
    if shutil.which("wrk") is None:
        sys.exit("bench: wrk is not installed (make setup installs it)")
    login = f"bench-{os.getpid()}"
    added = subprocess.run([binary, "user", "add", "--data", data, "--login", login, "--authority", "130001-01",
                            "--role", "worker", "--name", "ベンチマーク", "--password-stdin"],
                           input="bench-password-not-for-use\n", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if added.returncode != 0:
        sys.exit(f"bench: mimamori user add failed ({added.returncode}):\n{added.stderr[-2000:]}")
    _, created = timed([binary, "token", "create", "--data", data, "--login", login, "--days", "1", "--label", "bench"])
    token = created.splitlines()[-1].strip()
    query = search_query(jsonl)
    script = os.path.join(work, "report.lua")
    with open(script, "w", encoding="utf-8") as file:
        file.write(WRK_REPORT)

    # The access log stays on (as in production), written to /dev/null.
    server = subprocess.Popen([binary, "serve", "--data", data, "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        banner = server.stdout.readline()
        match = re.search(r"Serving on (https?://[^/\s]+)/", banner)
        if match is None:
            server.wait(timeout=30)
            sys.exit(f"bench: mimamori serve did not start (exit {server.returncode}): {banner!r}; run it by hand to see why")
        base = match.group(1)
        search_path = "/api/v1/search?" + urllib.parse.urlencode({"q": query})
        headers = {"Authorization": f"Bearer {token}"}
        # One checked request first: a wrong token or route must fail loudly, not benchmark 401s.
        try:
            with urllib.request.urlopen(urllib.request.Request(base + search_path, headers=headers), timeout=30) as reply:
                hits = len(json.load(reply).get("hits", []))
        except urllib.error.HTTPError as error:
            sys.exit(f"bench: GET {search_path} answered {error.code}: {error.read()[:500]!r}")
        print(f"  serving {base}; search for {query!r} finds {hits} hits", file=sys.stderr)
        targets = [("healthz", "/healthz", []), ("search", search_path, ["-H", f"Authorization: Bearer {token}"])]
        # A short warm-up, so the first measured run does not pay for cold caches.
        wrk(base + search_path, ["-H", f"Authorization: Bearer {token}"], 16, 2, script)
        runs = []
        for connections in WRK_CONNECTIONS:
            for name, path, extra in targets:
                result = wrk(base + path, extra, connections, WRK_SECONDS, script)
                result.update({"target": name, "connections": connections})
                runs.append(result)
                print(f"  wrk {name} -c{connections}: {result['requests_per_s']} req/s, "
                      f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms", file=sys.stderr)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    if server.returncode != 0:
        print(f"bench: mimamori serve exited {server.returncode} on SIGTERM", file=sys.stderr)
    return {"query": query, "hits": hits, "seconds": WRK_SECONDS, "runs": runs}


def wrk(url, extra, connections, seconds, script):
    """One wrk run: requests/s and latency percentiles."""
    completed = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script] + extra + [url],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = next((l for l in completed.stdout.splitlines() if l.startswith("WRK_RESULT ")), None)
    if completed.returncode != 0 or line is None:
        sys.exit(f"bench: wrk failed ({completed.returncode}):\n{completed.stdout[-2000:]}\n{completed.stderr[-2000:]}")
    result = json.loads(line[len("WRK_RESULT "):])
    result["requests_per_s"] = round(result["requests"] / (result["duration_us"] / 1e6))
    return result


def report_http(http):
    print()
    print(f"HTTP (wrk -t2, {http['seconds']} s per run; search q={http['query']!r}, {http['hits']} hits)")
    print(f"{'target':>8} {'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'errors':>6}")
    for r in http["runs"]:
        print(f"{r['target']:>8} {r['connections']:>5} {r['requests_per_s']:>8} {r['p50_ms']:>8} {r['p99_ms']:>8} "
              f"{r['non_2xx_3xx']:>8} {r['socket_errors']:>6}")
    ratios = {}
    for connections in WRK_CONNECTIONS:
        by_target = {r["target"]: r for r in http["runs"] if r["connections"] == connections}
        ratios[connections] = round(by_target["search"]["requests_per_s"] / max(by_target["healthz"]["requests_per_s"], 1), 3)
        print(f"search/healthz throughput at -c{connections}: {ratios[connections]}")
    print(json.dumps(dict(http, search_to_healthz_ratio=ratios), ensure_ascii=False))


if __name__ == "__main__":
    main()
