"""Runs the benchmark figures of Tools/bench and prints each with the limit or peer measured in
the same run. Started by Tools/bench, which builds the binary, prepares the peer's virtual
environment and a throwaway PostgreSQL; see BENCHMARKS.md.

Every figure is one record: {name, value, unit, limit, ratio, target, meets}. `limit` is the
number the figure is compared with (a limit of the machine or a peer's result), `ratio` is
value ÷ limit (or limit ÷ value for latencies), `target` says what "meets" checks.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from serving import free_port, wait_for  # noqa: E402

SIZES = {
    # mode: append events per batch size, demo size for rebuild/reads, HTTP seconds per run; the
    # growth figures compare reads on the demo log with reads on the smaller growth_demo log. A demo
    # year holds about 28.7 events per member (32,000 members: 917,603 events), so the full demo's
    # 36,000 members give about a million.
    "smoke": {"append": {1: 100, 100: 1000, 1000: 2000}, "demo": ["--members", "40", "--communities", "4", "--days", "10"],
              "http_seconds": 1, "clients": [10, 20], "pg_events": 1000, "push": [2, 2, 20],
              "growth_demo": ["--members", "40", "--communities", "4", "--days", "3"]},
    "quick": {"append": {1: 1000, 100: 50000, 1000: 100000}, "demo": ["--members", "500", "--communities", "20", "--days", "90"],
              "http_seconds": 5, "clients": [100, 500], "pg_events": 20000, "push": [4, 10, 100],
              "growth_demo": ["--members", "100", "--communities", "5", "--days", "30"]},
    "full": {"append": {1: 5000, 100: 200000, 1000: 1000000}, "demo": ["--members", "36000", "--communities", "720", "--days", "365"],
             "http_seconds": 30, "clients": [100, 500], "pg_events": 200000, "push": [8, 50, 200],
             "growth_demo": ["--members", "600", "--communities", "24", "--days", "110"]},
}


# The groups of figures, in the order they run; --only picks some.
GROUPS = ["appends", "read", "rebuild", "served", "postgres"]


class Bench:
    def __init__(self, args):
        self.args = args
        self.sizes = SIZES[args.mode]
        self.work = tempfile.mkdtemp(prefix="praxis-bench-")
        self.records = []

    def praxis(self, *arguments):
        run = subprocess.run([self.args.praxis, *arguments], capture_output=True, text=True)
        if run.returncode != 0:
            raise SystemExit(f"bench: {' '.join(arguments)} failed: {run.stderr.strip()[-2000:]}")
        return run

    def praxis_measured(self, *arguments):
        """Runs praxis; returns the wall seconds and the peak resident memory (MB) of that process alone."""
        with tempfile.TemporaryFile() as errors:
            started = time.perf_counter()
            process = subprocess.Popen([self.args.praxis, *arguments], stdout=subprocess.DEVNULL, stderr=errors)
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
            if process.returncode != 0:
                errors.seek(0)
                raise SystemExit(f"bench: {' '.join(arguments)} failed: {errors.read().decode()[-2000:]}")
        return seconds, usage.ru_maxrss / 1024

    def praxis_json(self, *arguments):
        return json.loads(self.praxis(*arguments).stdout.strip().splitlines()[-1])

    def record(self, name, value, unit, limit, target, meets, ratio=None, detail=None):
        if ratio is None and value is not None and limit:
            ratio = value / limit
        value = None if value is None else round(value, 2)
        record = {"name": name, "value": value, "unit": unit, "limit": limit,
                  "ratio": None if ratio is None else round(ratio, 3), "target": target, "meets": meets}
        if detail:
            record["detail"] = detail
        self.records.append(record)
        if self.args.json:
            print(json.dumps(record, ensure_ascii=False), flush=True)
        else:
            shown = "–" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:,.2f}"
            limit_shown = "–" if limit is None else f"{limit:,.0f}" if limit >= 100 else f"{limit:,.2f}"
            ratio_shown = "–" if record["ratio"] is None else f"{record['ratio']:.2f}"
            verdict = {True: "meets", False: "MISSES", None: "report"}[meets]
            print(f"{name:<34} {shown:>12} {unit:<10} limit {limit_shown:>12}  ratio {ratio_shown:>6}  {target:<28} {verdict}",
                  flush=True)

    def folder(self, name):
        path = os.path.join(self.work, name)
        os.makedirs(path, exist_ok=True)
        return path

    # --- figures -------------------------------------------------------------------------------

    def raw_sqlite_limit(self, batch, events, shape):
        """The raw SQLite limit: the best of three runs, each into a new file. Its short runs wait on
        a few `fdatasync` calls, and one slow sync on this shared disk can halve a run."""
        runs = [self.praxis_json("bench", "raw-sqlite", "--out",
                                 os.path.join(self.work, f"raw-{shape}-{batch}-{attempt}.sqlite"),
                                 "--events", str(events), "--batch", str(batch), "--shape", shape)
                for attempt in range(3)]
        return max(run["events_per_second"] for run in runs)

    def appends(self):
        for batch, events in self.sizes["append"].items():
            ours = self.praxis_json("bench", "append", "--data", self.folder(f"append-{batch}"),
                                    "--events", str(events), "--batch", str(batch))
            raw = self.raw_sqlite_limit(batch, ours["events"], "integer-key")
            target = "≥ 0.5 of raw SQLite" if batch == 100 else "report (ratio to raw)"
            meets = ours["events_per_second"] >= 0.5 * raw if batch == 100 else None
            self.record(f"append_batch_{batch}", ours["events_per_second"], "events/s", raw, target, meets)
            if batch == 100:
                # What SQLite alone costs the log's two unique indexes, against the same limit.
                indexed = self.raw_sqlite_limit(batch, ours["events"], "log-indexes")
                self.record(f"raw_sqlite_log_indexes_batch_{batch}", indexed, "events/s", raw,
                            "report (ratio to raw)", None)
            if self.args.peer_python and batch in (1, 100):
                peer = self.peer("append", os.path.join(self.work, f"peer-{batch}.sqlite"), str(ours["events"]), str(batch))
                if peer:
                    self.record(f"append_batch_{batch}_vs_peer", ours["events_per_second"], "events/s",
                                peer["events_per_second"], "≥ 5× eventsourcing (Python)",
                                ours["events_per_second"] >= 5 * peer["events_per_second"])

    def read_log(self):
        # The largest append log: the same events the peer appended at batch 1000 (or 100).
        batch = 1000
        ours = self.praxis_json("bench", "read", "--data", self.folder(f"append-{batch}"))
        if self.args.peer_python:
            peer_db = os.path.join(self.work, f"peer-read.sqlite")
            self.peer("append", peer_db, str(ours["events"]), str(batch))
            peer = self.peer("replay", peer_db)
            if peer:
                self.record("read_whole_log_vs_peer", ours["events_per_second"], "events/s", peer["events_per_second"],
                            "≥ 10× eventsourcing replay", ours["events_per_second"] >= 10 * peer["events_per_second"])
                return ours
        self.record("read_whole_log", ours["events_per_second"], "events/s", None, "report", None)
        return ours

    def demo_log(self):
        """The demo log the rebuild and served figures use: --demo's, or one built now."""
        if self.args.demo:
            return self.args.demo
        data = self.folder("demo")
        self.praxis("demo", "--data", data, *self.sizes["demo"])
        return data

    def rebuild(self, data):
        self.praxis("projections", "status", "--data", data)
        read = self.praxis_json("bench", "read", "--data", data)
        seconds, peak = self.praxis_measured("projections", "rebuild", "--all", "--data", data)
        rate = read["events"] / seconds
        self.record("rebuild_all_read_models", rate, "events/s", read["events_per_second"],
                    "≥ 50,000 events/s", rate >= 50000, detail=f"{read['events']} events, {seconds:.1f} s")
        self.record("rebuild_peak_rss", peak, "MB", 512, "≤ 512 MB", peak <= 512, ratio=peak / 512)

    def served(self, data):
        """The feed under load (wrk) and signed push ingest, against `praxis serve` on the demo log."""
        open_community, token = self.reader(data)
        server, port = self.serve(data, token)
        try:
            if shutil.which("wrk"):
                self.feed(port, token)
            else:
                print("bench: wrk is not installed; the feed figures are skipped (apt-get install wrk)", file=sys.stderr)
            self.pulls(port, data, open_community)
            large = self.probe(port, data, token, open_community) if shutil.which("wrk") else None
            devices, batches, batch = self.sizes["push"]
            push = self.praxis_json("bench", "push", "--url", f"http://127.0.0.1:{port}",
                                    "--operator-token-file", os.path.join(data, "operator.token"),
                                    "--member", open_community["owners"][0], "--community", open_community["id"],
                                    "--devices", str(devices), "--batches", str(batches), "--batch", str(batch))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        verify = self.praxis_json("bench", "verify", "--events", str(push["events"]))
        self.record("push_ingest_signed", push["events_per_second"], "events/s", verify["events_per_second"],
                    "≥ 0.5 of verify-only", push["events_per_second"] >= 0.5 * verify["events_per_second"],
                    detail=f"{devices} devices × {batches} batches of {batch}, over HTTP")
        if large:
            self.growth(large)

    def growth(self, large):
        """The same reads on a demo log of about 10,000 events, against the large demo log's."""
        data = self.folder("demo-small")
        self.praxis("demo", "--data", data, *self.sizes["growth_demo"])
        community, token = self.reader(data)
        server, port = self.serve(data, token)
        try:
            small = self.probe(port, data, token, community)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        for read, name, what in (("feed", "growth_feed_page_p50", "home feed page of 20"),
                                 ("pull", "growth_pull_page_p50", "signed pull page of 100"),
                                 ("proof", "growth_inclusion_proof_p50", "inclusion proof")):
            ratio = large[read] / small[read]
            self.record(name, large[read], "ms", small[read], "≤ 2× of itself at the small log", ratio <= 2, ratio=ratio,
                        detail=f"{what}, one client: {large['events']:,} events against {small['events']:,}")

    def probe(self, port, data, token, community):
        """Median latencies (ms) of one client reading home feed pages, pull pages and inclusion proofs."""
        seconds = self.sizes["http_seconds"]
        size = log_head(port)
        feed = wrk(port, "/v1/me/feed?limit=20", 1, seconds, token)
        proof = wrk(port, f"/v1/audit/proofs/inclusion?position={max(1, size // 3)}&tree_size={size}", 1, seconds, None)
        pull = self.load(port, data, community, 1, max(seconds, 10), "pull")
        failed = feed["errors"][0] + proof["errors"][0] + pull["errors"]
        if failed:
            raise SystemExit(f"bench: {failed} reads of the growth probe failed; its latencies would mean nothing")
        return {"events": size, "feed": feed["p50_ms"], "proof": proof["p50_ms"], "pull": pull["pull"]["p50_ms"]}

    def serve(self, data, token):
        """`praxis serve` on `data`, its read models caught up; returns the process and its port."""
        port = free_port()
        # No rate limit: one member's token drives the whole load, which the limit exists to stop.
        server = subprocess.Popen([self.args.praxis, "serve", "--data", data, "--port", str(port), "--rate-limit", "0"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(port)
            warm_up(port, token)
        except BaseException:
            server.kill()
            raise
        return server, port

    def reader(self, data):
        """An open community of the demo log, and an access token of its first internal member."""
        members = json.loads(self.praxis("members", "list", "--json", "--data", data).stdout)
        member = next(m["id"] for m in members if not m.get("external") and m.get("active", True))
        token = self.praxis("members", "token", member, "--data", data).stdout.strip()
        communities = json.loads(self.praxis("communities", "list", "--json", "--data", data).stdout)
        return next(c for c in communities if c["visibility"] == "open" and not c.get("archived")), token

    def feed(self, port, token):
        seconds = str(self.sizes["http_seconds"])
        for clients in self.sizes["clients"]:
            trivial = wrk(port, "/health", clients, seconds, None)
            feed = wrk(port, "/v1/me/feed?limit=20", clients, seconds, token)
            self.record(f"feed_{clients}_clients", feed["rps"], "requests/s", trivial["rps"],
                        "≥ 0.3 of trivial requests/s", feed["rps"] >= 0.3 * trivial["rps"],
                        detail=f"{feed['errors'][0]} non-2xx answers; socket errors: {feed['errors'][1]}")
            self.record(f"feed_{clients}_clients_p99", feed["p99_ms"], "ms", 50, "p99 ≤ 50 ms",
                        feed["p99_ms"] <= 50 if clients >= 500 else None, ratio=feed["p99_ms"] / 50)

    def pulls(self, port, data, community):
        """Signed sync pulls by many devices at once, against GET /health by the same client."""
        seconds = self.sizes["http_seconds"]
        for clients in self.sizes["clients"]:
            trivial = self.load(port, data, community, clients, max(seconds, 10), "health")
            pull = self.load(port, data, community, clients, max(seconds, 10), "pull")
            if pull["errors"] > pull["requests"] // 100:
                raise SystemExit(f"bench: {pull['errors']} of {pull['requests']} pulls with {clients} clients failed "
                                 f"{pull['error_samples'][:1]}; the figure would mean nothing")
            self.record(f"pull_{clients}_clients", pull["requests_per_second"], "requests/s",
                        trivial["requests_per_second"], "≥ 0.3 of trivial requests/s",
                        pull["requests_per_second"] >= 0.3 * trivial["requests_per_second"],
                        detail=f"signed pulls of 100 events from the start, {pull['errors']} errors "
                               f"{pull['error_samples'][:1]}; limit: GET /health by the same client")
            p99 = pull["pull"]["p99_ms"]
            if p99 is None:
                print(f"bench: no pull finished after the warm-up with {clients} clients", file=sys.stderr)
                continue
            self.record(f"pull_{clients}_clients_p99", p99, "ms", 50, "p99 ≤ 50 ms",
                        p99 <= 50 if clients >= 500 else None, ratio=p99 / 50)

    def load(self, port, data, community, clients, seconds, mix):
        """`praxis bench load` against the server on `port`: its report, after a 3 s warm-up."""
        return self.praxis_json("bench", "load", "--url", f"http://127.0.0.1:{port}",
                                "--operator-token-file", os.path.join(data, "operator.token"),
                                "--member", community["owners"][0], "--community", community["id"],
                                "--clients", str(clients), "--seconds", str(seconds + 3), "--warm-up", "3", "--mix", mix)

    def postgres(self):
        if not self.args.postgres:
            return
        for batch in (1, 100):
            events = self.sizes["pg_events"] if batch == 100 else self.sizes["pg_events"] // 20
            url = f"{self.args.postgres.rsplit('/', 1)[0]}/bench_{batch}_{os.getpid()}"
            ours = self.praxis_json("bench", "append", "--store", url, "--data", self.folder(f"pg-{batch}"),
                                    "--events", str(events), "--batch", str(batch), "--writers", "8")
            self.record(f"postgres_append_8_writers_batch_{batch}", ours["events_per_second"], "events/s", 8600,
                        "≥ 10,000 events/s (anchor: Commanded 8.6k)",
                        ours["events_per_second"] >= 10000 if batch == 100 else None)

    def peer(self, *arguments):
        run = subprocess.run([self.args.peer_python, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peer_eventsourcing.py"),
                              *arguments], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"bench: the peer failed: {run.stderr.strip()[-500:]}", file=sys.stderr)
            return None
        return json.loads(run.stdout)

    def run(self):
        only = set(self.args.only.split(",")) if self.args.only else set(GROUPS)
        try:
            if "appends" in only:
                self.appends()
            if "read" in only:
                self.read_log()
            if "rebuild" in only or "served" in only:
                data = self.demo_log()
                if "rebuild" in only:
                    self.rebuild(data)
                if "served" in only:
                    self.served(data)
            if "postgres" in only:
                self.postgres()
        finally:
            shutil.rmtree(self.work, ignore_errors=True)
        missed = [r["name"] for r in self.records if r["meets"] is False]
        if not self.args.json:
            print(f"\n{len(self.records)} figures; {len(missed)} miss their target" + (f": {', '.join(missed)}" if missed else ""))




def warm_up(port, token, seconds=120):
    """Waits until the feed answers 200 (the server has caught its read models up), then reads it a few times."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/me/feed?limit=20",
                                     headers={"Authorization": f"Bearer {token}"})
    deadline = time.time() + seconds
    answered = 0
    while answered < 20:
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                answered += response.status == 200
        except (urllib.error.URLError, OSError):
            if time.time() > deadline:
                raise SystemExit("bench: the feed did not answer within two minutes")
            time.sleep(0.5)


def log_head(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=10) as response:
        return json.load(response)["head"]


def wrk(port, path, clients, seconds, token):
    command = ["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run(command + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    def percentile(label):
        found = re.search(label + r"%\s+([\d.]+)(us|ms|s)\b", out)
        return float(found.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[found.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "p50_ms": percentile("50"), "p99_ms": percentile("99"),
            "errors": (int(errors.group(1)) if errors else 0, socket_errors.group(1) if socket_errors else "none")}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--praxis", required=True)
    parser.add_argument("--mode", choices=SIZES.keys(), default="full")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--peer-python")
    parser.add_argument("--postgres")
    parser.add_argument("--only", help=f"comma-separated groups of figures: {','.join(GROUPS)}")
    parser.add_argument("--demo", help="an existing demo data folder, used in place of building one "
                                       "(the push figure appends to its log)")
    arguments = parser.parse_args()
    unknown = set(arguments.only.split(",")) - set(GROUPS) if arguments.only else set()
    if unknown:
        parser.error(f"unknown groups {', '.join(sorted(unknown))}; known: {', '.join(GROUPS)}")
    try:
        Bench(arguments).run()
    except TimeoutError as error:
        sys.exit(f"bench: {error}")
