"""The spec form follows Airbyte's connector specification conventions
(https://docs.airbyte.com/connector-development/connector-specification-reference): secrets marked
`airbyte_secret`; fields in `groups`; a `pattern_descriptor` wherever a value has a pattern; titles and examples on
every field the user types; the fields Airbyte's OAuth button fills (`advanced_auth` … `path_in_connector_config`)
marked `always_show`, so they can be typed in where the platform has no OAuth app; the scope, which the consent URL
needs, visible and placed before the authentication."""

from __future__ import annotations

from pathlib import Path

import yaml

SPEC = yaml.safe_load((Path(__file__).resolve().parent.parent / "source_paycor" / "spec.yaml").read_text())
CONNECTION = SPEC["connectionSpecification"]
PROPERTIES = CONNECTION["properties"]
CREDENTIALS = PROPERTIES["credentials"]["properties"]
# Typed by the user (not managed by the connector, not a constant).
TYPED = {name: prop for name, prop in PROPERTIES.items() if name != "credentials"}
TYPED_CREDENTIALS = {name: prop for name, prop in CREDENTIALS.items() if not prop.get("airbyte_hidden") and "const" not in prop}


def test_every_secret_is_airbyte_secret():
    secrets = {"subscription_key", "client_id", "client_secret", "refresh_token", "access_token"}
    marked = {name for name, prop in {**PROPERTIES, **CREDENTIALS}.items() if prop.get("airbyte_secret")}
    assert secrets <= marked


def test_every_top_level_field_is_in_a_declared_group_connection_data_performance():
    assert [group["id"] for group in CONNECTION["groups"]] == ["connection", "data", "performance"]
    assert all(group.get("title") for group in CONNECTION["groups"])
    assert {name: prop.get("group") for name, prop in PROPERTIES.items() if prop.get("group") not in ("connection", "data", "performance")} == {}


def test_every_field_has_a_title_and_every_typed_value_an_example():
    untitled = [name for name, prop in {**PROPERTIES, **CREDENTIALS}.items() if not prop.get("title")]
    assert untitled == []
    without_examples = [name for name, prop in TYPED.items()
                        if prop["type"] not in ("boolean", "object") and "enum" not in prop and not prop.get("airbyte_secret") and not prop.get("examples")]
    assert without_examples == []


def test_every_pattern_or_date_has_a_pattern_descriptor():
    missing = [name for name, prop in TYPED.items() if (prop.get("pattern") or prop.get("format") == "date") and not prop.get("pattern_descriptor")]
    assert missing == []


def test_fields_the_oauth_button_fills_are_always_shown_for_manual_entry():
    oauth = SPEC["advanced_auth"]["oauth_config_specification"]
    filled = [value["path_in_connector_config"] for key in ("complete_oauth_server_output_specification", "complete_oauth_output_specification")
              for value in oauth[key]["properties"].values()]
    for path in filled:
        prop = CREDENTIALS[path[1]] if path[0] == "credentials" else PROPERTIES[path[0]]
        assert prop.get("always_show") or prop.get("airbyte_hidden"), path
    assert all(prop.get("always_show") for prop in TYPED_CREDENTIALS.values())


def test_scope_is_visible_and_placed_before_the_authentication():
    assert PROPERTIES["scope"].get("always_show") is True
    assert PROPERTIES["scope"]["order"] < PROPERTIES["credentials"]["order"]
    assert PROPERTIES["scope"]["group"] == PROPERTIES["credentials"]["group"] == "connection"
