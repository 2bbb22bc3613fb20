"""Capacity: the highest throughput each page reaches with p95 under the latency bound, closed
loop with rising concurrency; the hello-world view is the yardstick; plus the peer comparison
(our account list against Django admin's changelist of the same model, same user, same page
size). Writes JSON for bench/report.py.

    python -m bench.capacity --port 8765 --pages bench/out/pages.json --out bench/out/capacity.json
"""

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

from .httpload import closed_loop, first_account_id, login
from .pages import (
    DEMO_PASSWORD,
    HELLO_PAGE_PATH,
    HELLO_PATH,
    HELLO_USER_PATH,
    PEER_ADMIN,
    PEER_OURS,
    PEER_USER,
    YARDSTICK_USER,
)

P95_BOUND_MS = 200
WARM_UP_SECONDS = 1.0


def sweep(port: int, path: str, cookie: str, levels: list[int], seconds: float) -> dict:
    """Rising concurrency until p95 passes the bound (that level is kept, the rest skipped)."""
    closed_loop(port, path, cookie, 2, WARM_UP_SECONDS)  # templates, connections, caches
    rows = []
    for level in levels:
        result = closed_loop(port, path, cookie, level, seconds)
        rows.append(asdict(result))
        print(
            f"  {path} c={level}: {result.throughput} req/s, median {result.median_ms} ms, "
            f"p95 {result.p95_ms} ms, errors {result.errors}",
            file=sys.stderr,
        )
        if result.p95_ms > P95_BOUND_MS or result.errors:
            break
    within = [r for r in rows if r["p95_ms"] <= P95_BOUND_MS and not r["errors"]]
    best = max(within, key=lambda r: r["throughput"]) if within else None
    return {"path": path, "levels": rows, "best": best}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pages", required=True, help="JSON from python -m bench.pages")
    parser.add_argument("--out", required=True)
    parser.add_argument("--levels", default="1,2,4,8,16,32")
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args(argv)
    levels = [int(n) for n in args.levels.split(",")]
    pages = json.loads(Path(args.pages).read_text())["available"]

    started = time.time()
    targets: dict[str, dict] = {}
    print("capacity: hello world", file=sys.stderr)
    targets["hello"] = {"user": "", **sweep(args.port, HELLO_PATH, "", levels, args.seconds)}
    cookie = login(args.port, YARDSTICK_USER, DEMO_PASSWORD)
    for key, path in (("hello_user", HELLO_USER_PATH), ("hello_page", HELLO_PAGE_PATH)):
        print(f"capacity: {key} as {YARDSTICK_USER}", file=sys.stderr)
        targets[key] = {
            "user": YARDSTICK_USER,
            **sweep(args.port, path, cookie, levels, args.seconds),
        }
    for page in pages:
        if not page["capacity_user"]:
            continue
        user = page["capacity_user"]
        cookie = login(args.port, user, DEMO_PASSWORD)
        account_id = first_account_id(args.port, cookie) if page["account"] else None
        path = page["template"].format(account_id=account_id)
        print(f"capacity: {page['key']} as {user}", file=sys.stderr)
        targets[page["key"]] = {
            "user": user,
            **sweep(args.port, path, cookie, levels, args.seconds),
        }

    print(f"peer: {PEER_OURS} vs {PEER_ADMIN} as {PEER_USER}", file=sys.stderr)
    cookie = login(args.port, PEER_USER, DEMO_PASSWORD)
    peer = {
        "user": PEER_USER,
        "ours": sweep(args.port, PEER_OURS, cookie, levels, args.seconds),
        "admin": sweep(args.port, PEER_ADMIN, cookie, levels, args.seconds),
    }
    result = {
        "p95_bound_ms": P95_BOUND_MS,
        "levels": levels,
        "seconds_per_level": args.seconds,
        "targets": targets,
        "peer": peer,
        "wall_seconds": round(time.time() - started, 1),
    }
    with open(args.out, "w") as out:
        json.dump(result, out, indent=2)


if __name__ == "__main__":
    main()
