#!/usr/bin/env python3
"""Write RELIABILITY.md's figures from what the tests measured (`reliability-figures.json`).

Every test of the reliability suite records its figures in `reliability-figures.json` in pytest's base
temp directory. Each figure cell of RELIABILITY.md stands between `<!-- figures:NAME -->` and
`<!-- /figures -->`; this script writes every such cell from the file, and the file is copied to
docs/reliability-figures.json, so that the table and its source stay side by side:

    python scripts/reliability_figures.py /tmp/pytest-of-$USER/pytest-N/reliability-figures.json
    python scripts/reliability_figures.py --check                 # exit 1 if a cell is not the file's figures
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any, Callable, Dict

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "RELIABILITY.md"
KEPT = ROOT / "docs" / "reliability-figures.json"
CELL = re.compile(r"<!-- figures:(\w+) -->(.*?)<!-- /figures -->")


def _n(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _span(values) -> str:
    values = sorted(values)
    return _n(values[0]) if values[0] == values[-1] else f"{_n(values[0])}–{_n(values[-1])}"


def faults_mixed(data: Dict[str, Any]) -> str:
    reads = data["faults_mixed"]["reads"]
    parts = []
    for read in reads:
        modes = ", ".join(f"`{mode}` {count}" for mode, count in read["faults_per_mode"].items())
        missing = sum(read["missing_per_stream"].values())
        parts.append(
            f"fault seed {read['fault_seed']}: {_n(read['data_calls'])} data calls, {read['faults_total']} faults: {modes} "
            f"(of {read['continuation_calls']} continuation calls); the regular modes failed {read['regular_fault_share'] * 100:.1f}% "
            f"of the calls; {_n(read['records_faulty'])} records = the clean read's {_n(read['records_clean'])}, {missing} missing "
            f"in the {len(read['missing_per_stream'])} streams, {read['duplicate_keys']} duplicate keys, {read['slice_restarts']} "
            f"slice restarts; read {read['read_seconds']} s")
    return f"{len(reads)} read{'s' if len(reads) > 1 else ''} ({'; '.join(parts)})"


def faults_expired_continuation(data: Dict[str, Any]) -> str:
    f = data["faults_expired_continuation"]
    return (f"1 thread (deterministic draws): {f['empty_continuation_pages']} empty pages in {f['punch_calls']} punch calls, "
            f"{f['slice_restarts_logged']} restarts logged; {_n(f['records'])} records = the clean read's {_n(f['records_clean'])}")


def permanent_403(data: Dict[str, Any]) -> str:
    f = data["permanent_403"]
    return f"{f['forbidden_calls']} calls answered 403, {f['retries_of_403']} retried, {f['warnings']} warnings naming the Data Access item"


def permanent_404(data: Dict[str, Any]) -> str:
    f = data["permanent_404"]
    return f"{f['stale_employee_calls']} call for the stale id, {f['skipped_with_warning']} warning"


def interruption(data: Dict[str, Any]) -> str:
    f = data["interruption"]
    kills = f["kills"]
    return (f"{f['kill_points']} kill points ({', '.join('after ' + kill['kill_after'] for kill in kills)}); clean read "
            f"{_n(f['clean_records'])} records, {f['clean_state_messages']} states; resumed from "
            f"{_span(kill['states_resumed_from'] for kill in kills)} states; {sum(kill['never_delivered'] for kill in kills)} records "
            f"never delivered, {f['problems']} problems (broken state promises, window gaps); "
            f"{_span(kill['redelivered'] for kill in kills)} records delivered twice per kill (at-least-once)")


def state_ordering(data: Dict[str, Any]) -> str:
    f = data["state_ordering"]
    return f"{f['state_messages']} states, {f['states_ahead_of_their_records']} ahead of their records"


def rotation(data: Dict[str, Any]) -> str:
    f = data["rotation"]
    mid = ", ".join(f"{count} {kind}" for kind, count in sorted(f["syncs_refreshing_mid_sync"].items()))
    return (f"{f['syncs_chained']} syncs chained ({f['wide_syncs_8_threads']} with 8 threads), {f['checks_between']} checks and "
            f"{f['discovers_between']} discovers between, {f['configs_handed_back']} configs handed back, "
            f"{f['refresh_tokens_presented']} refresh tokens presented, {f['duplicate_presentations']} twice; "
            f"{f['mid_sync_revocations']} revocations of every access token mid-sync; syncs refreshing mid-sync: {mid}")


def refused_refresh(data: Dict[str, Any]) -> str:
    return f"{data['rotation']['token_calls_for_the_refused_token']} token call for the refused token"


def short_token_lifetime(data: Dict[str, Any]) -> str:
    f = data["short_token_lifetime"]
    per_sync = "; ".join(f"{tokens} token call(s) for {calls} data calls" for tokens, calls in f["token_calls_and_data_calls_per_sync"])
    return f"{f['access_token_ttl_seconds']} s tokens: {per_sync}"


def bad_config(data: Dict[str, Any]) -> str:
    f = data["bad_input"]
    return (f"{f['generated_configs']} generated configs over {f['spec_fields_covered']} spec fields; `check` "
            f"refused {f['check_runs_refused']} by name and forgave {f['check_runs_forgiven']}; {f['discover_runs']} `discover` + "
            f"{f['read_runs']} `read` runs")


def bad_files(data: Dict[str, Any]) -> str:
    f = data["bad_input"]
    return f"{f['bad_catalogs']} catalogs, {f['bad_states']} states"


def hypothesis(data: Dict[str, Any]) -> str:
    f = data["bad_input"]
    return f"{f['hypothesis_any_json_examples']} + {f['hypothesis_naming_examples']} examples"


def secrets(data: Dict[str, Any]) -> str:
    f, debug, failing = data["secrets"], data["secrets_debug_runs"], data["secrets_token_failures"]
    return (f"{f['runs_checked']} runs checked, {f['secrets_watched']} secrets watched (summed over tests), "
            f"{_n(f['secret_checks'])} run × secret checks, **secrets found: {f['secrets_found']}**; the {debug['runs']} `--debug` runs "
            f"printed {debug['debug_lines']} DEBUG lines with {debug['faults_injected']} faults injected; {failing['runs']} runs against "
            f"failing token endpoints")


def transport_slow_call(data: Dict[str, Any]) -> str:
    f = data["transport_slow_call"]
    return (f"{f['slow_calls']} data call slow {f['slow_seconds']} s against a {f['timeout_seconds']} s timeout, retried, "
            f"read done in {f['read_seconds']} s")


RENDER: Dict[str, Callable[[Dict[str, Any]], str]] = {
    render.__name__: render for render in (
        faults_mixed, faults_expired_continuation, permanent_403, permanent_404, interruption, state_ordering, rotation,
        refused_refresh, short_token_lifetime, bad_config, bad_files, hypothesis, secrets, transport_slow_call)
}


def rendered(text: str, data: Dict[str, Any]) -> str:
    """The document with every figure cell written from `data`."""
    def cell(match: re.Match) -> str:
        name = match.group(1)
        if name not in RENDER:
            raise SystemExit(f"RELIABILITY.md names figures `{name}`, which this script does not know")
        try:
            figures = RENDER[name](data)
        except KeyError as missing:
            figures = f"not measured in this run (no figure {missing})"
        return f"<!-- figures:{name} -->{figures}<!-- /figures -->"

    return CELL.sub(cell, text)


def main(argv) -> int:
    check = "--check" in argv
    paths = [arg for arg in argv if not arg.startswith("--")]
    source = Path(paths[0]) if paths else KEPT
    data = json.loads(source.read_text())
    text = DOCUMENT.read_text()
    names = CELL.findall(text)
    if not names:
        print("RELIABILITY.md holds no figure cells", file=sys.stderr)
        return 1
    new = rendered(text, data)
    if check:
        if new != text:
            print(f"RELIABILITY.md's figures are not those of {source}: run scripts/reliability_figures.py {source}", file=sys.stderr)
            return 1
        return 0
    DOCUMENT.write_text(new)
    if source.resolve() != KEPT.resolve():
        shutil.copyfile(source, KEPT)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
