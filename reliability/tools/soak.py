#!/usr/bin/env python3
"""Several relays on one PostgreSQL server, under load, killed at random: is every accepted update delivered?

Started by reliability/soak-postgres, which finds the JDK, the jar and PostgreSQL. This script:
  1. starts a PostgreSQL server of its own (initdb in a temporary directory, loopback only);
  2. queues a backlog of changes straight into the relays' table (as a deep queue left by an outage);
  3. starts N relay jars on that database, each delivering to one webhook destination served here;
  4. sends user_segment_update requests round-robin for a while, SIGKILLs a random relay every few seconds and
     restarts it;
     and restarts PostgreSQL itself a few times (--pg-restarts) while the load goes on;
  5. waits for the queue to drain, then checks that every change answered OK (and every backlog change) reached
     the webhook: lost must be 0; duplicates (at least once) are counted. It also watches pg_stat_activity: no
     claim statement may run past its bound.
Every wait is bounded. Exit code 0 only when nothing was lost, the queue drained and no claim ran too long.
"""
import argparse
import http.client
import http.server
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from relay_process import Relay

FEED, SEGMENT, DATAMART = "9001", "700", "1509"


def log(message):
    print(f"soak {time.strftime('%H:%M:%S')}: {message}", flush=True)


class Postgres:
    """A throw-away server: initdb as the postgres user (the server refuses root), loopback, its own port."""

    def __init__(self, bindir, port, workdir):
        self.bindir, self.port = bindir, port
        self.data = os.path.join(workdir, "pgdata")
        self.as_user = []
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            os.makedirs(self.data)
            shutil.chown(workdir, "postgres")
            shutil.chown(self.data, "postgres")

    def run(self, *command, **kwargs):
        return subprocess.run(self.as_user + list(command), check=True, capture_output=True, text=True, **kwargs)

    def start(self):
        self.run(os.path.join(self.bindir, "initdb"), "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8")
        with open(os.path.join(self.data, "postgresql.conf"), "a") as conf:
            conf.write(f"port = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.data}'\n"
                       "max_connections = 100\nshared_buffers = 256MB\n")
        self.run(os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-l", os.path.join(self.data, "server.log"),
                 "-w", "-t", "60", "start")
        self.sql("CREATE DATABASE relay")

    def sql(self, query, database="postgres"):
        return subprocess.run([os.path.join(self.bindir, "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
                               "postgres", "-d", database, "-At", "-v", "ON_ERROR_STOP=1", "-c", query],
                              check=True, capture_output=True, text=True, timeout=120).stdout.strip()

    def stop(self):
        subprocess.run(self.as_user + [os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-m", "immediate", "stop"],
                       capture_output=True)

    def restart(self, down_seconds):
        """Stops the server as a crash would (no checkpoint, every connection cut), keeps it down, starts it."""
        pg_ctl = os.path.join(self.bindir, "pg_ctl")
        self.run(pg_ctl, "-D", self.data, "-m", "immediate", "-w", "stop")
        time.sleep(down_seconds)
        self.run(pg_ctl, "-D", self.data, "-l", os.path.join(self.data, "server.log"), "-w", "-t", "120", "start")


class Webhook(http.server.ThreadingHTTPServer):
    """The destination: records every user it is sent, one line per change, in arrival order."""

    daemon_threads = True

    def __init__(self, port, path):
        self.out = open(path, "w")
        self.lock = threading.Lock()
        self.changes = 0
        super().__init__(("127.0.0.1", port), WebhookHandler)

    def handle_error(self, request, client_address):
        # A relay killed mid-call resets its connection: expected here, not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class WebhookHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        lines = []
        for operation in body["operations"]:
            for identifier in operation["identifiers"]:
                if identifier["type"] == "USER_POINT":
                    lines.append(f"{operation['op']} {identifier['value']}\n")
        with self.server.lock:
            self.server.out.writelines(lines)
            self.server.out.flush()
            self.server.changes += len(lines)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def relay_config(pg_port, hook_port):
    return f"""storage:
  data_dir: @DIR@/data
  postgresql:
    url: jdbc:postgresql://127.0.0.1:{pg_port}/relay
    user: postgres
    pool_size: 8
queue:
  max_depth_per_destination: 5000000
delivery:
  max_batch_size: 1000
  linger_ms: 200
  lease_seconds: 20
destinations:
  hook:
    type: webhook
    url: http://127.0.0.1:{hook_port}/audiences/{{audience}}
"""


def queue_backlog(pg, count):
    """A deep queue, as an outage leaves it: rows in the relays' own format, due now."""
    now = int(time.time() * 1000)
    pg.sql(f"""INSERT INTO delivery_queue (destination, feed_id, segment_id, datamart_id, operation, identifiers,
               observed_at, enqueued_at, attempts, next_attempt_at)
               SELECT 'hook', '{FEED}', '{SEGMENT}', '{DATAMART}', 'add', '[["P","soak-b-' || n || '"]]',
                      {now}, {now}, 0, {now} FROM generate_series(0, {count - 1}) AS n""", "relay")
    pg.sql("ANALYZE delivery_queue", "relay")


def send_load(relays, seconds, threads, accepted_path):
    """Unique users, round-robin over the relays that are up; an update counts only when answered 200."""
    stop_at = time.monotonic() + seconds
    accepted = open(accepted_path, "w")
    lock = threading.Lock()
    counters = {"ok": 0, "refused": 0, "failed": 0, "5xx": 0}
    slowest = [0.0]

    def sender(worker):
        n = 0
        connection, relay = None, None
        while time.monotonic() < stop_at:
            if connection is None:
                up = [r for r in relays if r.alive()]
                if not up:
                    time.sleep(0.05)
                    continue
                relay = random.choice(up)
                connection = http.client.HTTPConnection("127.0.0.1", relay.port, timeout=10)
            user = f"soak-l-{worker}-{n}"
            n += 1
            body = json.dumps({"feed_id": FEED, "session_id": "1", "datamart_id": DATAMART, "segment_id": SEGMENT,
                               "operation": "UPSERT", "ts": int(time.time() * 1000),
                               "user_identifiers": [{"type": "USER_POINT", "user_point_id": user}]})
            sent = time.monotonic()
            try:
                connection.request("POST", "/v1/user_segment_update", body, {"Content-Type": "application/json"})
                response = connection.getresponse()
                response.read()
                with lock:
                    slowest[0] = max(slowest[0], time.monotonic() - sent)
                outcome = "ok" if response.status == 200 else "5xx" if response.status >= 500 else "refused"
            except (OSError, http.client.HTTPException):
                outcome = "failed"
                connection.close()
                connection = None
            with lock:
                counters[outcome] += 1
                if outcome == "ok":
                    accepted.write(user + "\n")

    workers = [threading.Thread(target=sender, args=(w,), daemon=True) for w in range(threads)]
    for worker in workers:
        worker.start()
    return workers, accepted, counters, slowest


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--java", required=True)
    parser.add_argument("--jvm-options", default="")
    parser.add_argument("--jar", required=True)
    parser.add_argument("--pg-bin", required=True)
    parser.add_argument("--relays", type=int, default=3)
    parser.add_argument("--backlog", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=120, help="how long load and kills go on")
    parser.add_argument("--threads", type=int, default=8, help="concurrent senders")
    parser.add_argument("--kill-every", type=float, nargs=2, default=[3.0, 8.0], metavar=("MIN", "MAX"))
    parser.add_argument("--drain-limit", type=int, default=900, help="seconds the queue may take to drain")
    parser.add_argument("--pg-restarts", type=int, default=2, help="times PostgreSQL is stopped and started under load")
    parser.add_argument("--pg-down-seconds", type=float, default=5.0, help="how long each PostgreSQL stop lasts")
    parser.add_argument("--claim-bound", type=float, default=6.0, help="seconds a claim statement may run")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="relay-soak-")
    pg = Postgres(args.pg_bin, 15432 + random.randint(0, 500), workdir)
    hook = None
    relays = []
    try:
        log(f"starting PostgreSQL in {workdir}")
        pg.start()
        hook = Webhook(18190, os.path.join(workdir, "delivered.txt"))
        threading.Thread(target=hook.serve_forever, daemon=True).start()
        relays = [Relay(f"relay-{i}", args.java, args.jvm_options.split(), args.jar, workdir, 18180 + i,
                        relay_config(pg.port, 18190), env={"MALLOC_ARENA_MAX": "2"})
                  for i in range(args.relays)]
        relays[0].start()
        relays[0].wait_ready()  # the first one migrates the schema
        relays[0].kill()
        log(f"queueing a backlog of {args.backlog:,} changes")
        started = time.monotonic()
        queue_backlog(pg, args.backlog)
        log(f"backlog queued in {time.monotonic() - started:.1f} s; starting {args.relays} relays")
        for relay in relays:
            relay.start()
        for relay in relays:
            relay.wait_ready()

        longest_claim = [0.0]
        watching = threading.Event()

        def watch_claims():
            while not watching.is_set():
                try:
                    seconds = float(pg.sql("SELECT coalesce(max(extract(epoch FROM now() - query_start)), 0)"
                                           " FROM pg_stat_activity WHERE state = 'active'"
                                           " AND query LIKE '%SKIP LOCKED%' AND query NOT LIKE '%pg_stat_activity%'"))
                    longest_claim[0] = max(longest_claim[0], seconds)
                except (subprocess.SubprocessError, ValueError):
                    pass
                watching.wait(0.5)

        threading.Thread(target=watch_claims, daemon=True).start()

        log(f"load for {args.seconds} s over {args.relays} relays, SIGKILL every {args.kill_every[0]}-"
            f"{args.kill_every[1]} s")
        load_started = time.monotonic()
        workers, accepted, counters, slowest = send_load(relays, args.seconds, args.threads,
                                                os.path.join(workdir, "accepted.txt"))
        # PostgreSQL restarts take turns with the kills, spread over the load: a relay is never started while
        # the database is away (its start would stop on the storage error, as it should; a supervisor retries).
        restart_at = [args.seconds * (i + 1) / (args.pg_restarts + 1) for i in range(args.pg_restarts)]
        kills, pg_restarts, exited = 0, [], {}
        while time.monotonic() - load_started < args.seconds:
            time.sleep(random.uniform(*args.kill_every))
            elapsed = time.monotonic() - load_started
            if elapsed >= args.seconds:
                break
            exited.update((r.name, r.exited_by_itself()) for r in relays if r.exited_by_itself() is not None)
            if restart_at and elapsed >= restart_at[0]:
                restart_at.pop(0)
                before = dict(counters)
                pg.restart(args.pg_down_seconds)
                pg_restarts.append({key: counters[key] - before[key] for key in counters})
                log(f"PostgreSQL stopped {args.pg_down_seconds:g} s and started again; answers meanwhile: "
                    f"{pg_restarts[-1]}")
                continue
            victim = random.choice(relays)
            victim.kill()
            kills += 1
            time.sleep(random.uniform(0.2, 1.5))
            victim.start()
            victim.wait_ready()
        exited.update((r.name, r.exited_by_itself()) for r in relays if r.exited_by_itself() is not None)
        for worker in workers:
            worker.join(30)
        accepted.close()
        log(f"load done: {counters['ok']:,} accepted, {counters['refused']:,} refused (retry), "
            f"{counters['failed']:,} failed in flight (killed relay), {counters['5xx']:,} 5xx, {kills} SIGKILLs, "
            f"{len(pg_restarts)} PostgreSQL restarts")

        drain_started = time.monotonic()
        depth = None
        while time.monotonic() - drain_started < args.drain_limit:
            depth = int(pg.sql("SELECT count(*) FROM delivery_queue", "relay"))
            if depth == 0:
                break
            time.sleep(1)
        drained = depth == 0
        drain_seconds = time.monotonic() - drain_started
        watching.set()
        dead = int(pg.sql("SELECT count(*) FROM dead_letter", "relay"))

        with hook.lock:
            hook.out.flush()
        delivered = {}
        with open(os.path.join(workdir, "delivered.txt")) as lines:
            for line in lines:
                user = line.split(" ", 1)[1].rstrip("\n")
                delivered[user] = delivered.get(user, 0) + 1
        with open(os.path.join(workdir, "accepted.txt")) as lines:
            expected = [line.rstrip("\n") for line in lines]
        expected.extend(f"soak-b-{n}" for n in range(args.backlog))
        lost = [user for user in expected if user not in delivered]
        # Stored by a relay killed before its answer reached the sender: delivered, never confirmed.
        unconfirmed = len(set(delivered) - set(expected))
        duplicates = sum(count - 1 for count in delivered.values())
        figures = {"relays": args.relays, "backlog": args.backlog, "load_seconds": args.seconds,
                   "accepted": counters["ok"], "refused": counters["refused"], "failed_in_flight": counters["failed"],
                   "answered_5xx": counters["5xx"], "slowest_answer_seconds": round(slowest[0], 2), "sigkills": kills, "pg_restarts": len(pg_restarts),
                   "answers_during_pg_restarts": pg_restarts, "relays_exited_by_themselves": len(exited),
                   "expected": len(expected), "delivered_distinct": len(delivered),
                   "lost": len(lost), "duplicates": duplicates, "delivered_unconfirmed": unconfirmed, "dead_letters": dead, "drained": drained,
                   "drain_seconds_after_load": round(drain_seconds, 1),
                   "longest_claim_seconds": round(longest_claim[0], 2), "claim_bound_seconds": args.claim_bound}
        print(json.dumps(figures), flush=True)
        failures = []
        if lost:
            failures.append(f"{len(lost)} accepted changes never reached the destination, e.g. {lost[:5]}")
        if not drained:
            failures.append(f"the queue still held {depth} changes after {args.drain_limit} s")
        if dead:
            failures.append(f"{dead} changes were dead-lettered")
        if counters["5xx"]:
            failures.append(f"{counters['5xx']} updates were answered 5xx")
        if exited:
            failures.append(f"relays stopped by themselves (name: exit code): {exited}")
        if longest_claim[0] > args.claim_bound:
            failures.append(f"a claim ran {longest_claim[0]:.1f} s, past the bound of {args.claim_bound} s")
        for failure in failures:
            log("FAILED: " + failure)
        if failures:
            args.keep = True
            return 1
        log("passed: nothing lost, the queue drained, every claim within its bound")
        return 0
    finally:
        for relay in relays:
            relay.stop(grace_seconds=20)
        if hook:
            hook.shutdown()
        pg.stop()
        if args.keep:
            log(f"work directory kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
