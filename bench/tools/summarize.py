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
        "steal": row.get("steal_pct"),
    }
    runs.setdefault((row["scenario"], row["target"]), []).append(stats)


def cell(values, fmt):
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    return (fmt + " (" + fmt + "–" + fmt + ")") % (statistics.median(values), min(values), max(values))


names = {"relay": "relay (durable, SQLite)",
         "held": "relay, delivery held back (diagnostic: no deliveries)", "node": "Node SDK plugin", "bare": "bare Helidon floor",
         "durable": "durable floor (fsync group commit)"}
print("Machine: %s cores, %s, %s; wrk -t2 -c%s, %s s per run, 3 interleaved repetitions, median (min–max).\n"
      % (cores, memory, java, connections, seconds))
for scenario in ("single", "batch", "file", "mapp_add", "mapp_create", "synced"):
    if not any(k[0] == scenario for k in runs):
        continue
    print("**%s**\n" % {"single": "Single `user_segment_update`", "batch": "`batch_update`, 100 items",
                        "file": "File form, 100 lines per request",
                        "mapp_add": "Mapp `ADD_TO_AUDIENCE`, 100 users (relay only; Mapp asks p99 < 1 s)",
                        "mapp_create": "Mapp `CREATE_AUDIENCE` (relay only; Mapp asks p99 < 3 s)",
                        "synced": "Synced segments, RudderStack preset, 10 members per request (relay only)"}[scenario])
    print("| target | requests/s | p50 ms | p99 ms | max ms | non-2xx + errors | CPU stolen % |")
    print("|---|---|---|---|---|---|---|")
    for target in ("relay", "held", "node", "bare", "durable"):
        rows = runs.get((scenario, target))
        if not rows:
            continue
        print("| %s | %s | %s | %s | %s | %d | %s |" % (
            names[target], cell([r["rps"] for r in rows], "%.0f"), cell([r["p50"] for r in rows], "%.2f"),
            cell([r["p99"] for r in rows], "%.2f"), cell([r["max"] for r in rows], "%.1f"),
            sum(r["errors"] for r in rows), cell([r["steal"] for r in rows], "%.0f")))
    relay = statistics.median(r["rps"] for r in runs[(scenario, "relay")])
    if scenario.startswith("mapp") or scenario == "synced":
        print()
        continue
    ratios = []
    for target, label in (("node", "relay / Node SDK"), ("bare", "relay / bare Helidon"),
                          ("durable", "relay / durable floor")):
        if (scenario, target) in runs:
            ratios.append("%s = **%.2f**" % (label, relay / statistics.median(r["rps"] for r in runs[(scenario, target)])))
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
