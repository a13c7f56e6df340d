#!/usr/bin/env python3
"""Failover rehearsal and replication overhead at scale (`make failover-bench`; docs/operations.md).

    python3 scripts/failover_bench.py BINARY [failover|overhead|all]

1. Generates RECORDS records (`mimamori demo-data --seed 7`, 100k by default), imports them into
   a store, adds a worker of 131016 with a bearer token.
2. failover, ROUNDS rounds, each on the standby of the one before: `serve --replicate
   file://…` (a directory replica; FAILOVER_REPLICA=s3 with moto on loopback instead), waits
   until `/healthz` reports every file within the lag limit, then WRITERS clients register
   cases and add a note to each over HTTP as fast as the server answers, recording every
   acknowledged write; 3–8 s into the writes `serve` and its Litestream are killed with SIGKILL
   (the host is gone); `mimamori restore --from REPLICA --to STANDBY`; `serve` on the standby;
   RTO is the time from the kill to the first search the standby answers; RPO is the number
   of acknowledged writes the standby lacks and how long before the kill the oldest of them
   was acknowledged.
3. overhead: two servers on two copies of the store, one with `--replicate` (directory
   replica) and one without, side by side; RUNS runs alternating their order (ABBA): wrk on
   `GET /api/v1/search` (the query mix of `make bench`, limit 20, 16 connections) and wrk on
   `POST /api/v1/cases` (each request a new case, 8 connections), SECONDS each; the ratio
   on/off of requests per second per run, median and min–max. `uptime`'s load is printed
   before every run: the machine is shared.

Environment: FAILOVER_RECORDS (100000), FAILOVER_ROUNDS (3), FAILOVER_RUNS (5),
FAILOVER_SECONDS (10), FAILOVER_WRITERS (2), FAILOVER_REPLICA (dir or s3), FAILOVER_WORK (a new
temporary folder, removed after), FAILOVER_RESULTS (failover-results.json).
"""
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = os.path.join(ROOT, ".tools", "venv", "bin")
LITESTREAM = os.path.join(TOOLS, "litestream")
RECORDS = int(os.environ.get("FAILOVER_RECORDS", "100000"))
ROUNDS = int(os.environ.get("FAILOVER_ROUNDS", "3"))
RUNS = int(os.environ.get("FAILOVER_RUNS", "5"))
SECONDS = int(os.environ.get("FAILOVER_SECONDS", "10"))
WRITERS = int(os.environ.get("FAILOVER_WRITERS", "2"))
REPLICA = os.environ.get("FAILOVER_REPLICA", "dir")
RESULTS = os.environ.get("FAILOVER_RESULTS", "failover-results.json")
AUTHORITY = "131016"


def log(text):
    print(text, flush=True)


def load():
    with open("/proc/loadavg", encoding="ascii") as file:
        return " ".join(file.read().split()[:3])


def case_body(external_id):
    return json.dumps({
        "external_id": external_id, "authority": AUTHORITY, "status": "open",
        "child": {"family_name": "山田", "given_name": "太郎", "family_name_kana": "ヤマダ", "given_name_kana": "タロウ",
                  "birthdate": "2018-04-01", "sex": "male"},
        "guardians": [{"relation": "mother", "family_name": "山田", "given_name": "花子", "family_name_kana": "ヤマダ",
                       "given_name_kana": "ハナコ", "birthdate": "1990-05-05", "sex": "female"}],
        "address": {"prefecture": "東京都", "municipality": "千代田区", "line": "千代田1-1"},
        "consultations": [{"date": "2024-06-01", "source": "school", "abuse_types": ["neglect"], "status": "open"}],
    }, ensure_ascii=False)


def request(base, method, path, token, body=None, timeout=5):
    """(status, parsed JSON or None); status 0 when nothing answered."""
    data = body.encode("utf-8") if body is not None else None
    headers = {"Authorization": f"Bearer {token}"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    try:
        with urllib.request.urlopen(urllib.request.Request(base + path, data=data, method=method, headers=headers),
                                    timeout=timeout) as reply:
            text = reply.read()
            return reply.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as error:
        return error.code, None
    except (OSError, ValueError):
        return 0, None


def make_worker(binary, data):
    login = f"failover-{os.getpid()}"
    added = subprocess.run([binary, "user", "add", "--data", data, "--login", login, "--authority", AUTHORITY,
                            "--role", "worker", "--name", "フェイルオーバー", "--password-stdin"],
                           input="failover-password-not-for-use\n", capture_output=True, text=True)
    if added.returncode != 0:
        sys.exit(f"failover: mimamori user add failed:\n{added.stderr[-2000:]}")
    created = subprocess.run([binary, "token", "create", "--data", data, "--login", login, "--days", "1",
                              "--label", "failover"], capture_output=True, text=True, check=True)
    return created.stdout.splitlines()[-1].strip()


def serve(binary, data, extra, log_file, environment=None):
    with open(log_file, "ab") as errors:
        server = subprocess.Popen([binary, "serve", "--data", data, "--port", "0"] + extra,
                                  stdout=subprocess.PIPE, stderr=errors, text=True,
                                  env={**os.environ, **(environment or {})})
    banner = server.stdout.readline()
    match = re.search(r"Serving on (https?://[^/\s]+)/", banner)
    if match is None:
        server.wait(timeout=60)
        sys.exit(f"failover: serve did not start (exit {server.returncode}); see {log_file}")
    # Its further output is not read: nothing is printed after the banner but "Stopped."
    return server, match.group(1)


def children(pid):
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as file:
                stat = file.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            found.append(int(name))
    return found


def health(base):
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=5) as reply:
            return json.loads(reply.read())
    except (OSError, ValueError):
        return None


def wait_replicated(base, seconds=600):
    """Seconds until /healthz says ok with every file listed (Litestream's first snapshot)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        answer = health(base)
        if answer and answer.get("status") == "ok" and len(answer.get("files", [])) >= 48:
            return time.monotonic() - started, answer
        time.sleep(0.5)
    sys.exit(f"failover: replication did not settle in {seconds} s: {health(base)}")


class Moto:
    """moto's S3 server on loopback (FAILOVER_REPLICA=s3)."""

    def __init__(self, work):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen([os.path.join(TOOLS, "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{self.port}/replica", method="PUT"),
                                       timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        self.environment = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_CA_BUNDLE": ""}

    def url(self, name):
        return f"s3://replica/{name}?endpoint=http://127.0.0.1:{self.port}&region=us-east-1&force-path-style=true"

    def stop(self):
        # moto's server does not stop on SIGTERM.
        self.process.kill()
        self.process.wait()


def failover(binary, base_data, token, work):
    moto = Moto(work) if REPLICA == "s3" else None
    environment = moto.environment if moto else {}
    data = base_data
    rounds = []
    try:
        for number in range(ROUNDS):
            replica = moto.url(f"round-{number}") if moto else "file://" + os.path.join(work, f"replica-{number}")
            log_file = os.path.join(work, f"primary-{number}.log")
            primary, base = serve(binary, data, ["--replicate", replica, "--litestream", LITESTREAM], log_file, environment)
            settle, _ = wait_replicated(base)
            acknowledged = []
            lock = threading.Lock()
            stop = threading.Event()

            def writer(index):
                count = 0
                while not stop.is_set():
                    count += 1
                    external = f"FB-{os.getpid()}-{number}-{index}-{count}"
                    status, created = request(base, "POST", "/api/v1/cases", token, case_body(external), timeout=3)
                    if status != 201 or not created:
                        time.sleep(0.02)
                        continue
                    with lock:
                        acknowledged.append(("case", created["case_id"], None, time.time()))
                    text = f"note {number}-{index}-{count}"
                    status, _ = request(base, "POST", f"/api/v1/cases/{created['case_id']}/notes", token,
                                        json.dumps({"text": text}), timeout=3)
                    if status == 201:
                        with lock:
                            acknowledged.append(("note", created["case_id"], text, time.time()))

            threads = [threading.Thread(target=writer, args=(index,)) for index in range(WRITERS)]
            for thread in threads:
                thread.start()
            time.sleep(random.uniform(3, 8))
            # The host is gone: serve and its Litestream die at once.
            victims = [primary.pid] + children(primary.pid)
            for pid in victims:
                os.kill(pid, signal.SIGKILL)
            killed = time.time()
            stop.set()
            for thread in threads:
                thread.join()
            primary.wait()
            load_at_kill = load()

            standby = os.path.join(work, f"standby-{number}")
            started = time.time()
            restore = subprocess.run([binary, "restore", "--from", replica, "--to", standby, "--litestream", LITESTREAM],
                                     capture_output=True, text=True, env={**os.environ, **environment})
            restored = time.time()
            if restore.returncode != 0:
                sys.exit(f"failover: restore failed ({restore.returncode}):\n{restore.stderr[-3000:]}")
            server, standby_base = serve(binary, standby, [], os.path.join(work, f"standby-{number}.log"))
            answered = None
            while answered is None and time.time() - killed < 1800:
                status, _ = request(standby_base, "GET", "/api/v1/search?q=%E5%B1%B1%E7%94%B0", token, timeout=5)
                if status == 200:
                    answered = time.time()
                else:
                    time.sleep(0.05)
            # What the standby holds of what was acknowledged.
            missing = []
            notes_of = {}
            for kind, case_id, text, at in acknowledged:
                if kind == "case":
                    status, _ = request(standby_base, "GET", f"/api/v1/cases/{case_id}", token, timeout=10)
                    if status != 200:
                        missing.append((kind, at))
                else:
                    if case_id not in notes_of:
                        status, listed = request(standby_base, "GET", f"/api/v1/cases/{case_id}/notes", token, timeout=10)
                        notes_of[case_id] = {note.get("text") for note in (listed or {}).get("notes", [])} \
                            if status == 200 and isinstance(listed, dict) else set()
                    if text not in notes_of[case_id]:
                        missing.append((kind, at))
            bench.stop(server, "standby serve")
            summary = restore.stdout.strip().splitlines()[-1] if restore.stdout.strip() else ""
            result = {
                "round": number + 1, "replica": REPLICA, "settle_s": round(settle, 1),
                "acknowledged": len(acknowledged),
                "acknowledged_cases": sum(1 for entry in acknowledged if entry[0] == "case"),
                "missing": len(missing),
                "rpo_window_s": round(killed - min(at for _, at in missing), 2) if missing else 0.0,
                "last_ack_before_kill_s": round(killed - max(entry[3] for entry in acknowledged), 2) if acknowledged else None,
                "restore_s": round(restored - started, 1),
                "rto_s": round(answered - killed, 1) if answered else None,
                "load_at_kill": load_at_kill, "restore_summary": summary,
            }
            rounds.append(result)
            log(f"failover round {number + 1}: {json.dumps(result, ensure_ascii=False)}")
            data = standby
    finally:
        if moto:
            moto.stop()
    return rounds


WRITE_SCRIPT = bench.WRK_THREADS + """local count = 0
function init(args)
  -- Headers given to wrk.format replace wrk.headers (Host, -H Authorization): add to those instead.
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  count = count + 1
  local body = string.gsub(%(body)s, "EXTERNAL", "OH-%(tag)s-" .. (id or 0) .. "-" .. count)
  return wrk.format("POST", "/api/v1/cases", nil, body)
end""" + bench.WRK_DONE


def wrk_writes(base, token, tag, work):
    script = os.path.join(work, f"writes-{tag}.lua")
    with open(script, "w", encoding="utf-8") as file:
        file.write(WRITE_SCRIPT % {"body": json.dumps(case_body("EXTERNAL"), ensure_ascii=False), "tag": tag})
    return bench.run_wrk(["-t2", "-c8", f"-d{SECONDS}s", "--timeout", "30s", "-s", script, "-H", f"Authorization: Bearer {token}", base],
                         "failover")


def overhead(binary, base_data, token, work):
    queries = bench.export_queries(binary, RECORDS, os.path.join(work, "queries.jsonl"))
    paths = os.path.join(work, "paths.txt")
    with open(paths, "w", encoding="utf-8") as file:
        file.writelines(bench.mimamori_path(query["q"], 20) + "\n" for query in queries)
    copies = {}
    for mode in ("off", "on"):
        copies[mode] = os.path.join(work, f"overhead-{mode}")
        shutil.copytree(base_data, copies[mode])
    off, off_base = serve(binary, copies["off"], [], os.path.join(work, "overhead-off.log"))
    on, on_base = serve(binary, copies["on"], ["--replicate", "file://" + os.path.join(work, "overhead-replica"),
                                               "--litestream", LITESTREAM], os.path.join(work, "overhead-on.log"))
    bases = {"off": off_base, "on": on_base}
    runs = []
    try:
        wait_replicated(on_base)
        auth = ["-H", f"Authorization: Bearer {token}"]
        for mode in ("off", "on"):  # warm-up
            bench.wrk(bases[mode], paths, auth, 16, 2, work)
        for run in range(RUNS):
            order = ("off", "on") if run % 2 == 0 else ("on", "off")
            figures = {"run": run + 1, "load": load()}
            for mode in order:
                search = bench.wrk(bases[mode], paths, auth, 16, SECONDS, work)
                writes = wrk_writes(bases[mode], token, f"{run}{mode}", work)
                figures[mode] = {"search_per_s": search["requests_per_s"], "search_p50_ms": search["p50_ms"],
                                 "search_errors": search["non_2xx_3xx"] + search["socket_errors"],
                                 "writes_per_s": writes["requests_per_s"], "writes_p50_ms": writes["p50_ms"],
                                 "writes_p99_ms": writes["p99_ms"],
                                 "write_errors": writes["non_2xx_3xx"] + writes["socket_errors"]}
            figures["search_ratio"] = round(figures["on"]["search_per_s"] / figures["off"]["search_per_s"], 3)
            figures["write_ratio"] = round(figures["on"]["writes_per_s"] / figures["off"]["writes_per_s"], 3)
            runs.append(figures)
            log(f"overhead run {run + 1}: {json.dumps(figures)}")
        lag = health(on_base)
    finally:
        bench.stop(off, "serve (no replication)")
        bench.stop(on, "serve --replicate")

    def spread(key):
        values = [run[key] for run in runs]
        return {"median": round(statistics.median(values), 3), "min": min(values), "max": max(values)}

    summary = {"runs": runs, "search_ratio": spread("search_ratio"), "write_ratio": spread("write_ratio"),
               "max_lag_after_s": (lag or {}).get("max_lag_seconds")}
    log(f"overhead on/off: search {summary['search_ratio']}, writes {summary['write_ratio']}")
    return summary


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    what = sys.argv[2] if len(sys.argv) > 2 else "all"
    if not os.access(LITESTREAM, os.X_OK):
        sys.exit("failover: Litestream is not in .tools/venv (make setup)")
    work = os.environ.get("FAILOVER_WORK") or tempfile.mkdtemp(prefix="mimamori-failover-")
    os.makedirs(work, exist_ok=True)
    results = {"records": RECORDS, "load_at_start": load(), "settings": {
        "rounds": ROUNDS, "runs": RUNS, "seconds": SECONDS, "writers": WRITERS, "replica": REPLICA}}
    try:
        jsonl = os.path.join(work, "demo.jsonl")
        base_data = os.path.join(work, "data")
        if not os.path.exists(os.path.join(base_data, "catalogue.sqlite")):
            seconds, _ = bench.timed([binary, "demo-data", "--records", str(RECORDS), "--seed", str(bench.SEED),
                                      "--output", jsonl])
            log(f"{RECORDS} records generated in {seconds:.1f} s")
            seconds, _ = bench.timed([binary, "import", "--data", base_data, jsonl])
            log(f"imported in {seconds:.1f} s")
            with open(os.path.join(work, "token"), "w", encoding="ascii") as file:
                file.write(make_worker(binary, base_data))
        with open(os.path.join(work, "token"), encoding="ascii") as file:
            token = file.read().strip()
        size = sum(os.path.getsize(os.path.join(base_data, name)) for name in os.listdir(base_data)
                   if name.endswith(".sqlite"))
        results["store_bytes"] = size
        log(f"store: {size / 1e6:.0f} MB of database files; load {load()}")
        if what in ("overhead", "all"):
            results["overhead"] = overhead(binary, base_data, token, work)
        if what in ("failover", "all"):
            # Each round starts from a copy: the base store stays as imported.
            first = os.path.join(work, "primary-0")
            shutil.rmtree(first, ignore_errors=True)
            shutil.copytree(base_data, first)
            results["failover"] = failover(binary, first, token, work)
        results["load_at_end"] = load()
        with open(RESULTS, "w", encoding="utf-8") as file:
            json.dump(results, file, indent=2, ensure_ascii=False)
        log(f"results written to {RESULTS}")
    finally:
        if not os.environ.get("FAILOVER_WORK"):
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
