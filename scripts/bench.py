#!/usr/bin/env python3
"""Benchmarks: import throughput, and search at 100k (and 1M with BENCH_LARGE=1).

Import: records per second at 100k (and 1M) demo records.

For each size it generates a deterministic demo dataset with the real binary, then runs
`mimamori import` into a fresh store RUNS times (median and spread reported), a second import
of the same file into the filled store (the upsert path: everything unchanged), and a
baseline in the same go: the same lines inserted raw into one SQLite table in one
transaction (Python's sqlite3, WAL, synchronous=FULL), so the cost of validation, staging
and the two-phase commit reads as a ratio. Store size on disk is reported too.
"""
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
# 1M imports take minutes each: one run unless BENCH_LARGE_RUNS says otherwise.
LARGE_RUNS = int(os.environ.get("BENCH_LARGE_RUNS", "1"))


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


def main():
    binary = sys.argv[1]
    sizes = [100_000] + ([1_000_000] if os.environ.get("BENCH_LARGE") == "1" else [])
    work = tempfile.mkdtemp(prefix="mimamori-bench-")
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
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'records':>9} {'import rec/s':>12} {'median s':>9} {'min–max s':>12} {'re-import rec/s':>15} {'raw insert rec/s':>16} {'ratio':>6} {'input MiB':>9} {'store MiB':>9}")
    for r in results:
        print(f"{r['records']:>9} {r['import_records_per_s']:>12} {r['import_median_s']:>9} {str(r['import_min_s']) + '–' + str(r['import_max_s']):>12} "
              f"{r['reimport_unchanged_records_per_s']:>15} {r['baseline_raw_insert_records_per_s']:>16} {r['import_vs_raw_insert_ratio']:>6} "
              f"{r['input_mib']:>9} {r['store_mib']:>9}")
    print(json.dumps(results, ensure_ascii=False))

    # Search: index build rate and size, and latency beside a bare FTS5 MATCH (in process).
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


if __name__ == "__main__":
    main()
