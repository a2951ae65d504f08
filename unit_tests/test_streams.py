"""The base stream against a mocked Paycor: paging, slices, parent ids, skips, retries, headers."""

from __future__ import annotations

import json
import logging

from airbyte_cdk.models import Status

from source_paycor import SourcePaycor
from source_paycor.streams.catalog import STREAMS
from source_paycor.version import USER_AGENT

from .builders import ACTIVATED_URL, BASE, TOKEN_URL, activated, config, page, read_stream, token_answer

DEPARTMENTS = BASE + "/v2/legalentities/{}/departments"


def data(output, stream=None):
    return [m.record.data for m in output.records if stream is None or m.record.stream == stream]


def test_given_three_pages_when_read_then_every_record_with_parent_id_and_token_followed(paycor):
    paycor.get(
        DEPARTMENTS.format(11),
        [
            {"json": page([{"id": "a"}, {"id": "b"}], "t1")},
            {"json": page([{"id": "c"}], "t2")},
            {"json": page([{"id": "d"}])},
        ],
    )
    output = read_stream("departments")
    assert data(output) == [{"id": x, "legalEntityId": 11} for x in "abcd"]
    calls = [c for c in paycor.request_history if "departments" in c.url]
    assert [c.qs.get("continuationtoken") for c in calls] == [None, ["t1"], ["t2"]]


def test_given_repeated_continuation_token_when_read_then_paging_stops_with_warning(paycor):
    paycor.get(DEPARTMENTS.format(11), [{"json": page([{"id": "a"}], "t1")}, {"json": page([{"id": "b"}], "t1")}])
    output = read_stream("departments")
    assert [r["id"] for r in data(output)] == ["a", "b"]
    assert any("repeated a continuation token" in m.log.message for m in output.logs)
    assert len([c for c in paycor.request_history if "departments" in c.url]) == 2


def test_given_every_call_then_paycor_headers_and_timeout(paycor):
    paycor.get(DEPARTMENTS.format(11), json=page([{"id": "a"}]))
    read_stream("departments", config(request_timeout_seconds=42))
    call = [c for c in paycor.request_history if "departments" in c.url][0]
    assert call.headers["Ocp-Apim-Subscription-Key"] == config()["subscription_key"]
    assert call.headers["Authorization"] == "Bearer access-1"
    assert call.headers["User-Agent"] == USER_AGENT
    assert call.headers["Accept"] == "application/json"
    assert call.timeout == 42


def test_given_several_legal_entities_and_filter_when_read_then_only_chosen_ones(paycor):
    paycor.get(ACTIVATED_URL, json=activated((11, 22), (12, 22), (13, 23)))
    for le in (11, 13):
        paycor.get(DEPARTMENTS.format(le), json=page([{"id": f"d{le}"}]))
    output = read_stream("departments", config(legal_entity_ids=[13, 11, 999]))
    assert sorted(r["legalEntityId"] for r in data(output)) == [11, 13]
    assert any("Legal entities 999 of `legal_entity_ids` are not activated" in m.log.message for m in output.logs)


def test_given_tenant_stream_when_read_then_one_call_per_distinct_tenant(paycor):
    paycor.get(ACTIVATED_URL, json=activated((11, 22), (12, 22), (13, 23)))
    for tenant in (22, 23):
        paycor.get(BASE + f"/v1/tenants/{tenant}", json={"id": tenant, "name": f"T{tenant}"})
    output = read_stream("tenants")
    assert data(output) == [{"id": 22, "name": "T22", "tenantId": 22}, {"id": 23, "name": "T23", "tenantId": 23}]


def test_given_403_for_one_legal_entity_when_read_then_skipped_with_warning_and_sync_goes_on(paycor):
    paycor.get(ACTIVATED_URL, json=activated((11, 22), (12, 22)))
    paycor.get(DEPARTMENTS.format(11), status_code=403, json={"Title": "Forbidden", "CorrelationId": "x"})
    paycor.get(DEPARTMENTS.format(12), json=page([{"id": "ok"}]))
    output = read_stream("departments")
    assert data(output) == [{"id": "ok", "legalEntityId": 12}]
    warnings = [m.log.message for m in output.logs if m.log.level.value == "WARN"]
    assert any('lacks the Paycor Data Access item "View Legal Entity Departments Information"' in w for w in warnings)
    assert not output.errors


def test_given_401_mid_sync_when_read_then_token_refreshed_once_and_call_retried(paycor):
    paycor.post(TOKEN_URL, [{"json": token_answer("access-1", "1" * 64)}, {"json": token_answer("access-2", "2" * 64)}])
    seen = []

    def departments(request, context):
        seen.append(request.headers["Authorization"])
        if len(seen) == 1:
            context.status_code = 401
            return ""
        return json.dumps(page([{"id": "a"}]))

    paycor.get(DEPARTMENTS.format(11), text=departments)
    output = read_stream("departments")
    assert [r["id"] for r in data(output)] == ["a"]
    assert seen == ["Bearer access-1", "Bearer access-2"]
    presented = [dict(p.split("=") for p in c.text.split("&"))["refresh_token"] for c in paycor.request_history if c.method == "POST"]
    assert presented == ["f" * 64, "1" * 64]


def test_given_200_error_body_and_truncated_answer_when_read_then_retried_not_empty(paycor, no_sleep):
    paycor.get(
        DEPARTMENTS.format(11),
        [
            {"json": {"Title": "An error occurred", "CorrelationId": "c"}},
            {"text": '{"records": [{"id": "a"'},
            {"status_code": 502, "text": "bad gateway"},
            {"json": page([{"id": "a"}])},
        ],
    )
    output = read_stream("departments")
    assert [r["id"] for r in data(output)] == ["a"]
    assert len([c for c in paycor.request_history if "departments" in c.url]) == 4
    assert [wait for wait in no_sleep if wait] == [2.0, 3.0, 5.0]  # 1, 2, 4 s of backoff, plus the CDK's extra second


def test_given_proxy_page_on_every_attempt_when_read_then_slice_fails_naming_endpoint_and_first_characters(paycor, no_sleep):
    html = "<!DOCTYPE html><html><head><title>Access gateway</title></head><body>Request 4411-2287-991 blocked</body></html>"
    paycor.get(DEPARTMENTS.format(11), text=html, headers={"Content-Type": "text/html"})
    output = read_stream("departments", expecting_exception=True)
    assert len([c for c in paycor.request_history if "departments" in c.url]) == 11  # the first call and 10 retries
    assert not data(output)
    message = output.errors[0].trace.error.message  # the stream's own error (the last one sums up the sync)
    assert "Stream departments: Paycor's answer to /v2/legalentities/11/departments was not records" in message
    assert 'it begins "<!DOCTYPE html><html><head><title>Access gateway</title></he")' in message  # 60 characters
    assert "4411" not in message  # digit runs are masked in what is quoted


def test_given_refused_refresh_when_read_then_sync_stops_with_reauthorize_message(requests_mock):
    requests_mock.post(TOKEN_URL, status_code=400, json={"error": "invalid_grant"})
    output = read_stream("departments", expecting_exception=True)
    messages = [e.trace.error.message for e in output.errors]
    [message] = [m for m in messages if m.startswith("The refresh token was rejected")]
    # where the last good config is (the written-back file, the last control message) comes before "re-authorize"
    assert message.index("`--config` file") < message.index("CONNECTOR_CONFIG control message") < message.index("re-authorize")
    assert requests_mock.call_count == 1


def test_given_activated_legal_entities_when_check_then_counts_reported(paycor, capsys):
    paycor.get(ACTIVATED_URL, json=activated((11, 22), (12, 22), (13, 23)))
    status = SourcePaycor().check(logging.getLogger("airbyte"), config())
    assert status.status == Status.SUCCEEDED
    assert status.message == "Connected to Paycor: 3 legal entities in 2 tenants are readable."


def test_given_no_activated_legal_entity_left_after_filter_when_check_then_clear_failure(paycor):
    # a config error is a FAILED check with its sentence (issue 22: no TRACE with the CDK's internal message)
    status = SourcePaycor().check(logging.getLogger("airbyte"), config(legal_entity_ids=[5]))
    assert status.status == Status.FAILED
    assert "None of the legal entities in `legal_entity_ids` (5) is activated" in status.message


def test_given_catalog_then_every_stream_has_key_parent_and_schema():
    streams = {s.name: s for s in SourcePaycor().streams(config())}
    assert set(streams) == {spec.name for spec in STREAMS}
    for spec in STREAMS:
        schema = streams[spec.name].get_json_schema()
        for field in spec.key:
            assert field in schema["properties"], (spec.name, field)
    assert streams["departments"].as_airbyte_stream().source_defined_primary_key == [["legalEntityId"], ["id"]]
    assert streams["tenants"].as_airbyte_stream().source_defined_primary_key == [["id"]]


def test_given_expired_continuation_token_when_read_then_slice_read_again_without_loss_or_duplicates(paycor):
    paycor.get(
        DEPARTMENTS.format(11),
        [
            {"json": page([{"id": "a"}, {"id": "b"}], "t1")},
            {"json": page([])},  # the token expired: an empty page
            {"json": page([{"id": "a"}, {"id": "b"}], "t2")},
            {"json": page([{"id": "c"}], "t3")},
            {"json": page([{"id": "d"}])},
        ],
    )
    output = read_stream("departments")
    assert [r["id"] for r in data(output)] == ["a", "b", "c", "d"]
    assert any("a continuation token expired after 2 records" in m.log.message for m in output.logs)
    # The second reading's 3 calls are counted in the closing line.
    assert any("Stream departments: 4 records, 5 calls" in m.log.message and "; 3 of the calls read slices again after expired continuation tokens" in m.log.message
               for m in output.logs)


def test_given_genuinely_empty_last_page_when_read_then_two_rereads_confirm_it_and_the_read_ends(paycor):
    paycor.get(
        DEPARTMENTS.format(11),
        [
            {"json": page([{"id": "a"}], "t1")},
            {"json": page([])},
        ]
        * 3,
    )
    output = read_stream("departments")
    assert [r["id"] for r in data(output)] == ["a"]
    assert len([c for c in paycor.request_history if "departments" in c.url]) == 6
    assert not output.errors
    warnings = [m.log.message for m in output.logs if m.log.level.value == "WARN"]
    assert sum("a continuation token expired after 1 records" in line for line in warnings) == 2
    assert sum("the page after record 1 of a slice was empty on 3 reads" in line for line in warnings) == 1
    assert any("; 4 of the calls read slices again after expired continuation tokens" in m.log.message for m in output.logs)


def test_given_state_at_construction_when_streams_then_cursors_start_from_it():
    from airbyte_cdk.models import AirbyteStateMessage, AirbyteStateType, AirbyteStreamState, StreamDescriptor
    from airbyte_cdk.models import AirbyteStateBlob
    from datetime import date

    spec = next(s for s in STREAMS if s.window is not None)
    saved = {"states": [{"partition": {"legalEntityId": 11}, "cursor": {spec.cursor_field: "2026-10-01"}}]}
    state = [AirbyteStateMessage(type=AirbyteStateType.STREAM, stream=AirbyteStreamState(
        stream_descriptor=StreamDescriptor(name=spec.name), stream_state=AirbyteStateBlob(**saved)))]
    built = SourcePaycor(config(), state)
    built.streams(config())
    assert built._delivery_cursors[spec.name]._saved == {11: date(2026, 10, 1)}
    bare = SourcePaycor()
    bare.streams(config())
    assert bare._delivery_cursors == {}, "a bare source hands the command to a source built for it"


def test_given_bare_source_when_two_commands_then_each_builds_its_own_context(paycor):
    paycor.get(ACTIVATED_URL, json=activated((11, 22)))
    source = SourcePaycor()
    for _ in range(2):
        assert source.check(logging.getLogger("airbyte"), config()).status == Status.SUCCEEDED
    activations = [c for c in paycor.request_history if "ActivatedLegalEntityTenantList" in c.url]
    assert len(activations) == 2


def test_given_paycor_down_when_check_then_failed_with_its_sentence_not_its_repr(paycor):
    paycor.get(ACTIVATED_URL, status_code=418, json={"Title": "Teapot"})
    status = SourcePaycor().check(logging.getLogger("airbyte"), config())
    assert status.status == Status.FAILED
    assert status.message.startswith("Stream ") and "unexpected 418" in status.message


def test_given_a_read_then_only_trace_messages_go_through_the_status_marks_records_pass_as_they_are(paycor, monkeypatch):
    """`SourcePaycor.read` marks denied and not-found streams INCOMPLETE and cleans traces: TRACE messages only. A
    record (the bulk of a read, on its one main thread) is not handed to the three of them."""
    import source_paycor.source as source_module

    seen = []
    real = source_module.incomplete_if_denied
    monkeypatch.setattr(source_module, "incomplete_if_denied", lambda message, access: seen.append(message.type.value) or real(message, access))
    paycor.get(BASE + "/v2/legalentities/11/departments", json=page([{"id": f"d{i}"} for i in range(5)]))
    output = read_stream("departments")
    assert [record.record.data["id"] for record in output.records] == [f"d{i}" for i in range(5)]
    assert seen and set(seen) == {"TRACE"}
