"""The spec form follows Airbyte's connector specification conventions. The rules and where the platform states them
(Airbyte's "Connector Specification Reference", docs/platform/connector-development/connector-specification-reference.md
of airbytehq/airbyte, published at https://docs.airbyte.com/platform/connector-development/connector-specification-reference):
- `airbyte_secret` ("Secret obfuscation"): a field so marked is obfuscated in the UI and API; every secret here is.
- `airbyte_hidden` ("Hiding inputs in the UI"): the field is not in the form, still settable outside the UI; used for
  the values the connector manages (access token, its expiry).
- `order` ("Ordering fields in the UI"): position among the fields of the same object; "order values cannot be
  duplicated within the same object or group".
- `groups` / `group` ("Grouping fields"): `group` on top-level properties only, the cards ordered and titled by the
  `groups` array; here connection, data, performance.
- `always_show` ("Collapsing optional fields"): an optional field is collapsed into "Optional fields" unless
  `always_show`, which also "causes fields that are normally hidden by an OAuth button to still be shown": the fields
  Airbyte's OAuth button fills (`advanced_auth` … `path_in_connector_config`) are marked so, to be typed in where the
  platform has no OAuth app; so are the scope and the environment, optional or not, placed before the authentication.
- `pattern_descriptor` ("Pattern descriptors"): the human-readable format shown above the field and in the error
  message instead of the raw `pattern`; set wherever a value has a pattern or a date format.
- `enum` ("Using `enum`"): distinct values; a choice the form renders as a list (the environment), so it needs no
  `examples`.
Titles and examples on every typed field are this project's rule (the reference's examples all carry titles).
`documentationUrl` must name a page that exists: the repository's user documentation, docs/paycor.md.
"""

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


def test_order_is_unique_within_each_group_and_each_object():
    by_group: dict = {}
    for name, prop in PROPERTIES.items():
        by_group.setdefault(prop.get("group"), []).append(prop.get("order"))
    for group, orders in by_group.items():
        assert len(orders) == len(set(orders)), (group, orders)
    inner = [prop["order"] for prop in CREDENTIALS.values() if "order" in prop]
    assert len(inner) == len(set(inner))


def test_group_only_on_top_level_fields_and_enum_values_distinct():
    assert all("group" not in prop for prop in CREDENTIALS.values())
    for name, prop in {**PROPERTIES, **CREDENTIALS}.items():
        if "enum" in prop:
            assert len(prop["enum"]) == len(set(prop["enum"])), name


def test_scope_is_required_in_the_spec():
    assert "scope" in CONNECTION["required"]


def test_environment_is_a_visible_choice_first_in_the_form_and_the_custom_url_optional_after_it():
    environment, base_url = PROPERTIES["environment"], PROPERTIES["base_url"]
    assert environment["enum"] == ["Production", "Sandbox"] and environment["always_show"] is True
    assert environment["order"] == min(prop["order"] for prop in PROPERTIES.values() if prop.get("group") == "connection")
    assert "base_url" not in CONNECTION["required"] and "default" not in base_url and not base_url.get("always_show")
    assert base_url["order"] > PROPERTIES["credentials"]["order"] and base_url["group"] == "connection"


def test_documentation_url_names_the_repositorys_user_documentation_which_exists():
    """No public page documents this connector (docs.airbyte.com has no Paycor page; the repository has no public
    address), so `documentationUrl` names the repository's file, `file:` + its path from the repository root; PyAirbyte
    refuses a bare relative path (pydantic `AnyUrl`). Once the repository has a public address, an https URL ending in
    the same path passes this test too."""
    root = Path(__file__).resolve().parent.parent
    url = SPEC["documentationUrl"]
    path = url[len("file:"):] if url.startswith("file:") else url.split("/blob/", 1)[-1].split("/", 1)[-1]
    assert (root / path).is_file(), url
    assert path == "docs/paycor.md"
