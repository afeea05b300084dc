"""Merges the one-line JSON summaries of wrk runs made together against several relays: requests and errors add
up; a percentile is the worse of the runs' (wrk gives no histogram to merge, so this errs against the relays)."""
import json
import sys

runs = [json.loads(open(path).read()) for path in sys.argv[1:]]
print(json.dumps({
    "requests": sum(r["requests"] for r in runs),
    "duration_us": max(r["duration_us"] for r in runs),
    "non2xx": sum(r["non2xx"] for r in runs),
    "socket_errors": sum(r["socket_errors"] for r in runs),
    "p50_us": max(r["p50_us"] for r in runs),
    "p99_us": max(r["p99_us"] for r in runs),
    "max_us": max(r["max_us"] for r in runs),
}))
