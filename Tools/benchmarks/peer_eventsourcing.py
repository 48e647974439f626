"""The peer for Tools/bench: the Python `eventsourcing` library (PyPI) on SQLite, appending and
replaying the same number of events with the same payload as `praxis bench append`.

    python Tools/benchmarks/peer_eventsourcing.py append DB EVENTS BATCH   -> {"events", "seconds", "events_per_second"}
    python Tools/benchmarks/peer_eventsourcing.py replay DB                -> {"events", "seconds", "events_per_second"}

Append: one aggregate per batch, BATCH events saved in one transaction (eventsourcing's unit of
atomic append), WAL journal as the library sets it, SQLite's default synchronous=FULL. Replay:
every stored event in log order through the application's notification log, each turned back
into a domain event (decode included), as `praxis bench read` does.
"""

import json
import os
import sys
import time

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event


class Thread(Aggregate):
    @event("Started")
    def __init__(self, n: int, text: str) -> None:
        self.count = 1

    @event("Noted")
    def note(self, n: int, text: str) -> None:
        self.count += 1


def application(path: str) -> Application:
    os.environ["PERSISTENCE_MODULE"] = "eventsourcing.sqlite"
    os.environ["SQLITE_DBNAME"] = path
    return Application()


def append(path: str, events: int, batch: int) -> dict:
    app = application(path)
    text = "a short payload like a comment"
    started = time.perf_counter()
    written = 0
    while written < events:
        thread = Thread(n=0, text=text)
        for index in range(1, batch):
            thread.note(n=index, text=text)
        app.save(thread)
        written += batch
    seconds = time.perf_counter() - started
    return {"events": written, "seconds": round(seconds, 3), "events_per_second": round(written / seconds)}


def replay(path: str) -> dict:
    app = application(path)
    started = time.perf_counter()
    count = 0
    start = 1
    while True:
        page = app.recorder.select_notifications(start=start, limit=1000)
        if not page:
            break
        for notification in page:
            app.mapper.to_domain_event(notification)
            count += 1
        start = page[-1].id + 1
    seconds = time.perf_counter() - started
    return {"events": count, "seconds": round(seconds, 3), "events_per_second": round(count / seconds)}


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "append":
        result = append(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif len(sys.argv) == 3 and sys.argv[1] == "replay":
        result = replay(sys.argv[2])
    else:
        sys.exit(__doc__)
    print(json.dumps(result))
