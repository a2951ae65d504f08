"""Single-use refresh tokens across many syncs: the chain never breaks, no token is presented twice.

Each sync starts with the config the previous command handed back in its last CONNECTOR_CONFIG
control message (or the same config when it handed none back), as the platform does. Access tokens
live 60 s and some are revoked mid-sync, so refreshes happen at the start of syncs and in the middle
of them, from concurrent threads.

The 50 syncs run through the console script's `run()` in this process (a fresh `SourcePaycor` and
authenticator each, ~0.1 s instead of ~1.5 s of imports per process); the checks and discovers
between them and the refused sync at the end run the installed console script in a subprocess, so
the chain crosses processes too. Both tests run on `TODAY` (the `on_day` mark): the sandbox's token clock,
the in-process syncs and the subprocess runs read one timeline, as Paycor's and the connector's clocks agree.
"""

from __future__ import annotations

from collections import Counter

import pytest

from paycor_sandbox import Faults, Sandbox
from source_paycor.error_sentences import REFRESH_REJECTED

from helpers import NO_RATE_LIMIT, TODAY, catalog_for, data_calls, discover, start_date, token_calls

pytestmark = pytest.mark.on_day(TODAY)
SYNCS = 50
TINY = ["departments"]
WIDE = ["departments", "employees", "employee_pay_rates", "job_titles", "tenant_employees"]


def test_given_50_chained_syncs_with_checks_and_discovers_between_then_every_sync_succeeds_and_no_token_is_presented_twice(
        watched, in_process, figures):
    # ~1% of data calls answer 401 after revoking every access token: refreshes in the middle of syncs, and
    # in the wide syncs (8 threads) several threads meet the 401 at once. Seed 1688: the revocations fall
    # at data calls 54, 311, 456, 700 (of ~720), never two within one sync's reach (see the report on
    # two revocations close together).
    revoking = Faults(rate=0.01, modes=("revoke_token",), seed=1688)
    with Sandbox(seed=7, employees=40, access_token_ttl_seconds=60, faults=revoking, rate_limit_per_minute=NO_RATE_LIMIT,
                 today=TODAY) as sandbox:
        watched.sandboxes.append(sandbox)
        first = {**sandbox.connector_config(), "start_date": start_date(60)}
        catalog, config = discover(watched, first)
        departments = len([1 for le, _ in sandbox.company.activated_pairs()
                           for _ in sandbox.expected_records("/v2/legalentities/{legalEntityId}/departments", legalEntityId=le)])
        handed_back = 1  # the discover above
        commands = Counter({"discover": 1})
        wide_syncs, mid_sync = 0, Counter()
        for number in range(1, SYNCS + 1):
            if number % 7 == 0:  # check and discover between syncs keep the chain
                command = "check" if number % 14 == 0 else "discover"
                between = watched(command, config)
                assert between.returncode == 0, between.errors
                if command == "check":
                    assert between.connection_status["status"] == "SUCCEEDED", between.connection_status
                commands[command] += 1
                if between.rotated_configs:
                    config, handed_back = between.rotated_configs[-1], handed_back + 1
            wide = number % 5 == 0
            wide_syncs += wide
            names = WIDE if wide else TINY
            sync = in_process("read", {**config, "num_workers": 8} if wide else config, catalog=catalog_for(catalog, names))
            assert sync.returncode == 0, f"sync {number} of the chain failed: {sync.errors} {sync.stderr[-500:]}"
            assert len(sync.records("departments")) == departments, f"sync {number}"
            commands["read"] += 1
            if len(sync.rotated_configs) > 1:  # refreshed again after the sync's first refresh: a revoked token
                mid_sync["wide" if wide else "tiny"] += 1
            if sync.rotated_configs:
                # the chain goes on without this sync's own setting (num_workers)
                config = {key: value for key, value in sync.rotated_configs[-1].items() if key != "num_workers"}
                handed_back += 1

        presented = sandbox.refresh_tokens_presented
        revokes = Counter(mode for _, _, mode in sandbox.fault_log)["revoke_token"]
        duplicates = [token[:4] + "…" for token, n in Counter(presented).items() if n > 1]
        assert not duplicates, f"refresh tokens presented twice: {duplicates}"
        assert all(call.status == 200 for call in token_calls(sandbox)), "a refresh was refused inside the chain"
        # the chain holds: the config in hand carries the one refresh token Paycor still accepts
        assert config["credentials"]["refresh_token"] == sandbox.valid_refresh_token
        assert revokes > 0 and any(call.status == 401 for call in data_calls(sandbox))
        assert sum(mid_sync.values()) > 0, "no sync refreshed in its middle"

        # the first config's refresh token was spent long ago: the sync stops with the sentence, after one token call
        before = len(token_calls(sandbox))
        stale = watched("read", {**first, "num_workers": 8}, catalog=catalog_for(catalog, WIDE))
        refusals = token_calls(sandbox)[before:]
        assert stale.returncode != 0
        assert REFRESH_REJECTED in [error["message"] for error in stale.errors]
        assert len(refusals) == 1 and refusals[0].status == 400, [c.status for c in refusals]
        assert "Traceback" not in stale.stdout
        assert not stale.records()

    figures.record("rotation", {
        "syncs_chained": commands["read"], "checks_between": commands["check"], "discovers_between": commands["discover"],
        "wide_syncs_8_threads": wide_syncs, "configs_handed_back": handed_back, "refresh_tokens_presented": len(presented),
        "duplicate_presentations": len(duplicates), "mid_sync_revocations": revokes,
        "syncs_refreshing_mid_sync": dict(mid_sync),
        "token_calls_for_the_refused_token": len(refusals),
    })


def test_given_60_second_access_tokens_when_syncing_then_refreshed_at_most_once_per_sync_not_on_every_call(watched, figures):
    with Sandbox(seed=7, employees=40, access_token_ttl_seconds=60, today=TODAY) as sandbox:
        watched.sandboxes.append(sandbox)
        catalog, config = discover(watched, sandbox.connector_config())
        per_sync = []
        for _ in range(2):
            sandbox.reset_calls()
            sync = watched("read", {**config, "num_workers": 8}, catalog=catalog_for(catalog, ["departments", "employees", "employee_pay_rates"]))
            assert sync.returncode == 0, sync.errors
            config = (sync.rotated_configs or [config])[-1]
            per_sync.append((len(token_calls(sandbox)), len(data_calls(sandbox))))
    figures.record("short_token_lifetime", {"access_token_ttl_seconds": 60, "token_calls_and_data_calls_per_sync": per_sync})
    for tokens, calls in per_sync:
        assert calls > 40
        assert tokens <= 1, f"{tokens} token calls for {calls} data calls: a 60 s token is refreshed on (nearly) every call"
