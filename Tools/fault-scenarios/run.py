"""The fault scenarios of Tools/faults: each tries a fault many times and checks that what must
hold held. One record per scenario: {name, tried, held, detail}. See RELIABILITY.md.
"""

import argparse
import base64
import fcntl
import json
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from serving import free_port, wait_for  # noqa: E402

ROUNDS = {"quick": 10, "full": 100}
FUZZ_SECONDS = {"quick": 45, "full": 600}
LOADS = {"quick": {"clients": 500, "seconds": 30, "warm_up": 10}, "full": {"clients": 500, "seconds": 300, "warm_up": 30}}
STORMS = {"quick": {"rounds": 3, "devices": 4, "batches": 15}, "full": {"rounds": 10, "devices": 16, "batches": 40}}
FUZZ_ITERATIONS = {"quick": 3000, "full": 100000}
REBUILD_DEMOS = {"quick": (700, 12, 150), "full": (2000, 60, 180)}
LONG_READS = {"quick": {"seconds": 20, "page_clients": 40, "report_clients": 16, "log_clients": 4},
              "full": {"seconds": 120, "page_clients": 100, "report_clients": 24, "log_clients": 8}}


class Faults:
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix="praxis-faults-")
        self.random = random.Random(args.seed)
        self.records = []

    def praxis(self, *arguments, check=True):
        run = subprocess.run([self.args.praxis, *arguments], capture_output=True, text=True)
        if check and run.returncode != 0:
            raise Failure(f"praxis {' '.join(arguments[:3])} failed: {run.stderr.strip()[-800:]}")
        return run

    def demo(self, data, members, communities, days, open_community=True):
        """Builds a demo organisation in `data`; returns one of its communities, an open one unless
        `open_community` is False (then the first)."""
        self.praxis("demo", "--data", data, "--members", str(members), "--communities", str(communities),
                    "--days", str(days))
        listed = json.loads(self.praxis("communities", "list", "--json", "--data", data).stdout)
        if not open_community:
            return listed[0]
        return next(c for c in listed if c["visibility"] == "open" and not c.get("archived"))

    def token(self, data, member):
        """A fresh access token for `member`."""
        return self.praxis("members", "token", member, "--data", data).stdout.strip()

    def record(self, name, tried, held, detail):
        record = {"name": name, "tried": tried, "held": held, "detail": detail}
        self.records.append(record)
        if self.args.json:
            print(json.dumps(record, ensure_ascii=False), flush=True)
        else:
            verdict = "held" if held == tried else "BROKE"
            print(f"{name:<28} {held}/{tried} {verdict:<6} {detail}", flush=True)

    # --- crash ---------------------------------------------------------------------------------

    def crash(self):
        """SIGKILL a server receiving a steady stream of signed pushes, at random moments."""
        data = os.path.join(self.work, "crash")
        community = self.demo(data, 40, 4, 10)
        rounds = ROUNDS[self.args.mode]
        held, problems, acknowledged_total = 0, [], 0
        for round_number in range(1, rounds + 1):
            try:
                acknowledged_total += self.crash_round(data, community, round_number)
                held += 1
            except (Failure, TimeoutError) as failure:
                problems.append(f"round {round_number}: {failure}")
        detail = (f"{acknowledged_total} acknowledged events over {rounds} kills; each time every acknowledged event "
                  "was in the log once, no batch half written, audit verify passed, digests equal a full rebuild")
        self.record("crash_sigkill_during_pushes", rounds, held, "; ".join(problems) or detail)

    def crash_round(self, data, community, round_number):
        port = free_port()
        # No rate limit: the two devices push as fast as they can, to have as much in flight as possible.
        server = subprocess.Popen([self.args.praxis, "serve", "--data", data, "--port", str(port), "--rate-limit", "0"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        acknowledged_file = os.path.join(self.work, f"acknowledged-{round_number}.txt")
        try:
            wait_for(port)
            start_head = head(port)
            client = subprocess.Popen(
                [self.args.praxis, "bench", "push", "--url", f"http://127.0.0.1:{port}",
                 "--operator-token-file", os.path.join(data, "operator.token"), "--member", community["owners"][0],
                 "--community", community["id"], "--devices", "2", "--batches", "1000", "--batch", "10",
                 "--record", acknowledged_file],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            # Kill at a random moment once pushes are flowing.
            deadline = time.time() + 120
            while head(port) < start_head + 60 and client.poll() is None and time.time() < deadline:
                time.sleep(0.05)
            time.sleep(self.random.uniform(0.0, 1.0))
        finally:
            server.send_signal(signal.SIGKILL)
            server.wait()
        _, errors = client.communicate(timeout=120)
        if client.returncode != 0:
            raise Failure(f"the push client failed before the kill: {errors.strip()[-300:]}")
        acknowledged = [line for line in open(acknowledged_file).read().split("\n") if line]
        if not acknowledged:
            raise Failure("no push was acknowledged before the kill (the round proved nothing)")
        self.check_log(data, acknowledged)
        self.check_audit(data)
        self.check_digests(data)
        return len(acknowledged)

    def exported_events(self, data):
        """Every event of the log, decoded from `praxis log export`, in position order."""
        export = os.path.join(self.work, "export.ndjson")
        if os.path.exists(export):
            os.remove(export)
        self.praxis("log", "export", "--data", data, "--out", export)
        events = []
        for line in open(export):
            entry = json.loads(line)
            if "canonical" in entry:
                events.append(json.loads(base64.urlsafe_b64decode(entry["canonical"] + "=" * (-len(entry["canonical"]) % 4))))
        return events

    def check_log(self, data, acknowledged):
        """Checks every acknowledged id is in the log once and no batch is half written; returns the
        ids the log holds."""
        ids, recorded_accepted = [], set()
        for event in self.exported_events(data):
            ids.append(event["id"])
            if event["type"] == "sync_batch_recorded":
                recorded_accepted.update(r["id"] for r in event["payload"]["results"] if r["status"] == "accepted")
        present = set(ids)
        if len(present) != len(ids):
            raise Failure(f"{len(ids) - len(present)} events are in the log twice")
        missing = [i for i in acknowledged if i not in present]
        if missing:
            raise Failure(f"{len(missing)} acknowledged events are not in the log, e.g. {missing[0]}")
        half = [i for i in recorded_accepted if i not in present]
        if half:
            raise Failure(f"a batch is half written: {len(half)} of its accepted events are missing")
        return present

    def check_audit(self, data):
        audit = self.praxis("audit", "verify", "--data", data, check=False)
        if audit.returncode != 0:
            raise Failure(f"audit verify failed: {(audit.stdout + audit.stderr).strip()[-300:]}")

    def digests(self, data):
        """Each read model's (position, sha256) by name, after catching up with the log."""
        listed = json.loads(self.praxis("projections", "digest", "--json", "--data", data).stdout)
        return {d["name"]: (d["position"], d["sha256"]) for d in listed}

    def digests_from_scratch(self, data):
        """The digests of read models built from nothing but `data`'s log, in a folder of their own."""
        rebuilt_folder = os.path.join(self.work, "rebuilt")
        shutil.rmtree(rebuilt_folder, ignore_errors=True)
        os.makedirs(rebuilt_folder)
        for name in os.listdir(data):
            if name.startswith("log.sqlite") or name in ("server.key", "operator.token"):
                shutil.copy(os.path.join(data, name), rebuilt_folder)
        return self.digests(rebuilt_folder)

    def check_digests(self, data):
        caught_up, rebuilt = self.digests(data), self.digests_from_scratch(data)
        if caught_up != rebuilt:
            differing = [n for n in rebuilt if caught_up.get(n) != rebuilt[n]]
            raise Failure(f"read models after the crash differ from a full rebuild: {', '.join(differing)}")

    # --- a rebuild killed ----------------------------------------------------------------------

    def rebuild_killed(self):
        """SIGKILL `projections rebuild --all` at random moments: each kill leaves the live read
        models as they were, and the next rebuild resumes what the kill left and ends where a
        rebuild from scratch does."""
        data = os.path.join(self.work, "rebuild-killed")
        self.demo(data, *REBUILD_DEMOS[self.args.mode])
        reference = self.digests_from_scratch(data)
        started = time.time()
        self.praxis("projections", "rebuild", "--all", "--data", data)
        duration = time.time() - started
        rounds = ROUNDS[self.args.mode]
        held, problems, half_done, past_a_page = 0, [], 0, 0
        for round_number in range(1, rounds + 1):
            try:
                # Every other kill waits for the first page to be committed (its progress line).
                left, committed = self.rebuild_killed_round(data, duration, reference, after_a_page=round_number % 2 == 0)
                half_done, past_a_page, held = half_done + left, past_a_page + committed, held + 1
            except (Failure, subprocess.TimeoutExpired) as failure:
                problems.append(f"round {round_number}: {failure}")
        try:
            self.praxis("projections", "rebuild", "--all", "--data", data)
            if self.digests(data) != reference:
                raise Failure("after the kills, a rebuild to the end differs from a rebuild from scratch")
            left = self.rebuilds_in_progress(data)
            if left:
                raise Failure(f"a finished rebuild left shadows: {', '.join(left)}")
        except Failure as failure:
            problems.append(f"the last rebuild: {failure}")
            held = min(held, rounds - 1)
        events = reference["community_roster"][0]
        detail = (f"{rounds} kills of a {duration:.1f}-second rebuild of a {events}-event log, {half_done} of them "
                  f"with read models half rebuilt ({past_a_page} past a committed page of 10,000 events); after each "
                  "the live read models equalled a rebuild from scratch, and the next rebuild resumed and ended there")
        self.record("rebuild_sigkill", rounds, held, "; ".join(problems) or detail)

    def rebuild_killed_round(self, data, duration, reference, after_a_page):
        """One kill, at a random moment or soon after the first page was committed; returns whether
        it left a rebuild half done (resumed by the next round) and whether that was past a page."""
        rebuild = subprocess.Popen([self.args.praxis, "projections", "rebuild", "--all", "--data", data],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if after_a_page:
            rebuild.stderr.readline()
            time.sleep(self.random.uniform(0.0, duration / 3))
        else:
            time.sleep(self.random.uniform(0.05, duration))
        rebuild.send_signal(signal.SIGKILL)
        rebuild.communicate()
        in_progress = self.rebuilds_in_progress(data)
        if self.digests(data) != reference:
            raise Failure("the live read models differ from a rebuild from scratch after the kill")
        return (1 if in_progress else 0), (1 if any(at > 0 for at in in_progress.values()) else 0)

    def rebuilds_in_progress(self, data):
        """The read models with a shadow generation being rebuilt, with the shadows' checkpoints."""
        status = json.loads(self.praxis("projections", "status", "--json", "--data", data).stdout)
        return {s["name"]: s["rebuilding_at"] for s in status if s.get("rebuilding_at") is not None}

    # --- retry storm ---------------------------------------------------------------------------

    def storm(self):
        """Devices resend every batch 1-3 times, losing answers; nothing doubles and all converge."""
        settings = STORMS[self.args.mode]
        data = os.path.join(self.work, "storm")
        community = self.demo(data, 30, 3, 5)
        held, problems, sent, lost = 0, [], 0, 0
        for round_number in range(1, settings["rounds"] + 1):
            try:
                attempts, lost_answers = self.storm_round(data, community, settings, self.random.randrange(1 << 32))
                sent, lost = sent + attempts, lost + lost_answers
                held += 1
            except (Failure, TimeoutError) as failure:
                problems.append(f"round {round_number}: {failure}")
        detail = (f"{settings['devices']} devices × {settings['batches']} batches per round; {sent} pushes sent, "
                  f"{lost} answers lost; every batch taken once, no duplicate, each device equal to the server's state")
        self.record("retry_storm", settings["rounds"], held, "; ".join(problems) or detail)

    def storm_round(self, data, community, settings, seed):
        port = free_port()
        # The default rate limits stay on: resending clients meet them as they would in the field.
        server = subprocess.Popen([self.args.praxis, "serve", "--data", data, "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(port)
            run = self.praxis(
                "bench", "storm", "--url", f"http://127.0.0.1:{port}",
                "--operator-token-file", os.path.join(data, "operator.token"), "--member", community["owners"][0],
                "--community", community["id"], "--devices", str(settings["devices"]),
                "--batches", str(settings["batches"]), "--batch", "5", "--seed", str(seed), check=False)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        if run.returncode != 0:
            raise Failure(f"the storm client failed: {run.stderr.strip()[-400:]}")
        report = json.loads(run.stdout)
        reference = set(report["reference"])
        pushed = [event_id for device in report["devices"] for event_id in device["pushed"]]
        events = self.exported_events(data)
        ids = [event["id"] for event in events]
        if len(set(ids)) != len(ids):
            raise Failure(f"{len(ids) - len(set(ids))} events are in the log twice")
        present = set(ids)
        if any(event_id not in present for event_id in pushed):
            raise Failure("an event answered accepted or duplicate is not in the log")
        recorded = [(e["payload"]["device"], e["payload"]["batch"]) for e in events if e["type"] == "sync_batch_recorded"]
        if len(set(recorded)) != len(recorded):
            raise Failure("a batch was recorded twice (decided a second time)")
        if not set(pushed) <= reference:
            raise Failure("the server's state for the member lacks pushed events")
        for device in report["devices"]:
            if set(device["pulled"]) != reference:
                raise Failure(f"device {device['device']} did not converge: {len(device['pulled'])} events "
                              f"pulled, {len(reference)} on the server for its member")
        lost = sum(d["lost_answers"] for d in report["devices"])
        if lost == 0:
            raise Failure("no answer was lost (the round proved nothing)")
        self.check_audit(data)
        return sum(d["attempts"] for d in report["devices"]), lost

    # --- hostile inputs ------------------------------------------------------------------------

    def hostile(self):
        """Hostile requests over raw sockets: each gets its typed 4xx and writes nothing."""
        data = os.path.join(self.work, "hostile")
        community = self.demo(data, 20, 3, 3, open_community=False)
        token = self.token(data, community["owners"][0])
        port = free_port()
        server = subprocess.Popen(
            [self.args.praxis, "serve", "--data", data, "--port", str(port), "--request-timeout", "2",
             "--idle-timeout", "3"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        posts = f"/v1/communities/{community['id']}/posts"
        question = b'{"kind":"question","title":"T","body":"B"}'
        cases = [
            ("huge body", post(posts, token, b'{"title":"' + b"x" * (2 << 20) + b'"}'), 413, "payload_too_large"),
            ("deep nesting", post(posts, token, b"[" * 200 + b"]" * 200), 400, "nesting_too_deep"),
            ("invalid UTF-8", post(posts, token, question.replace(b'"T"', b'"\xc3\x28"')), 400, "invalid_utf8"),
            ("raw NUL byte", post(posts, token, question.replace(b'"T"', b'"a\x00b"')), 400, "invalid_json"),
            ("escaped NUL", post(posts, token, question.replace(b'"T"', b'"a\\u0000b"')), 400, "invalid_field"),
            ("number beyond double", post(posts, token, question[:-1] + b',"x":1e400}'), 400, "number_out_of_range"),
            ("duplicate keys", post(posts, token, question[:-1] + b',"title":"U"}'), 400, "duplicate_key"),
            ("wrong content type", post(posts, token, question, content_type="text/plain"), 415,
             "unsupported_media_type"),
            ("id with path separators", post("/v1/posts/..%2F..%2Fetc%2Fpasswd/comments", token, b'{"body":"x"}'),
             400, "invalid_field"),
            ("SQL in an id", get("/v1/communities/1'%20OR%20'1'='1/posts", token), 400, "invalid_parameter"),
            ("SQL in a search", get("/v1/search?q=%27%3B%20DROP%20TABLE%20events%3B%20--", token), 200, None),
            ("oversized headers", get("/v1/me/feed", token, extra="X-Big: " + "a" * 100_000 + "\r\n"), 431,
             "headers_too_large"),
            ("broken HTTP", b"GET /health HTTP/1.1\r\nHost x\r\n\r\n", 400, "malformed_request"),
            ("no credentials", post(posts, None, question), 401, "unauthorized"),
            ("forged token", post(posts, "not-a-token", question), 401, "unauthorized"),
        ]
        held, problems = 0, []
        try:
            wait_for(port)
            for name, request, status, code in cases:
                before = head(port)
                answer = exchange(port, request)
                problem = check_answer(answer, status, code)
                if problem is None and head(port) != before:
                    problem = "the log grew"
                if problem:
                    problems.append(f"{name}: {problem}")
                else:
                    held += 1
            for name, head_bytes, body in [
                ("trickled body", post(posts, token, question)[:-len(question)], question),
                ("trickled headers", b"", post(posts, token, question)),
            ]:
                before = head(port)
                cut_after = trickle(port, head_bytes, body, interval=0.25)
                if cut_after is None:
                    problems.append(f"{name}: the server waited for the whole request")
                elif head(port) != before:
                    problems.append(f"{name}: the log grew")
                else:
                    held += 1
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        tried = len(cases) + 2
        detail = (f"{len(cases)} hostile requests answered with their typed code and no write; clients trickling "
                  "a body or headers byte by byte cut off (request deadline 2 s, idle time-out 3 s)")
        self.record("hostile_inputs", tried, held, "; ".join(problems) or detail)

    # --- decoder fuzzing ------------------------------------------------------------------------

    def fuzz(self):
        """Seeded random and mutated inputs for every decoder that faces the network (Swift tests)."""
        iterations = FUZZ_ITERATIONS[self.args.mode]
        environment = dict(os.environ, PRAXIS_FUZZ_ITERATIONS=str(iterations))
        run = subprocess.run(["swift", "test", "--filter", "DecoderFuzzTests|SyncDecoderFuzzTests"],
                             capture_output=True, text=True, env=environment)
        decoders = ["JSON parser", "envelopes and push batches", "base64url and timestamps", "pull cursors",
                    "request signatures"]
        if run.returncode == 0:
            held = len(decoders)
            detail = (f"{iterations} inputs each for: {', '.join(decoders)}; no crash, no hang, round trips hold, "
                      "no altered request authenticated")
        else:
            failed = [line for line in run.stdout.splitlines() if "✘" in line and "Test " in line]
            held = len(decoders) - max(1, len(failed))
            detail = (run.stdout + run.stderr).strip()[-600:]
        self.record("decoder_fuzzing", len(decoders), held, detail)

    # --- API fuzzing from the document ---------------------------------------------------------

    def api_fuzzing(self):
        """schemathesis against Protocol/openapi.yaml on a demo server: no 5xx, every answer as documented."""
        venv = os.path.join(".build", "faults-venv")
        schemathesis = os.path.join(venv, "bin", "schemathesis")
        if not os.path.exists(schemathesis):
            subprocess.run([sys.executable, "-m", "venv", venv], check=True, capture_output=True)
            installed = subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", "schemathesis"],
                                       capture_output=True, text=True)
            if installed.returncode != 0:
                self.record("api_fuzzing", 0, 0, "skipped: schemathesis could not be installed from PyPI "
                            f"({installed.stderr.strip()[-200:]})")
                return
        data = os.path.join(self.work, "api")
        member_token = self.token(data, self.demo(data, 40, 4, 10)["owners"][0])
        port = free_port()
        # No rate limit: the fuzzer sends thousands of requests with one token.
        server = subprocess.Popen([self.args.praxis, "serve", "--data", data, "--port", str(port), "--rate-limit", "0"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        held, details = 0, []
        try:
            wait_for(port)
            operator_token = open(os.path.join(data, "operator.token")).read().strip()  # written by the first start
            passes = [("as a member (every operation but the operator's)", member_token, "--exclude-tag"),
                      ("as the operator (operator operations)", operator_token, "--include-tag")]
            for name, token, selection in passes:
                run = subprocess.run(
                    [os.path.abspath(schemathesis), "run", os.path.abspath("Protocol/openapi.yaml"),
                     "--url", f"http://127.0.0.1:{port}", "-H", f"Authorization: Bearer {token}", selection, "operator",
                     "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
                     "response_schema_conformance,response_headers_conformance",
                     "--phases", "examples,coverage,fuzzing", "--max-time", str(FUZZ_SECONDS[self.args.mode]),
                     # One worker: with threads, CPython 3.11 sometimes fails inside hypothesis's source parsing
                     # ("AST constructor recursion depth mismatch"), an error of the tool, not of the API.
                     "-w", "1", "--seed", str(self.args.seed)],
                    capture_output=True, text=True, cwd=self.work)
                summary = next((line.strip() for line in run.stdout.splitlines() if " generated," in line), "")
                if run.returncode == 0:
                    held += 1
                    details.append(f"{name}: {summary}")
                else:
                    failures = [line.strip() for line in run.stdout.splitlines() if line.startswith("___")]
                    details.append(f"{name} BROKE: {summary}; {' '.join(failures)[:400]} (rerun with --seed "
                                   f"{self.args.seed}; schemathesis prints a curl line per failure)")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        self.record("api_fuzzing", 2, held, "; ".join(details) + "; checks: no 5xx, documented status, "
                    "content type, headers and response schema")

    # --- load ----------------------------------------------------------------------------------

    def load(self):
        """Many devices push and pull at once: no errors, and memory flat after the warm-up."""
        settings = LOADS[self.args.mode]
        data = os.path.join(self.work, "load")
        community = self.demo(data, 40, 4, 10)
        port = free_port()
        server = subprocess.Popen([self.args.praxis, "serve", "--data", data, "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples = []
        try:
            wait_for(port)
            client = subprocess.Popen(
                [self.args.praxis, "bench", "load", "--url", f"http://127.0.0.1:{port}",
                 "--operator-token-file", os.path.join(data, "operator.token"), "--member", community["owners"][0],
                 "--community", community["id"], "--clients", str(settings["clients"]),
                 "--seconds", str(settings["seconds"]), "--warm-up", str(settings["warm_up"])],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            started = client.stdout.readline()
            if '"started"' not in started:
                raise Failure(f"the load client did not start: {(started + client.stdout.read())[-300:]}")
            began = time.time()
            while client.poll() is None and time.time() - began < settings["seconds"]:
                samples.append((time.time() - began, resident_kib(server.pid)))
                time.sleep(1)
            report_text = client.stdout.read()
            client.wait(timeout=600)
        except (Failure, TimeoutError) as failure:
            self.record("load", 1, 0, str(failure))
            return
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        if client.returncode != 0:
            self.record("load", 1, 0, f"the load client failed: {report_text.strip()[-300:]}")
            return
        report = json.loads(report_text.strip().splitlines()[-1])
        warm = [kib for at, kib in samples if at >= settings["warm_up"]]
        if len(warm) < 2:
            self.record("load", 1, 0, "too few memory samples after the warm-up")
            return
        growth = warm[-1] / warm[0]
        problems = []
        if report["errors"]:
            problems.append(f"{report['errors']} errors, e.g. {report['error_samples'][:2]}")
        if growth > 1.2:
            problems.append(f"memory grew {growth:.2f}× after the warm-up ({warm[0] // 1024} → {warm[-1] // 1024} MiB)")
        detail = (f"{report['clients']} clients × {settings['seconds']} s: {report['requests']} requests, "
                  f"{report['errors']} errors; push p50 {report['push']['p50_ms']} ms p99 {report['push']['p99_ms']} ms, "
                  f"pull p50 {report['pull']['p50_ms']} ms p99 {report['pull']['p99_ms']} ms; server memory "
                  f"{warm[0] // 1024} MiB after the warm-up, {warm[-1] // 1024} MiB at the end ({growth:.2f}×)")
        self.record("load", 1, 0 if problems else 1, "; ".join(problems + [detail]))

    # --- long reads beside page reads -----------------------------------------------------------

    def long_reads(self):
        """Long reads (insights reports, a rebuild's pages of 10,000 events) beside many page reads
        and log pages: every request answered 2xx within its timeout, and the rebuilds finish. Page
        reads run on the threads that serve requests and long ones on dispatch threads; a read that
        held its connection while waiting for a thread could deadlock the two (RELIABILITY.md)."""
        settings = LONG_READS[self.args.mode]
        data = os.path.join(self.work, "long-reads")
        community = self.demo(data, 40, 4, 10)
        token = self.token(data, community["owners"][0])
        port = free_port()
        server = subprocess.Popen([self.args.praxis, "serve", "--data", data, "--port", str(port), "--rate-limit", "0"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        counts, problems, lock = {}, [], threading.Lock()
        deadline = 0.0  # set when the clients start

        def client(kind, paths, bearer):
            index = 0
            while time.time() < deadline:
                path = paths[index % len(paths)]
                index += 1
                status = http_status(port, "GET", path, bearer)
                with lock:
                    counts[kind] = counts.get(kind, 0) + 1
                    if not 200 <= status < 300 and len(problems) < 5:
                        problems.append(f"GET {path} answered {status}")

        try:
            wait_for(port)
            with open(os.path.join(data, "operator.token")) as file:  # written by serve
                operator = file.read().strip()
            if not self.projections_settled(port, operator, timeout=120):
                raise Failure("the read models did not catch up with the demo log within 2 minutes")
            kinds = [("page", ["/v1/me/feed?limit=20", f"/v1/communities/{community['id']}/posts?limit=20"], token,
                      settings["page_clients"]),
                     ("report", ["/v1/insights/org", f"/v1/communities/{community['id']}/insights"], token,
                      settings["report_clients"]),
                     ("log", ["/v1/log?from=1&limit=1000"], operator, settings["log_clients"])]
            threads = [threading.Thread(target=client, args=(kind, paths, bearer), daemon=True)
                       for kind, paths, bearer, number in kinds for _ in range(number)]
            deadline = time.time() + settings["seconds"]
            for thread in threads:
                thread.start()
            for name in ("home_feed", "insights"):
                time.sleep(settings["seconds"] / 3)
                status = http_status(port, "POST", f"/v1/operator/projections/{name}/rebuild", operator)
                if status != 202:
                    problems.append(f"rebuild of {name} answered {status}")
            for thread in threads:
                thread.join(timeout=settings["seconds"] + 60)
            if any(thread.is_alive() for thread in threads):
                problems.append("clients still waiting a minute after the run")
            if not self.projections_settled(port, operator, timeout=120):
                problems.append("the rebuilds did not finish within 2 minutes")
        except (Failure, TimeoutError) as failure:
            problems.append(str(failure))
        finally:
            if not stop_server(server):
                problems.append("the server did not stop within a minute of SIGTERM")
        detail = (f"{settings['seconds']} s: {counts.get('page', 0)} page reads ({settings['page_clients']} clients), "
                  f"{counts.get('report', 0)} insights reports ({settings['report_clients']}), "
                  f"{counts.get('log', 0)} log pages of 1,000 ({settings['log_clients']}), 2 rebuilds")
        self.record("long_reads_beside_pages", 1, 0 if problems else 1, "; ".join(problems + [detail]))

    @staticmethod
    def projections_settled(port, operator, timeout):
        """Whether every read model is caught up with the log and none is being rebuilt, within
        `timeout` seconds."""
        until = time.time() + timeout
        while time.time() < until:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/operator/projections",
                                             headers={"Authorization": f"Bearer {operator}"})
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    projections = json.load(answer)["projections"]
            except (OSError, ValueError, KeyError):
                return False
            if all(p["lag"] == 0 and p.get("rebuilding_at") is None for p in projections):
                return True
            time.sleep(1)
        return False

    # --- disk trouble --------------------------------------------------------------------------

    def disk(self):
        """The data folder on a small tmpfs fills up mid-write; then it grows back. Then read-only, between
        runs and (on a loop-mounted ext4) mid-write."""
        mount_point = os.path.join(self.work, "disk")
        os.makedirs(mount_point)
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount_point],
                                 capture_output=True, text=True)
        if mounted.returncode != 0:
            self.record("disk_full_and_read_only", 0, 0,
                        f"skipped: cannot mount a size-limited tmpfs here ({mounted.stderr.strip()}); needs root")
            return
        checks, problems = [], []
        try:
            self.disk_rounds(mount_point, checks, problems)
        except (Failure, TimeoutError, OSError) as failure:
            problems.append(str(failure))
        finally:
            subprocess.run(["umount", "-l", mount_point], capture_output=True)
        skipped = None
        try:
            skipped = self.read_only_rounds(checks, problems)
        except (Failure, TimeoutError, OSError, subprocess.CalledProcessError) as failure:
            problems.append(f"read-only mid-write: {failure}")
        detail = "; ".join(checks + ([skipped] if skipped else []))
        self.record("disk_full_and_read_only", len(checks) + len(problems), len(checks),
                    "; ".join(problems) + (" — held: " if problems else "") + detail)

    def disk_rounds(self, mount_point, checks, problems):
        data = os.path.join(mount_point, "data")
        community = self.demo(data, 20, 3, 2, open_community=False)
        token = self.token(data, community["owners"][0])
        port = free_port()
        server = subprocess.Popen([self.args.praxis, "serve", "--data", data, "--port", str(port), "--rate-limit", "0"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        acknowledged = []
        path = f"/v1/communities/{community['id']}/posts"
        try:
            wait_for(port)
            # Fill the disk with posts until a write is refused.
            refused = None
            for index in range(5000):
                status, answer, headers = member_post(port, path, token, index)
                if status != 201:
                    refused = (status, answer, headers)
                    break
                acknowledged.append(answer["events"][0]["id"])
            if refused is None:
                raise Failure("the disk never filled")
            status, answer, headers = refused
            code = answer.get("error", {}).get("code")
            if status != 503 or code != "unavailable" or "Retry-After" not in headers:
                raise Failure(f"a write on a full disk answered {status} {answer}")
            checks.append(f"full after {len(acknowledged)} posts: 503 unavailable ({answer['error']['message']}) "
                          "with Retry-After")
            before = head(port)
            again = [member_post(port, path, token, 10_000 + i)[0] for i in range(3)]
            if any(s == 201 for s in again) or head(port) != before:
                problems.append(f"writes on the full disk answered {again}")
            else:
                checks.append("further writes refused the same way, the log unchanged, /health answering")
            # Space comes back: the service recovers by itself.
            subprocess.run(["mount", "-o", "remount,size=64m", mount_point], check=True)
            deadline = time.time() + 30
            while True:
                status, answer, _ = member_post(port, path, token, 20_000)
                if status == 201:
                    acknowledged.append(answer["events"][0]["id"])
                    break
                if time.time() > deadline:
                    raise Failure(f"no recovery within 30 s of space returning: {status} {answer}")
                time.sleep(0.5)
            checks.append("space back: writes accepted again without a restart")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        self.check_log(data, acknowledged)
        self.check_audit(data)
        self.check_digests(data)
        checks.append(f"all {len(acknowledged)} acknowledged posts in the log once, audit verify passed, "
                      "read models equal a full rebuild")
        # Read-only: Linux refuses to remount a file system read-only while a process has files open
        # for writing, so the folder turns read-only between runs.
        subprocess.run(["mount", "-o", "remount,ro", mount_point], check=True)
        start = subprocess.run([self.args.praxis, "serve", "--data", data, "--port", str(free_port())],
                               capture_output=True, text=True, timeout=60)
        if start.returncode == 0 or "cannot be written" not in start.stderr:
            problems.append(f"serve on a read-only folder: exit {start.returncode}, {start.stderr.strip()[-200:]}")
        else:
            checks.append("serve on a read-only folder: refused with a message naming it, exit 1")
        subprocess.run(["mount", "-o", "remount,rw", mount_point], check=True)
        self.check_audit(data)
        checks.append("read-write again: audit verify passes")

    def read_only_rounds(self, checks, problems):
        """The data folder's file system stops taking writes while posts arrive (ext4's shutdown, as
        when the kernel remounts a failing disk read-only); then it is mounted again. Returns why
        it was skipped, if it was."""
        image, mount_point = os.path.join(self.work, "ext4.img"), os.path.join(self.work, "ext4")
        os.makedirs(mount_point)
        with open(image, "wb") as file:
            file.truncate(128 << 20)
        made = subprocess.run(["mkfs.ext4", "-q", "-F", image], capture_output=True, text=True)
        mounted = made.returncode == 0 and subprocess.run(
            ["mount", "-o", "loop", image, mount_point], capture_output=True, text=True).returncode == 0
        if not mounted:
            return "read-only mid-write skipped: no loop-mounted ext4 here (needs root and mkfs.ext4)"
        try:
            self.read_only_round(image, mount_point, checks, problems)
        finally:
            subprocess.run(["umount", mount_point], capture_output=True)

    def read_only_round(self, image, mount_point, checks, problems):
        data = os.path.join(mount_point, "data")
        community = self.demo(data, 20, 3, 2, open_community=False)
        token = self.token(data, community["owners"][0])
        path = f"/v1/communities/{community['id']}/posts"
        port = free_port()
        server = subprocess.Popen([self.args.praxis, "serve", "--data", data, "--port", str(port), "--rate-limit", "0"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        acknowledged, refusals, stop = [], [], threading.Event()

        def keep_posting():
            index = 0
            while not stop.is_set():
                try:
                    status, answer, _ = member_post(port, path, token, index)
                except OSError as error:
                    refusals.append(("no answer", str(error)))
                    return
                index += 1
                if status == 201:
                    acknowledged.append((time.monotonic(), answer["events"][0]["id"]))
                else:
                    refusals.append((status, answer.get("error", {}).get("code")))

        writer = threading.Thread(target=keep_posting)
        try:
            wait_for(port)
            writer.start()
            time.sleep(self.random.uniform(1.0, 3.0))
            shutdown_began = time.monotonic()
            shut_down_ext4(mount_point)
            shut_at = len(acknowledged)
            time.sleep(2)
            stop.set()
            writer.join(timeout=60)
            untyped = [r for r in refusals if r != (503, "unavailable")]
            if not refusals or untyped:
                problems.append(f"writes after the file system stopped: {len(refusals)} refused, untyped: {untyped[:3]}")
            else:
                checks.append(f"file system stopped after {shut_at} posts: the next {len(refusals)} writes answered "
                              "503 unavailable")
            # /health answers from what can still be read (the page cache) or says `unavailable`.
            status, code = health_status(port)
            if (status, code) in ((200, None), (503, "unavailable")):
                checks.append(f"/health answering meanwhile ({status})")
            else:
                problems.append(f"/health answered {status} {code} while the file system was stopped")
        finally:
            stop.set()
            stop_server(server)
        # Mounted again (the journal replayed), as an operator would after the disk is back.
        subprocess.run(["umount", mount_point], check=True)
        subprocess.run(["mount", "-o", "loop", image, mount_point], check=True)
        # A post answered once the shutdown had begun may have had its fdatasync reported done by a
        # kernel that then dropped it with the journal (RELIABILITY.md): those are counted, not judged.
        before = [event for at, event in acknowledged if at < shutdown_began]
        during = [event for at, event in acknowledged if at >= shutdown_began]
        kept = self.check_log(data, before)
        lost_during = [event for event in during if event not in kept]
        self.check_audit(data)
        self.check_digests(data)
        port = free_port()
        server = subprocess.Popen([self.args.praxis, "serve", "--data", data, "--port", str(port), "--rate-limit", "0"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(port)
            status, answer, _ = member_post(port, path, token, 50_000)
            if status != 201:
                raise Failure(f"after mounting again a post answered {status} {answer}")
        finally:
            stop_server(server)
        checks.append(f"mounted again: all {len(before)} posts acknowledged before the shutdown in the log once "
                      f"({len(during) - len(lost_during)} of {len(during)} acknowledged while it ran too), audit verify "
                      "passed, read models equal a full rebuild, writes accepted after a restart")

    # --- authorization matrix ------------------------------------------------------------------

    def authorization(self):
        """Every read endpoint and the sync pull × every kind of caller × every visibility (Swift test)."""
        run = subprocess.run(["swift", "test", "--filter", "AuthorizationMatrixTests"], capture_output=True, text=True)
        cells = 3 * 7 * 4
        if run.returncode == 0:
            detail = (f"{cells} answers (7 callers × 3 visibilities × 4 community endpoints) with their documented codes; "
                      "search, home feed and sync pull leak nothing; revoked, impostor and unsigned devices refused")
            self.record("authorization_matrix", 1, 1, detail)
        else:
            self.record("authorization_matrix", 1, 0, (run.stdout + run.stderr).strip()[-600:])

    def run(self):
        try:
            scenarios = {"decoder_fuzzing": self.fuzz, "api_fuzzing": self.api_fuzzing,
                         "authorization_matrix": self.authorization,
                         "hostile_inputs": self.hostile, "retry_storm": self.storm, "disk_full_and_read_only": self.disk,
                         "load": self.load, "long_reads_beside_pages": self.long_reads,
                         "crash_sigkill_during_pushes": self.crash, "rebuild_sigkill": self.rebuild_killed}
            for name, scenario in scenarios.items():
                if not self.args.only or name in self.args.only:
                    scenario()
        finally:
            shutil.rmtree(self.work, ignore_errors=True)
        broke = [r["name"] for r in self.records if r["held"] != r["tried"]]
        if not self.args.json:
            print(f"\n{len(self.records)} scenarios; {len(broke)} broke" + (f": {', '.join(broke)}" if broke else ""))
        return 1 if broke else 0


class Failure(Exception):
    pass


def stop_server(server):
    """Sends SIGTERM and waits a minute; kills the server if it is still running then. Returns
    whether it stopped on SIGTERM."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=60)
        return True
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
        return False


def http_status(port, method, path, token):
    """The status of one request with a 30-second timeout (0 when it timed out or failed)."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def member_post(port, path, token, index):
    """POSTs an 8 KB discussion as a member; returns (status, JSON answer, headers)."""
    body = json.dumps({"kind": "discussion", "title": f"Filler {index}", "body": "x" * 8000}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.load(answer), dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error), dict(error.headers)


def post(path, token, body, content_type="application/json"):
    """A raw HTTP/1.1 POST, closing the connection after the answer."""
    headers = f"POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: {content_type}\r\n"
    if token:
        headers += f"Authorization: Bearer {token}\r\n"
    return (headers + f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def get(path, token, extra=""):
    """A raw HTTP/1.1 GET, closing the connection after the answer."""
    return f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {token}\r\n{extra}\r\n".encode()


def exchange(port, request):
    """Sends `request` on a new connection; returns everything answered until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        try:
            connection.sendall(request)
        except OSError:
            pass  # the server may answer and close before taking a huge body whole
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except OSError:
            pass
        return answer


def check_answer(answer, status, code):
    """None if `answer` has `status` and error `code` (no code: any body), else what is wrong."""
    status_line, _, rest = answer.partition(b"\r\n")
    if not status_line.startswith(f"HTTP/1.1 {status} ".encode()):
        return f"answered {status_line.decode(errors='replace')!r}, expected {status}"
    if code is None:
        return None
    body = rest.partition(b"\r\n\r\n")[2]
    try:
        found = json.loads(body)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return f"the body is not a Praxis error: {body[:120]!r}"
    return None if found == code else f"code {found}, expected {code}"


def trickle(port, first, rest, interval):
    """Sends `first`, then `rest` one byte per `interval`; returns the seconds after which the
    server closed the connection, or None if it let the whole request through."""
    started = time.time()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(first)
        for byte in rest:
            try:
                connection.sendall(bytes([byte]))
            except OSError:
                return time.time() - started
            connection.setblocking(False)
            try:
                if connection.recv(1) == b"":
                    return time.time() - started
            except BlockingIOError:
                pass
            except OSError:
                return time.time() - started
            connection.setblocking(True)
            time.sleep(interval)
    return None


def resident_kib(pid):
    """The resident memory of process `pid`, in KiB (Linux /proc)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise Failure(f"no VmRSS for process {pid}")


def shut_down_ext4(mount_point):
    """Stops the ext4 file system at `mount_point` from taking any write, at once and without
    flushing its journal (EXT4_IOC_SHUTDOWN with EXT4_GOING_FLAGS_NOLOGFLUSH): what a disk failing
    mid-write looks like to the processes using it. Only a new mount undoes it."""
    ext4_ioc_shutdown, no_log_flush = 0x8004587D, 2  # _IOR('X', 125, __u32)
    descriptor = os.open(mount_point, os.O_RDONLY)
    try:
        fcntl.ioctl(descriptor, ext4_ioc_shutdown, struct.pack("I", no_log_flush))
    finally:
        os.close(descriptor)


def health_status(port):
    """The status and error code (None when healthy) of GET /health."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=10) as response:
            return response.status, None
    except urllib.error.HTTPError as error:
        return error.code, json.load(error).get("error", {}).get("code")


def head(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=10) as response:
        return json.load(response)["head"]




if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--praxis", required=True)
    parser.add_argument("--mode", choices=ROUNDS.keys(), default="full")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--only", action="append", help="run this scenario only (repeatable)")
    sys.exit(Faults(parser.parse_args()).run())
