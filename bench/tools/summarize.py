"""Turns bench/results/raw.jsonl into the Markdown table of the README's Performance section."""
import json
import statistics
import sys

raw, cores, memory, java, seconds, connections = sys.argv[1:7]
runs, e2e = {}, None
for line in open(raw):
    row = json.loads(line)
    if row.get("scenario") == "e2e":
        e2e = row
        continue
    r = row["result"]
    stats = {
        "rps": r["requests"] / (r["duration_us"] / 1e6),
        "p50": r["p50_us"] / 1000, "p99": r["p99_us"] / 1000, "max": r["max_us"] / 1000,
        "errors": r["non2xx"] + r["socket_errors"], "rss": row.get("relay_peak_rss_kb"),
        "steal": row.get("steal_pct"), "idle": row.get("idle_before_pct"),
    }
    runs.setdefault((row["scenario"], row["target"]), []).append(stats)


def cell(values, fmt):
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    return (fmt + " (" + fmt + "–" + fmt + ")") % (statistics.median(values), min(values), max(values))


names = {"relay": "relay (durable, SQLite)",
         "held": "relay, delivery held back (diagnostic: no deliveries)", "node": "Node SDK plugin",
         "node_cluster": "Node SDK plugin, cluster mode (a worker per core)", "bare": "bare Helidon floor",
         "durable": "durable floor (fsync group commit)", "relay_pg": "relay on PostgreSQL",
         "relay_pg2": "two relays sharing one PostgreSQL (load split between them)"}
order = ("relay", "held", "relay_pg", "relay_pg2", "node", "node_cluster", "bare", "durable")
print("Machine: %s cores, %s, %s; wrk -t2 -c%s, %s s per run, 3 interleaved repetitions, median (min–max)."
      " One target at a time: the other servers are frozen (SIGSTOP) during each run, which starts once the CPU is"
      " idle; the last column is the idle share measured in the second before the run.\n"
      % (cores, memory, java, connections, seconds))
for scenario in ("single", "batch", "file", "mapp_add", "mapp_create", "synced"):
    if not any(k[0] == scenario for k in runs):
        continue
    print("**%s**\n" % {"single": "Single `user_segment_update`", "batch": "`batch_update`, 100 items",
                        "file": "File form, 100 lines per request",
                        "mapp_add": "Mapp `ADD_TO_AUDIENCE`, 100 users (relay only; Mapp asks p99 < 1 s)",
                        "mapp_create": "Mapp `CREATE_AUDIENCE` (relay only; Mapp asks p99 < 3 s)",
                        "synced": "Synced segments, RudderStack preset, 10 members per request (relay only)"}[scenario])
    print("| target | requests/s | p50 ms | p99 ms | max ms | non-2xx + errors | CPU stolen % | CPU idle before % |")
    print("|---|---|---|---|---|---|---|---|")
    for target in order:
        rows = runs.get((scenario, target))
        if not rows:
            continue
        print("| %s | %s | %s | %s | %s | %d | %s | %s |" % (
            names[target], cell([r["rps"] for r in rows], "%.0f"), cell([r["p50"] for r in rows], "%.2f"),
            cell([r["p99"] for r in rows], "%.2f"), cell([r["max"] for r in rows], "%.1f"),
            sum(r["errors"] for r in rows), cell([r["steal"] for r in rows], "%.0f"),
            cell([r["idle"] for r in rows], "%.0f")))
    relay = statistics.median(r["rps"] for r in runs[(scenario, "relay")])
    if scenario.startswith("mapp") or scenario == "synced":
        print()
        continue
    ratios = []

    def median(target, key="rps"):
        return statistics.median(r[key] for r in runs[(scenario, target)])

    for target, label in (("node", "relay / Node SDK"), ("node_cluster", "relay / Node SDK in cluster mode"),
                          ("bare", "relay / bare Helidon"), ("durable", "relay / durable floor")):
        if (scenario, target) in runs:
            ratios.append("%s = **%.2f**" % (label, relay / median(target)))
    if (scenario, "durable") in runs:
        ratios.append("relay p99 / durable floor p99 = **%.2f**" % (median("relay", "p99") / median("durable", "p99")))
    if (scenario, "relay_pg") in runs:
        ratios.append("relay on PostgreSQL / relay on SQLite = **%.2f**" % (median("relay_pg") / relay))
    if (scenario, "relay_pg2") in runs and (scenario, "relay_pg") in runs:
        ratios.append("two relays / one, on PostgreSQL = **%.2f**" % (median("relay_pg2") / median("relay_pg")))
    if (scenario, "held") in runs and (scenario, "node") in runs:
        ratios.append("relay with delivery held back / Node SDK = **%.2f**" % (
            statistics.median(r["rps"] for r in runs[(scenario, "held")])
            / statistics.median(r["rps"] for r in runs[(scenario, "node")])))
    print("\nRatios of medians: " + ", ".join(ratios) + "\n")
rss = [r["rss"] for rows in runs.values() for r in rows if r.get("rss")]
if rss:
    print("Relay peak resident memory under load: %.0f MB.\n" % (max(rss) / 1024))
if e2e:
    print("End to end (file form in, file sink out, batches of 1,000): %d users delivered in %.1f s = **%d users/s**"
          " (accepting took %.1f s).\n" % (e2e["delivered"], e2e["seconds"], e2e["users_per_second"],
                                          e2e["accept_seconds"]))
