"""bench/RESULTS.md's figure sections are their scripts' rendering of bench/results/<name>.json (issue 18, item 4).

No sandbox run: the committed JSONs are re-rendered and compared with the committed document, and the renderers and
`publish` are checked on small hand-made figures whose expected text is stated here.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import results  # noqa: E402


def test_given_the_committed_results_then_every_section_is_its_jsons_rendering():
    text = results.DOCUMENT.read_text()
    names = [match.group(1) for match in results.SECTION.finditer(text)]
    assert names, "bench/RESULTS.md holds no section written by a script"
    assert set(names) <= set(results.RENDER)
    assert results.rendered(text, results.load_json) == text
    # No figures outside the sections: whatever is not between markers holds no code block (no hand-written output).
    assert "```" not in results.SECTION.sub("", text)


def test_given_every_committed_json_then_it_has_its_section_and_says_what_was_measured_and_when():
    text = results.DOCUMENT.read_text()
    for path in sorted(results.JSON_DIR.glob("*.json")):
        data = json.loads(path.read_text())
        assert f"<!-- results:{path.stem} -->" in text, path.name
        assert data["name"] == path.stem
        assert len(data["provenance"]["commit"]) == 40 and isinstance(data["provenance"]["dirty"], bool)
        assert data["provenance"]["date"][:2] == "20" and data["command"].startswith(".venv/bin/python bench/")


PROVENANCE = {"commit": "0123456789abcdef0123456789abcdef01234567", "dirty": False, "dirty_paths": [],
              "date": "2026-12-04T12:00:00+00:00", "machine": {"nproc": 2, "python": "3.11.7"}}
COMPANY = {"employees": 10000, "terminated_history": 1.2, "legal_entities": 3, "tenants": 2, "seed": 7}


def minimum_figures() -> dict:
    """Two streams of the employee family, one of people, and the token: the ratios below are computed by hand."""
    return {
        "name": "honest_minimum", "script": "bench/honest_minimum.py", "command": ".venv/bin/python bench/honest_minimum.py",
        "provenance": PROVENANCE, "company": COMPANY, "today": "2026-12-04", "grace_days": 90,
        "families": {"employee_hours": "employee", "employee_pay_rates": "employee", "employees": "people", "(token)": "overhead"},
        "minimum_errors": {},
        "syncs": [{
            "key": "incremental", "title": "(b) daily incremental sync",
            "minimum": {"(token)": 1, "employees": 2, "employee_pay_rates": 100, "employee_hours": 100},
            "runs": [
                {"label": "lookback 30", "short": "lookback 30", "exit": 0, "records": {"employee_hours": 7},
                 "calls": {"(token)": 1, "employees": 2, "employee_pay_rates": 300, "employee_hours": 600}},
                {"label": "lookback 0", "short": "lookback 0", "exit": 0, "records": {"employee_hours": 5},
                 "calls": {"(token)": 1, "employees": 2, "employee_pay_rates": 300, "employee_hours": 300}},
            ],
        }],
    }


def test_given_minimum_figures_then_family_and_stream_ratios_are_calls_over_minimum_for_each_run():
    lines = results.honest_minimum_text(minimum_figures()).splitlines()
    family = {line.split()[0]: line.split()[1:] for line in lines if line.split() and line.split()[0] in ("employee", "TOTAL")}
    # employee: (300 + 600) / 200 = 4.50 with the lookback, (300 + 300) / 200 = 3.00 without; TOTAL 903/203, 603/203
    assert family["employee"] == ["900", "600", "200", "4.50", "3.00"]
    assert family["TOTAL"] == ["903", "603", "203", "4.45", "2.97"]
    hours = next(line.split() for line in lines if line.startswith("employee_hours"))
    assert hours == ["employee_hours", "employee", "7", "600", "300", "100", "6.00", "3.00"]


def test_given_a_run_smaller_than_the_issues_scale_then_its_section_says_it_is_a_validation_run():
    small = minimum_figures()
    small["company"] = dict(COMPANY, employees=300)
    assert "Small validation run** (300 employees)" in results.honest_minimum(small)
    assert "Small validation run" not in results.honest_minimum(minimum_figures())
    dirty = copy.deepcopy(minimum_figures())
    dirty["provenance"].update(dirty=True, dirty_paths=["bench/resume.py"])
    assert "code of commit 0123456789ab (tree dirty: bench/resume.py)" in results.honest_minimum(dirty)
    assert "code of commit 0123456789ab (clean tree)" in results.honest_minimum(minimum_figures())


def test_given_resume_figures_then_killed_plus_retried_over_clean_and_the_records_check_are_shown():
    data = {
        "name": "resume", "script": "bench/resume.py", "command": ".venv/bin/python bench/resume.py", "provenance": PROVENANCE,
        "company": COMPANY, "today": "2026-12-04", "streams": ["employee_pay_rates"], "kill_fraction": 0.6,
        "cases": [{"mode": "full_refresh", "sync_modes": {}, "clean_calls": 1000, "clean_exit": 0, "kill_at_calls": 600,
                   "killed_calls": 603, "retried_calls": 1007, "exits": [-9, 0], "states_resumed_from": 1,
                   "clean_records": 2500, "missing": 0, "missing_per_stream": {}, "changed": 0, "changed_per_stream": {},
                   "delivered_twice": 1490}],
    }
    row = next(line.split() for line in results.resume_text(data).splitlines() if line.startswith("full_refresh"))
    assert row == ["full_refresh", "1,000", "603", "1,007", "1,610", "1.61", "1", "2,500", "0", "0", "1,490"]
    case = data["cases"][0]
    case.update(mode="incremental", sync_modes={"employee_pay_rates": "full_refresh"}, missing=2,
                missing_per_stream={"employee_pay_rates": 2})
    text = results.resume_text(data)
    assert "  incremental: read in full_refresh (the connector offers no incremental for them): employee_pay_rates" in text
    assert "missing per stream {'employee_pay_rates': 2}" in text


def test_given_publish_then_the_json_is_written_and_only_that_section_is_rewritten(tmp_path, monkeypatch):
    document = tmp_path / "RESULTS.md"
    document.write_text("# Benchmark results\n\nprose kept\n\n<!-- results:resume -->\nold resume\n<!-- /results:resume -->\n\ntail kept\n")
    monkeypatch.setattr(results, "DOCUMENT", document)
    monkeypatch.setattr(results, "JSON_DIR", tmp_path / "results")
    first = minimum_figures()
    results.publish("honest_minimum", first)
    text = document.read_text()
    assert text.startswith("# Benchmark results\n\nprose kept\n\n<!-- results:resume -->\nold resume\n<!-- /results:resume -->\n\ntail kept\n")
    assert text.endswith("<!-- /results:honest_minimum -->\n")
    assert json.loads((tmp_path / "results" / "honest_minimum.json").read_text()) == first
    second = minimum_figures()
    second["syncs"][0]["runs"][1]["calls"]["employee_hours"] = 100
    results.publish("honest_minimum", second)
    again = document.read_text()
    assert again.count("<!-- results:honest_minimum -->") == 1 and "old resume" in again and "tail kept" in again
    assert results.section("honest_minimum", second) in again
    # employee_hours without the lookback now 100 calls for a minimum of 100
    hours = next(line.split() for line in again.split("<!-- results:honest_minimum -->")[1].splitlines() if line.startswith("employee_hours"))
    assert hours == ["employee_hours", "employee", "7", "600", "100", "100", "6.00", "1.00"]


def test_given_a_scripts_figures_then_they_say_which_script_ran_with_which_command_and_are_printed_as_published(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(results, "DOCUMENT", tmp_path / "RESULTS.md")
    monkeypatch.setattr(results, "JSON_DIR", tmp_path / "results")
    data = results.figures("resume", ["--employees", "300"], PROVENANCE, company=COMPANY, today="2026-12-04", cases=[])
    assert data == {"name": "resume", "script": "bench/resume.py", "command": ".venv/bin/python bench/resume.py --employees 300",
                    "provenance": PROVENANCE, "company": COMPANY, "today": "2026-12-04", "cases": []}
    results.print_and_publish(data, lambda figures: f"{figures['company']['employees']} employees", write=False)
    assert capsys.readouterr().out == "10000 employees\n" and not (tmp_path / "results").exists()
    figures = minimum_figures()
    results.print_and_publish(figures, results.honest_minimum_text, write=True)
    printed = capsys.readouterr()
    assert printed.out == results.honest_minimum_text(figures) + "\n"
    assert printed.out.rstrip("\n") in (tmp_path / "RESULTS.md").read_text()
    assert "[results]" in printed.err and json.loads((tmp_path / "results" / "honest_minimum.json").read_text()) == figures
