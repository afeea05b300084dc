#!/usr/bin/env python3
"""The fault suite: the relay jar as a separate process, a fake partner and a fake gateway on loopback, steady load,
and the faults an operator meets. Prints figures (one JSON line, then a table) and exits non-zero when a bound is not
met. Run it through reliability/fault-suite (docs/RELIABILITY.md).

Phases, under steady load throughout:
  kills    SIGKILL the relay at random moments, restart it at once
  storm    the partner answers bursts of 503, 429 with Retry-After, resets connections, answers slowly, then is down
  gateway  a second relay in gateway mode while its gateway is down, then slow, then back
  storage  another process holds an exclusive lock on the SQLite database for a while; then the data directory (a
           small filesystem of its own, when the suite may mount one) is filled up for a while and freed again, and
           turns read-only (a filesystem error), after which the relay is stopped, the filesystem checked and the
           relay started again
then the partner recovers, the load stops, and every accepted update must arrive.
"""
import argparse
import atexit
import errno
import http.client
import http.server
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

from relay_process import Relay

FEED, SEGMENT, DATAMART = "6921", "84213", "1509"
SECRETS = ["fault-suite-webhook-secret-7f3a", "fault-suite-admin-token-91c2e"]
FLIP_USERS = 40


class Partner(http.server.ThreadingHTTPServer):
    """The webhook destination, with a fault mode; records what it accepted and any Retry-After broken."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port, state):
        self.state = state
        super().__init__(("127.0.0.1", port), PartnerHandler)

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, OSError)):
            super().handle_error(request, client_address)


class PartnerState:
    def __init__(self):
        self.lock = threading.Lock()
        self.mode = "ok"
        self.down = False              # also refuse calls on connections opened before the outage
        self.not_before = 0.0          # set by a 429: no call may arrive before it
        self.last_429 = 0.0
        self.retry_after_violations = 0
        self.received = {}             # "add u" -> times accepted (200)
        self.flip_last = {}            # flip user -> last op accepted, in arrival order
        self.answers = {}              # status -> count
        self.calls = 0


class PartnerHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        state = self.server.state
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        now = time.monotonic()
        with state.lock:
            state.calls += 1
            # A call sent before the relay read the 429 may still land just after it: 250 ms of grace.
            if state.last_429 + 0.25 < now < state.not_before:
                state.retry_after_violations += 1
            mode = state.mode
        if mode == "reset" or state.down:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.close()
            self.close_connection = True
            return
        if mode == "slow":
            time.sleep(3)
        status = {"ok": 200, "slow": 200, "5xx": 503, "429": 429}[mode]
        if status == 200:
            doc = json.loads(body)
            with state.lock:
                for operation in doc["operations"]:
                    for identifier in operation["identifiers"]:
                        if identifier["type"] != "USER_POINT":
                            continue
                        user = identifier["value"]
                        if user.startswith("flip-"):
                            state.flip_last[user] = operation["op"]
                        else:
                            key = operation["op"] + " " + user
                            state.received[key] = state.received.get(key, 0) + 1
        with state.lock:
            state.answers[status] = state.answers.get(status, 0) + 1
            if status == 429:
                state.last_429 = time.monotonic()
                state.not_before = state.last_429 + 2.0
        self.send_response(status)
        if status == 429:
            self.send_header("Retry-After", "2")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class PartnerSwitch:
    """Starts and stops the partner's listener: down means connections are refused."""

    def __init__(self, port, state):
        self.port, self.state, self.server = port, state, None

    def up(self):
        self.state.down = False
        if self.server is None:
            self.server = Partner(self.port, self.state)
            threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self):
        self.state.down = True
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


class Gateway(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port):
        self.mode = "ok"
        self.reads = 0
        super().__init__(("127.0.0.1", port), GatewayHandler)


class GatewayHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.server.reads += 1
        if self.server.mode == "down":
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.server.mode == "slow":
            time.sleep(2)
        if self.path.endswith("/properties"):
            body = {"status": "ok", "data": [{"technical_name": "destination", "property_type": "STRING",
                                              "value": {"value": "hook"}}], "count": 1}
        else:
            body = {"status": "ok", "data": {"id": FEED, "organisation_id": "1185"}}
        raw = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args):
        pass


class DataDisk:
    """The relay's data directory on a filesystem of its own, so that the suite can fill it up or turn it read-only.
    An ext4 image on a loop device mounted with errors=remount-ro when the machine allows (a filesystem error then
    turns it read-only under the relay's open files, as a failing disk does); a tmpfs otherwise (full only). Needs
    root (mount)."""

    def __init__(self, path, megabytes, workdir):
        self.path, self.filler = path, os.path.join(path, "filler")
        self.image = os.path.join(workdir, "data.ext4")
        os.makedirs(path, exist_ok=True)
        self.kind, self.why_not, self.device = None, "", None
        with open(self.image, "wb") as f:
            f.truncate(megabytes << 20)
        steps = [["mkfs.ext4", "-q", "-F", self.image],
                 ["mount", "-o", "loop,errors=remount-ro", self.image, path]]
        if all(subprocess.run(step, capture_output=True).returncode == 0 for step in steps):
            self.kind = "ext4"
            self.device = subprocess.run(["findmnt", "-n", "-o", "SOURCE", path], capture_output=True,
                                         text=True).stdout.strip()
            return
        os.remove(self.image)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", path],
                              capture_output=True, text=True)
        if done.returncode == 0:
            self.kind = "tmpfs"
            self.why_not = "a read-only turn needs an ext4 filesystem on a loop device, which this machine refused"
        else:
            self.why_not = done.stderr.strip() or "mount failed"

    def keep_full(self, seconds):
        """Writes zeros until the filesystem refuses, and again whenever space comes back (the relay deletes
        journal segments it has moved into the database), so every write in it fails with ENOSPC meanwhile."""
        deadline = time.monotonic() + seconds
        with open(self.filler, "wb", buffering=0) as f:
            while time.monotonic() < deadline:
                size = 1 << 20
                while size:
                    try:
                        f.write(bytes(size))
                    except OSError as e:
                        if e.errno != errno.ENOSPC:
                            raise
                        size //= 4
                time.sleep(0.02)

    def free(self):
        os.remove(self.filler)

    def turn_read_only(self):
        """A filesystem error, as the kernel meets on a failing disk: ext4 remounts itself read-only at once."""
        name = os.path.basename(self.device)
        with open(f"/sys/fs/ext4/{name}/trigger_fs_error", "w") as f:
            f.write("fault suite: the data directory turns read-only\n")

    def repair(self):
        """What an operator does once the relay is stopped: unmount, check the filesystem, mount it again."""
        subprocess.run(["umount", self.path], check=True, capture_output=True)
        subprocess.run(["e2fsck", "-fy", self.image], capture_output=True)  # exit 1: errors corrected
        subprocess.run(["mount", "-o", "loop,errors=remount-ro", self.image, self.path], check=True,
                       capture_output=True)
        self.device = subprocess.run(["findmnt", "-n", "-o", "SOURCE", self.path], capture_output=True,
                                     text=True).stdout.strip()

    def unmount(self):
        if self.kind:
            subprocess.run(["umount", "-l", self.path], capture_output=True)
            self.kind = None


def update(user, op):
    return json.dumps({"feed_id": FEED, "session_id": "1", "datamart_id": DATAMART, "segment_id": SEGMENT,
                       "operation": op, "ts": int(time.time() * 1000),
                       "user_identifiers": [{"type": "USER_POINT", "user_point_id": user}]})


class Load:
    """Unique users (for loss and duplicates) and flip users (alternating membership, for the final state)."""

    def __init__(self, relay, rate):
        self.relay, self.rate = relay, rate
        self.lock = threading.Lock()
        self.accepted = set()           # "add u" accepted with 200
        self.flip_expected = {}         # flip user -> last op accepted
        self.answers = {}
        self.stop_flag = False
        self.threads = []

    def count(self, status):
        with self.lock:
            self.answers[status] = self.answers.get(status, 0) + 1

    def post(self, connection, body):
        connection.request("POST", "/v1/user_segment_update", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        return response.status

    def unique(self, worker):
        n, connection = 0, None
        while not self.stop_flag:
            time.sleep(1.0 / self.rate)
            user = f"u-{worker}-{n}"
            n += 1
            try:
                connection = connection or http.client.HTTPConnection("127.0.0.1", self.relay.port, timeout=10)
                status = self.post(connection, update(user, "UPSERT"))
            except OSError:
                connection = None
                self.count("refused")
                continue
            self.count(status)
            if status == 200:
                with self.lock:
                    self.accepted.add("add " + user)

    def flips(self):
        # One thread: each flip user's changes are sent one after the other, so acceptance order is known.
        ops = {f"flip-{i}": "DELETE" for i in range(FLIP_USERS)}
        connection = None
        while not self.stop_flag:
            time.sleep(2.0 / self.rate)
            user = random.choice(list(ops))
            op = "UPSERT" if ops[user] == "DELETE" else "DELETE"
            try:
                connection = connection or http.client.HTTPConnection("127.0.0.1", self.relay.port, timeout=10)
                status = self.post(connection, update(user, op))
            except OSError:
                connection = None
                continue
            if status == 200:
                ops[user] = op
                with self.lock:
                    self.flip_expected[user] = "add" if op == "UPSERT" else "remove"

    def start(self):
        self.threads = [threading.Thread(target=self.unique, args=(w,), daemon=True) for w in range(2)]
        self.threads.append(threading.Thread(target=self.flips, daemon=True))
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stop_flag = True
        for thread in self.threads:
            thread.join(15)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--java", required=True)
    parser.add_argument("--jvm-options", default="")
    parser.add_argument("--jar", required=True)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--rate", type=float, default=100, help="unique updates per second per sender (2 senders)")
    parser.add_argument("--down-seconds", type=int, default=120)
    parser.add_argument("--drain-limit", type=int, default=240)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--read-only-stop", choices=["term", "kill"], default="term",
                        help="how the relay is stopped on the read-only disk: SIGTERM (SIGKILL after 30 s) or SIGKILL")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="relay-faults-")
    partner_port, gateway_port, relay_port, gw_relay_port = 18290, 18291, 18280, 18282
    figures = {}
    state = PartnerState()
    partner = PartnerSwitch(partner_port, state)
    partner.up()
    gateway = Gateway(gateway_port)
    threading.Thread(target=gateway.serve_forever, daemon=True).start()
    jvm = args.jvm_options.split()
    config = f"""
server: {{host: 127.0.0.1}}
storage: {{data_dir: '@DIR@/data'}}
admin: {{token: {SECRETS[1]}}}
queue: {{max_depth_per_destination: 10000, busy_retry_after_ms: 500}}
delivery: {{linger_ms: 50, base_backoff_ms: 200, max_backoff_seconds: 3, max_attempts: 1000000, concurrency: 2}}
destinations:
  hook: {{type: webhook, url: 'http://127.0.0.1:{partner_port}/audiences/{{audience}}', secret: {SECRETS[0]}}}
"""
    relay = Relay("relay", args.java, jvm, args.jar, workdir, relay_port, config)
    disk = DataDisk(os.path.join(relay.dir, "data"), 512, workdir) if os.geteuid() == 0 else None
    if disk is not None:
        atexit.register(disk.unmount)  # also when a bound stops the suite half-way
    relay.start()
    relay.wait_ready()
    load = Load(relay, args.rate)
    load.start()
    started = time.monotonic()
    rss = []

    def sample_rss():
        while not load.stop_flag:
            if relay.alive():
                rss.append(relay.rss_mib())
            time.sleep(1)

    threading.Thread(target=sample_rss, daemon=True).start()

    # 1. SIGKILLs at random moments under load.
    recoveries = []
    for _ in range(args.kills):
        time.sleep(random.uniform(1.0, 4.0))
        relay.kill()
        relay.start()
        recoveries.append(relay.wait_ready())
    figures["kills"] = args.kills
    figures["recovery_seconds_max"] = round(max(recoveries), 2) if recoveries else 0
    figures["recovery_seconds_median"] = round(sorted(recoveries)[len(recoveries) // 2], 2) if recoveries else 0
    print(f"faults: {args.kills} SIGKILLs done, recovery max {figures['recovery_seconds_max']} s", flush=True)

    # 2. The partner's storm, then the partner down.
    for mode in ["5xx", "ok", "429", "ok", "reset", "ok", "slow", "5xx", "429", "reset", "ok"]:
        state.mode = mode
        time.sleep(4)
    state.mode = "ok"
    partner.down()
    time.sleep(args.down_seconds)
    partner.up()
    print(f"faults: partner storm and {args.down_seconds} s down done", flush=True)

    # 3. The gateway down, then slow, then back, seen by a relay in gateway mode.
    gw_relay = Relay("gateway-relay", args.java, jvm, args.jar, workdir, gw_relay_port,
                     config.replace("admin: {token", "admin: {enabled: false, token"),
                     env={"GATEWAY_HOST": "127.0.0.1", "GATEWAY_PORT": str(gateway_port),
                          "PLUGIN_WORKER_ID": "w", "PLUGIN_AUTHENTICATION_TOKEN": "gateway-token-secret"})
    gw_relay.start()
    gw_relay.wait_ready()
    gateway.mode = "down"
    down_answers = {}
    for i in range(20):
        connection = http.client.HTTPConnection("127.0.0.1", gw_relay_port, timeout=30)
        connection.request("POST", "/v1/user_segment_update", update(f"gw-down-{i}", "UPSERT"),
                           {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        key = f"{response.status}{' +delay' if response.getheader('x-mics-next-msg-delay') else ''}"
        down_answers[key] = down_answers.get(key, 0) + 1
    # Back: the failed reads were not cached, so the next update reads the gateway and is taken.
    gateway.mode = "ok"
    reads_before = gateway.reads
    recovered_at = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", gw_relay_port, timeout=30)
    connection.request("POST", "/v1/user_segment_update", update("gw-back", "UPSERT"), {"Content-Type": "application/json"})
    back = connection.getresponse()
    back.read()
    back_seconds = time.monotonic() - recovered_at
    failures_cached = gateway.reads == reads_before
    # Slow: another feed, not in the cache, answered after 2 s.
    gateway.mode = "slow"
    connection = http.client.HTTPConnection("127.0.0.1", gw_relay_port, timeout=30)
    connection.request("POST", "/v1/user_segment_update",
                       update("gw-slow", "UPSERT").replace(f'"feed_id": "{FEED}"', '"feed_id": "6922"'),
                       {"Content-Type": "application/json"})
    slow = connection.getresponse()
    slow.read()
    gateway.mode = "ok"
    figures["gateway_down_answers"] = down_answers
    figures["gateway_slow_answer"] = slow.status
    figures["gateway_back_answer"] = back.status
    figures["gateway_back_seconds"] = round(back_seconds, 2)
    figures["gateway_failures_cached"] = failures_cached
    gw_relay.stop()
    print(f"faults: gateway down -> {down_answers}, slow -> {slow.status}, back -> {back.status}", flush=True)

    # 4. The SQLite database locked by another process for a while.
    db = sqlite3.connect(os.path.join(relay.dir, "data", "relay.db"), timeout=30, isolation_level=None)
    before = dict(load.answers)
    db.execute("BEGIN EXCLUSIVE")
    time.sleep(8)
    db.execute("COMMIT")
    db.close()
    during = {k: load.answers.get(k, 0) - before.get(k, 0) for k in load.answers}
    figures["storage_locked_8s_answers"] = {str(k): v for k, v in during.items() if v}
    print(f"faults: database locked 8 s -> answers {figures['storage_locked_8s_answers']}", flush=True)

    # 5. The data directory full for a while, then freed: retries meanwhile, and accepting again after.
    if disk is not None and disk.kind:
        before = dict(load.answers)
        disk.keep_full(8)
        during = {k: load.answers.get(k, 0) - before.get(k, 0) for k in load.answers}
        disk.free()
        freed = dict(load.answers)
        time.sleep(5)
        after = {k: load.answers.get(k, 0) - freed.get(k, 0) for k in load.answers}
        figures["disk_full_8s_answers"] = {str(k): v for k, v in during.items() if v}
        figures["disk_freed_5s_answers"] = {str(k): v for k, v in after.items() if v}
        print(f"faults: data directory full 8 s -> answers {figures['disk_full_8s_answers']}, "
              f"freed -> {figures['disk_freed_5s_answers']}", flush=True)
    else:
        figures["disk_full_8s_answers"] = "skipped: " + (disk.why_not if disk else "mounting a filesystem needs root")
        print(f"faults: SKIPPED the full data directory ({figures['disk_full_8s_answers']})", flush=True)

    # 6. The data directory turned read-only under the relay's open files (a filesystem error): retries meanwhile;
    # then what an operator does (stop the relay, check and remount the filesystem, start it) loses nothing.
    if disk is not None and disk.kind == "ext4":
        before = dict(load.answers)
        disk.turn_read_only()
        time.sleep(5)
        during = {k: load.answers.get(k, 0) - before.get(k, 0) for k in load.answers}
        figures["read_only_5s_answers"] = {str(k): v for k, v in during.items() if v}
        stopping = time.monotonic()
        relay.kill() if args.read_only_stop == "kill" else relay.stop()
        code = relay.process.returncode
        figures["read_only_stop"] = (f"exit {code}" if code >= 0 else "SIGKILL after 30 s") + \
            f" in {time.monotonic() - stopping:.1f} s"
        disk.repair()
        relay.start()
        figures["read_only_restart_seconds"] = round(relay.wait_ready(), 2)
        print(f"faults: data directory read-only 5 s -> answers {figures['read_only_5s_answers']}; stopped: "
              f"{figures['read_only_stop']}, filesystem checked and mounted again, relay back in "
              f"{figures['read_only_restart_seconds']} s", flush=True)
    else:
        figures["read_only_5s_answers"] = "skipped: " + (disk.why_not if disk else "mounting a filesystem needs root")
        print(f"faults: SKIPPED the read-only data directory ({figures['read_only_5s_answers']})", flush=True)

    # 7. Recovery: stop the load, every accepted update must arrive.
    load.stop()
    deadline = time.monotonic() + args.drain_limit
    while time.monotonic() < deadline:
        with state.lock:
            missing = [key for key in load.accepted if key not in state.received]
            flips_wrong = [u for u, op in load.flip_expected.items() if state.flip_last.get(u) != op]
        if not missing and not flips_wrong:
            break
        time.sleep(1)
    with state.lock:
        missing = [key for key in load.accepted if key not in state.received]
        duplicates = sum(count - 1 for key, count in state.received.items() if key in load.accepted and count > 1)
        flips_wrong = [u for u, op in load.flip_expected.items() if state.flip_last.get(u) != op]
        figures.update({
            "accepted": len(load.accepted),
            "lost": len(missing),
            "lost_examples": sorted(missing)[:10],
            "duplicates_delivered": duplicates,
            "flip_users": len(load.flip_expected),
            "final_membership_wrong": len(flips_wrong),
            "retry_after_violations": state.retry_after_violations,
            "partner_answers": {str(k): v for k, v in sorted(state.answers.items())},
        })
    figures["load_answers"] = {str(k): v for k, v in sorted(load.answers.items(), key=lambda kv: str(kv[0]))}
    figures["relay_rss_mib_max"] = max(rss) if rss else 0
    relay.stop()
    if disk is not None:
        disk.unmount()
    leaked = 0
    for name in ["relay", "gateway-relay"]:
        with open(os.path.join(workdir, name, "relay.log"), errors="replace") as f:
            text = f.read()
        leaked += sum(text.count(secret) for secret in SECRETS + ["gateway-token-secret"])
    figures["secrets_in_logs"] = leaked
    figures["seconds"] = round(time.monotonic() - started)
    print(json.dumps(figures))
    five_xx = sum(v for k, v in load.answers.items() if isinstance(k, int) and k >= 500)
    failures = []
    if figures["lost"]:
        failures.append(f"{figures['lost']} accepted updates lost")
    if figures["final_membership_wrong"]:
        failures.append(f"{figures['final_membership_wrong']} users end with the wrong membership")
    if figures["retry_after_violations"]:
        failures.append(f"Retry-After broken {figures['retry_after_violations']} times")
    if leaked:
        failures.append(f"{leaked} secrets in the logs")
    if five_xx:
        failures.append(f"{five_xx} answers were 5xx")
    if any(not k.startswith("429 +delay") for k in down_answers):
        failures.append(f"a gateway down was not answered the protocol's retry: {down_answers}")
    if isinstance(figures["disk_full_8s_answers"], dict) and not figures["disk_freed_5s_answers"].get("200"):
        failures.append(f"the relay took no update in the 5 s after the disk was freed: {figures['disk_freed_5s_answers']}")
    if figures["gateway_back_answer"] != 200 or figures["gateway_failures_cached"]:
        failures.append("the relay did not recover when the gateway came back")
    if failures:
        args.keep = True  # the relay's log and data say what went wrong
    if not args.keep:
        import shutil
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"faults: kept {workdir}")
    if failures:
        print("faults: FAILED: " + "; ".join(failures))
        sys.exit(1)
    print("faults: every bound met")


if __name__ == "__main__":
    main()
