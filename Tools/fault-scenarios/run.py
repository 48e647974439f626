"""The fault scenarios of Tools/faults: each tries a fault many times and checks that what must
hold held. One record per scenario: {name, tried, held, detail}. See RELIABILITY.md.
"""

import argparse
import base64
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from serving import free_port, wait_for  # noqa: E402

ROUNDS = {"quick": 10, "full": 100}
STORMS = {"quick": {"rounds": 3, "devices": 4, "batches": 15}, "full": {"rounds": 10, "devices": 16, "batches": 40}}
FUZZ_ITERATIONS = {"quick": 3000, "full": 100000}


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
        self.praxis("demo", "--data", data, "--members", "40", "--communities", "4", "--days", "10")
        communities = json.loads(self.praxis("communities", "list", "--json", "--data", data).stdout)
        community = next(c for c in communities if c["visibility"] == "open" and not c.get("archived"))
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

    def check_audit(self, data):
        audit = self.praxis("audit", "verify", "--data", data, check=False)
        if audit.returncode != 0:
            raise Failure(f"audit verify failed: {(audit.stdout + audit.stderr).strip()[-300:]}")

    def check_digests(self, data):
        caught_up = json.loads(self.praxis("projections", "digest", "--json", "--data", data).stdout)
        rebuilt_folder = os.path.join(self.work, "rebuilt")
        shutil.rmtree(rebuilt_folder, ignore_errors=True)
        os.makedirs(rebuilt_folder)
        for name in os.listdir(data):
            if name.startswith("log.sqlite") or name in ("server.key", "operator.token"):
                shutil.copy(os.path.join(data, name), rebuilt_folder)
        rebuilt = json.loads(self.praxis("projections", "digest", "--json", "--data", rebuilt_folder).stdout)
        def by_name(digests):
            return {d["name"]: (d["position"], d["sha256"]) for d in digests}
        if by_name(caught_up) != by_name(rebuilt):
            differing = [n for n in by_name(rebuilt) if by_name(caught_up).get(n) != by_name(rebuilt)[n]]
            raise Failure(f"read models after the crash differ from a full rebuild: {', '.join(differing)}")

    # --- retry storm ---------------------------------------------------------------------------

    def storm(self):
        """Devices resend every batch 1-3 times, losing answers; nothing doubles and all converge."""
        settings = STORMS[self.args.mode]
        data = os.path.join(self.work, "storm")
        self.praxis("demo", "--data", data, "--members", "30", "--communities", "3", "--days", "5")
        communities = json.loads(self.praxis("communities", "list", "--json", "--data", data).stdout)
        community = next(c for c in communities if c["visibility"] == "open" and not c.get("archived"))
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

    def run(self):
        try:
            scenarios = {"decoder_fuzzing": self.fuzz, "retry_storm": self.storm, "crash_sigkill_during_pushes": self.crash}
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
