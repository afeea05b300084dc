"""End-to-end delivery: post users through the file form, then wait until every one is in the sink's files.

Prints one JSON line: users, seconds from the first request to the last delivery, users per second.
"""
import http.client
import json
import os
import sys
import threading
import time

port, out_dir, total = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
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


def post(starts):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for first in starts:
        while True:
            connection.request("POST", "/v1/user_segment_update", body(first),
                               {"Content-Type": "application/x-ndjson"})
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                break
            if response.status != 429:
                raise SystemExit("e2e: unexpected status %d" % response.status)
            time.sleep(float(response.getheader("x-mics-next-msg-delay", "1000")) / 1000)


def delivered():
    count = 0
    if os.path.isdir(out_dir):
        for name in os.listdir(out_dir):
            with open(os.path.join(out_dir, name), "rb") as f:
                count += sum(1 for _ in f)
    return count


starts = list(range(0, total, per_request))
workers = [threading.Thread(target=post, args=(starts[i::threads],)) for i in range(threads)]
began = time.monotonic()
for w in workers:
    w.start()
for w in workers:
    w.join()
accepted = time.monotonic() - began
deadline = time.monotonic() + 300
while delivered() < total and time.monotonic() < deadline:
    time.sleep(0.05)
elapsed = time.monotonic() - began
print(json.dumps({"scenario": "e2e", "users": total, "delivered": delivered(), "accept_seconds": round(accepted, 2),
                  "seconds": round(elapsed, 2), "users_per_second": round(delivered() / elapsed)}))
