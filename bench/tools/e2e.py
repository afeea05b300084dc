"""End-to-end delivery: post users through the file form, then wait until every one is in the sink's files.

Usage: e2e.py PORT SINK_DIR USERS [WARMUP_USERS]. Two warm-up passes of WARMUP_USERS other users each (default 200,000)
run first, untimed, each waiting until its users are delivered: the JIT compiles the accept and delivery paths
as the other scenarios' two warm-up rounds let it.
Prints one JSON line: users, seconds from the first request to the last delivery, users per second.
"""
import http.client
import json
import os
import sys
import threading
import time

port, out_dir, total = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
warmup = int(sys.argv[4]) if len(sys.argv) > 4 else 200000
per_request = 1000
threads = 4


def body(first):
    lines = []
    for u in range(first, first + per_request):
        lines.append(json.dumps({
            "feed_id": str(6900 + u % 10), "segment_id": str(84200 + u % 10),
            "operation": "DELETE" if u % 5 == 0 else "UPSERT",
            "user_identifiers": [{"type": "USER_POINT", "user_point_id": "e2e-%d" % u}]}))
    return ("\n".join(lines) + "\n").encode()


def post(bodies):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for payload in bodies:
        while True:
            connection.request("POST", "/v1/user_segment_update", payload,
                               {"Content-Type": "application/x-ndjson"})
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                break
            if response.status != 429:
                raise SystemExit("e2e: unexpected status %d" % response.status)
            time.sleep(float(response.getheader("x-mics-next-msg-delay", "1000")) / 1000)


class Sink:
    """Counts delivered lines, reading only what the sink appended since the last look (cheap to poll)."""

    def __init__(self):
        self.offsets = {}
        self.count = 0

    def delivered(self):
        if os.path.isdir(out_dir):
            for name in os.listdir(out_dir):
                path = os.path.join(out_dir, name)
                with open(path, "rb") as f:
                    f.seek(self.offsets.get(path, 0))
                    data = f.read()
                # Count whole lines only; a partly written line is counted once complete.
                whole = data.rfind(b"\n") + 1
                self.count += data.count(b"\n", 0, whole)
                self.offsets[path] = self.offsets.get(path, 0) + whole
        return self.count


def run(first_user, users, sink):
    """Posts users (bodies built beforehand) and waits for them; returns (accept seconds, total seconds)."""
    baseline = sink.delivered()
    bodies = [body(first) for first in range(first_user, first_user + users, per_request)]
    workers = [threading.Thread(target=post, args=(bodies[i::threads],)) for i in range(threads)]
    began = time.monotonic()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    accepted = time.monotonic() - began
    deadline = time.monotonic() + 300
    while sink.delivered() - baseline < users and time.monotonic() < deadline:
        time.sleep(0.02)
    return accepted, time.monotonic() - began, sink.delivered() - baseline


sink = Sink()
# A fresh relay compiles its hot paths first: warm it up as the other scenarios are (two rounds), with
# other users. With one pass of 50,000 users, the compiler threads were still busy in the timed run.
for warmup_pass in range(2):
    run(10 ** 9 + warmup_pass * warmup, warmup, sink)
accepted, elapsed, delivered = run(0, total, sink)
print(json.dumps({"scenario": "e2e", "users": total, "delivered": delivered, "accept_seconds": round(accepted, 2),
                  "seconds": round(elapsed, 2), "users_per_second": round(delivered / elapsed)}))
