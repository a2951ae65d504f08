#!/usr/bin/env python
"""bench/RESULTS.md's figure sections, each written by the script that measured it, from its JSON.

A measuring script calls `publish(name, data)`: the figures (with `provenance()`: the commit, whether the tree was dirty,
the date) go to `bench/results/<name>.json`, and the section between `<!-- results:<name> -->` and
`<!-- /results:<name> -->` of RESULTS.md is (re)written by `RENDER[name](data)` — the same text the script printed.
`unit_tests/test_bench_results.py` re-renders every section from its JSON and compares it with the committed file
(as RELIABILITY.md's figures are checked against docs/reliability-figures.json).

    python bench/results.py            # re-render every section from its JSON
    python bench/results.py --check    # exit 1 if a section is not its JSON's rendering
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DOCUMENT = BENCH / "RESULTS.md"
JSON_DIR = BENCH / "results"
SECTION = re.compile(r"<!-- results:(\w+) -->\n.*?<!-- /results:\1 -->", re.DOTALL)
FULL_SCALE_EMPLOYEES = 10_000  # the figures are taken at this size; smaller runs are validation runs


def provenance() -> Dict[str, Any]:
    """What was measured: the commit checked out, whether tracked files differed from it (and which; the bench's own
    outputs, RESULTS.md and bench/results/, are not code and do not count), the date."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.rstrip("\n") if done.returncode == 0 else ""

    # porcelain lines are "XY path": two status letters (either may be a space), a space, the path
    outputs = ("bench/RESULTS.md", "bench/results/")
    changed = [line[3:] for line in git("status", "--porcelain", "--untracked-files=no").splitlines()
               if line.strip() and not line[3:].startswith(outputs)]
    return {
        "commit": git("rev-parse", "HEAD").strip() or "unknown",
        "dirty": bool(changed),
        "dirty_paths": changed[:20],
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"nproc": os.cpu_count(), "python": sys.version.split()[0]},
    }


def command_line(script: str, argv: Optional[List[str]]) -> str:
    args = sys.argv[1:] if argv is None else list(argv)
    return " ".join([".venv/bin/python", f"bench/{script}", *args])


def figures(name: str, argv: Optional[List[str]], provenance: Dict[str, Any], **measured: Any) -> Dict[str, Any]:
    """The JSON of `bench/<name>.py`: what ran (the script, its command line, `provenance` taken before it measured)
    and what it `measured`."""
    return {"name": name, "script": f"bench/{name}.py", "command": command_line(f"{name}.py", argv), "provenance": provenance,
            **measured}


def header(data: Dict[str, Any], title: str, what: str) -> List[str]:
    """The section's first lines: title, provenance, scale, the command, and what the figures are."""
    p = data["provenance"]
    state = f"tree dirty: {', '.join(p['dirty_paths'])}" if p["dirty"] else "clean tree"
    lines = [
        f"## {title}",
        "",
        f"Written by `{data['script']}` on {p['date']}, code of commit {p['commit'][:12]} ({state}); "
        f"machine nproc {p['machine']['nproc']}, Python {p['machine']['python']}. JSON: `bench/results/{data['name']}.json`.",
    ]
    employees = data.get("company", {}).get("employees")
    if employees is not None and employees < FULL_SCALE_EMPLOYEES:
        lines += ["", f"**Small validation run** ({employees:,} employees): it checks the script, not the issue's figures, "
                      f"which are taken at {FULL_SCALE_EMPLOYEES:,}."]
    lines += ["", what, "", "```sh", data["command"], "```", ""]
    return lines


def section_text(data: Dict[str, Any], title: str, what: str, text: str, code_block: bool = True) -> str:
    """A section: its `header`, then the figures as the script printed them (`text`; in a code block unless it is
    Markdown already)."""
    return "\n".join([*header(data, title, what), *(["```", text, "```"] if code_block else [text])])


# ----------------------------------------------------------------------------------------------- renderers
def _ratio(calls: int, minimum: int) -> str:
    if minimum == 0:
        return "—" if calls == 0 else "∞"
    return f"{calls / minimum:.2f}"


def _company(data: Dict[str, Any]) -> str:
    """The company measured (as `bench/_company.py`'s `company_facts` records it) and the day."""
    c = data["company"]
    return (f"{c['employees']:,} employees (terminated_history {c['terminated_history']}), {c['legal_entities']} legal entities, "
            f"{c['tenants']} tenants, seed {c['seed']}, today {data['today']}")


def honest_minimum_text(data: Dict[str, Any]) -> str:
    """The figures of `bench/honest_minimum.py`: per sync, connector calls ÷ minimum per family and per stream."""
    out = [f"source-paycor calls ÷ honest minimum — {_company(data)}; minimum: zero lookback, "
           f"terminated_grace_days {data['grace_days']}"]
    family = data["families"]
    for sync in data["syncs"]:
        runs, minimum = sync["runs"], sync["minimum"]
        out += ["", f"## {sync['title']}"]
        for run in runs:
            out.append(f"  {run['label']}: exit {run['exit']}, {sum(run['calls'].values()):,} calls, "
                       f"{sum(run['records'].values()):,} records")
        names = list(minimum) + sorted({name for run in runs for name in run["calls"]} - set(minimum))
        labels = [run["short"] for run in runs]
        fam_min: Dict[str, int] = {}
        fam_calls: List[Dict[str, int]] = [{} for _ in runs]
        for name in names:
            fam = family.get(name, "other")
            fam_min[fam] = fam_min.get(fam, 0) + minimum.get(name, 0)
            for index, run in enumerate(runs):
                fam_calls[index][fam] = fam_calls[index].get(fam, 0) + run["calls"].get(name, 0)
        head = f"{'family':<13}" + "".join(f"{'calls ' + label:>18}" for label in labels) + f"{'minimum':>10}"
        head += "".join(f"{'÷ ' + label:>14}" for label in labels)
        out += ["", head]
        order = sorted(fam_min.keys() | fam_calls[0].keys(), key=lambda f: (-fam_calls[0].get(f, 0), f))
        for fam in [*order, "TOTAL"]:
            made = [sum(calls.values()) if fam == "TOTAL" else calls.get(fam, 0) for calls in fam_calls]
            need = sum(fam_min.values()) if fam == "TOTAL" else fam_min.get(fam, 0)
            out.append(f"{fam:<13}" + "".join(f"{m:>18,}" for m in made) + f"{need:>10,}"
                       + "".join(f"{_ratio(m, need):>14}" for m in made))
        head = f"{'stream':<38}{'family':<13}{'records':>10}" + "".join(f"{'calls ' + label:>18}" for label in labels)
        head += f"{'minimum':>10}" + "".join(f"{'÷ ' + label:>14}" for label in labels)
        out += ["", head]
        for name in sorted(names, key=lambda n: (family.get(n, "other"), n)):
            made = [run["calls"].get(name, 0) for run in runs]
            need = minimum.get(name, 0)
            if any(made) or need:
                out.append(f"{name:<38}{family.get(name, 'other'):<13}{runs[0]['records'].get(name, 0):>10,}"
                           + "".join(f"{m:>18,}" for m in made) + f"{need:>10,}" + "".join(f"{_ratio(m, need):>14}" for m in made))
    if data.get("minimum_errors"):
        out += ["", "requests of the minimum answered with an error (1 call each): "
                + ", ".join(f"{key} ×{n}" for key, n in sorted(data["minimum_errors"].items()))]
    return "\n".join(out)


def honest_minimum(data: Dict[str, Any]) -> str:
    what = (
        "Calls of `source-paycor read` (every stream; incremental where the connector supports it) counted in the "
        "sandbox's call log, against the fewest calls a client that knows the company needs for the same job: routes, "
        "page sizes, window limits and bulk routes from `bench/paycor_rules.py` (each quoting Paycor's documented rule), "
        "the sandbox's company as the ground truth of what exists, zero lookback, per-employee date windows only within "
        "employment (hire → termination + grace), and in an incremental sync no per-employee call for an employee "
        "terminated more than the grace days before the previous sync. The incremental sync is run twice from the same "
        "state: with the default `lookback_window_days` (30) and with 0 — the difference is the lookback's cost, what "
        "is left over the minimum with 0 is the connector's own. The assumptions: the script's docstring."
    )
    return section_text(data, "Calls ÷ honest minimum (`bench/honest_minimum.py`)", what, honest_minimum_text(data))


def resume_text(data: Dict[str, Any]) -> str:
    out = [
        f"source-paycor killed and resumed — {_company(data)}; killed at {data['kill_fraction'] * 100:.0f} % of the clean "
        f"read's calls; streams: {', '.join(data['streams'])}",
        "",
        f"{'sync mode':<14}{'clean calls':>12}{'killed':>11}{'retried':>10}{'killed+retried':>16}{'÷ clean':>9}"
        f"{'states':>8}{'clean records':>15}{'missing':>9}{'changed':>9}{'twice':>8}",
    ]
    for case in data["cases"]:
        total = case["killed_calls"] + case["retried_calls"]
        out.append(
            f"{case['mode']:<14}{case['clean_calls']:>12,}{case['killed_calls']:>11,}{case['retried_calls']:>10,}{total:>16,}"
            f"{_ratio(total, case['clean_calls']):>9}{case['states_resumed_from']:>8}{case['clean_records']:>15,}"
            f"{case['missing']:>9,}{case['changed']:>9,}{case['delivered_twice']:>8,}")
    for case in data["cases"]:
        other = sorted(name for name, used in case["sync_modes"].items() if used != case["mode"])
        if other:
            out.append(f"  {case['mode']}: read in {'full_refresh' if case['mode'] == 'incremental' else 'incremental'} "
                       f"(the connector offers no {case['mode']} for them): {', '.join(other)}")
    for case in data["cases"]:
        if case["missing"] or case["changed"] or case["exits"] != [-9, 0] or case["clean_exit"] != 0:
            out.append(f"  {case['mode']}: clean exit {case['clean_exit']}, killed/retried exits {case['exits']}; "
                       f"missing per stream {case['missing_per_stream']}; changed per stream {case['changed_per_stream']}")
    return "\n".join(out)


def resume(data: Dict[str, Any]) -> str:
    what = (
        "A first sync of the per-employee streams (no state) is read cleanly, then read again and killed (SIGKILL) when "
        "the sandbox's call log reaches the given share of the clean read's calls, then retried with the last STATE "
        "message of each stream it printed, as the platform retries an attempt. Killed + retried calls ÷ the clean "
        "read's calls; every record of the clean read (primary key and content) must be delivered by the killed or the "
        "retried read: \"missing\" are keys never delivered, \"changed\" keys delivered only with other content, "
        "\"twice\" records delivered by both."
    )
    return section_text(data, "A killed first sync, resumed from its states (`bench/resume.py`)", what, resume_text(data))


def benchmark(data: Dict[str, Any]) -> str:
    sys.path.insert(0, str(BENCH))
    from benchmark import report_text  # the script's own report (bench/benchmark.py --report)

    what = ("Wall time against the rate-limit bound: `bench/benchmark.py`'s report of the run (its docstring says what "
            "each metric is); \"calls made ÷ R\" is the least wall time the calls made need at the scaled limit R.")
    return section_text(data, "Wall time against the rate-limit bound (`bench/benchmark.py`)", what, report_text(data).rstrip("\n"))


def report_costs(data: Dict[str, Any]) -> str:
    sys.path.insert(0, str(BENCH))
    from report_costs import render  # the script's own table

    what = ("A Report Builder report with one row per employee (pay fields) against the per-employee stream that reads "
            "the same fields: calls per sync, and CPU per record (µs, one thread) against `employees`' per record.")
    return section_text(data, "Report Builder reports against per-employee reads (`bench/report_costs.py`)", what, render(data),
                        code_block=False)


RENDER: Dict[str, Callable[[Dict[str, Any]], str]] = {
    "report_costs": report_costs,
    "honest_minimum": honest_minimum,
    "resume": resume,
    "benchmark": benchmark,
}


# ----------------------------------------------------------------------------------------------- the document
def section(name: str, data: Dict[str, Any]) -> str:
    return f"<!-- results:{name} -->\n{RENDER[name](data)}\n<!-- /results:{name} -->"


def rendered(text: str, load: Callable[[str], Dict[str, Any]]) -> str:
    """The document with every section rewritten from `load(name)`."""
    return SECTION.sub(lambda match: section(match.group(1), load(match.group(1))), text)


def load_json(name: str) -> Dict[str, Any]:
    path = JSON_DIR / f"{name}.json"
    if not path.exists():
        raise SystemExit(f"RESULTS.md has a section `{name}` but {path} does not exist")
    return json.loads(path.read_text())


def add_results_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-results", action="store_true", help="print only; do not write bench/results/ and RESULTS.md")


def print_and_publish(data: Dict[str, Any], text: Callable[[Dict[str, Any]], str], write: bool) -> None:
    """Print the figures as their section shows them (`text` of the JSON as it is read back) and, when `write`,
    `publish` them (said on stderr)."""
    print(text(json.loads(json.dumps(data))))
    if write:
        print(f"[results] {publish(data['name'], data)} and bench/RESULTS.md", file=sys.stderr, flush=True)


def publish(name: str, data: Dict[str, Any]) -> Path:
    """Write `data` to bench/results/<name>.json and its section of RESULTS.md (appended if the file has none)."""
    if name not in RENDER:
        raise ValueError(f"no renderer for {name}")
    JSON_DIR.mkdir(exist_ok=True)
    path = JSON_DIR / f"{name}.json"
    path.write_text(json.dumps(data, indent=1, sort_keys=True, default=str) + "\n")
    data = json.loads(path.read_text())  # render what was written, exactly as the check will read it
    text = DOCUMENT.read_text() if DOCUMENT.exists() else "# Benchmark results\n"
    if f"<!-- results:{name} -->" in text:
        text = SECTION.sub(lambda match: section(name, data) if match.group(1) == name else match.group(0), text)
    else:
        text = text.rstrip("\n") + "\n\n" + section(name, data) + "\n"
    DOCUMENT.write_text(text)
    return path


def main(argv: List[str]) -> int:
    text = DOCUMENT.read_text()
    names = [match.group(1) for match in SECTION.finditer(text)]
    new = rendered(text, load_json)
    if "--check" in argv:
        if new != text:
            print(f"bench/RESULTS.md's sections {names} are not their JSON's rendering: run python bench/results.py",
                  file=sys.stderr)
            return 1
        return 0
    DOCUMENT.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
