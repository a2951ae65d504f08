#!/usr/bin/env python
"""CPU per record of two commits, measured in one run (prints numbers; not a test).

    .venv/bin/python bench/record_costs_ab.py --before 40af97d [--rounds 3] [--employees 2000]

Checks the `--before` commit out into a temporary worktree, then runs `bench/record_costs.py` of that
commit and of this working tree alternately, `--rounds` times each (so both see the same machine
load), and prints per stream the best µs per record of the whole `parse_response` (JSON + keys/types/
sensitive fields + ids) and of the sum with the CDK's record→stdout line, and the after ÷ before ratio.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARSE = ("parse_response (json+normalize+ids)", "parse_response (json+shape+ids)")


def run(tree: Path, employees: int) -> dict:
    out = subprocess.run([sys.executable, str(tree / "bench" / "record_costs.py"), "--employees", str(employees)],
                         capture_output=True, text=True, check=True, cwd=tree).stdout
    return json.loads(out.strip().splitlines()[-1])


def parse_cost(figures: dict) -> float:
    costs = figures["us_per_record"]
    return next(costs[key] for key in PARSE if key in costs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", required=True, help="the commit to compare with (e.g. the last one before a change)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--employees", type=int, default=2000)
    args = ap.parse_args()
    after_commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "source_paycor"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    with tempfile.TemporaryDirectory() as scratch:
        before_tree = Path(scratch) / "before"
        subprocess.run(["git", "worktree", "add", "--detach", str(before_tree), args.before], check=True, capture_output=True, cwd=ROOT)
        try:
            results = {"before": [], "after": []}
            for _ in range(args.rounds):
                results["before"].append(run(before_tree, args.employees))
                results["after"].append(run(ROOT, args.employees))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before_tree)], capture_output=True, cwd=ROOT)
    print(f"before {args.before}, after {after_commit}{' + uncommitted changes' if dirty else ''}; {args.rounds} alternating rounds, "
          f"{args.employees} employees; best µs per record")
    print(f"  {'stream':<26}{'parse before':>14}{'parse after':>13}{'ratio':>8}{'total before':>14}{'total after':>13}{'ratio':>8}")
    for name in results["before"][0]:
        parse = {side: min(parse_cost(r[name]) for r in runs) for side, runs in results.items()}
        total = {side: min(r[name]["sum_us"] for r in runs) for side, runs in results.items()}
        print(f"  {name:<26}{parse['before']:>14.1f}{parse['after']:>13.1f}{parse['after'] / parse['before']:>8.3f}"
              f"{total['before']:>14.1f}{total['after']:>13.1f}{total['after'] / total['before']:>8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
