"""Which Report Builder templates the application may read, found with few calls.

1. `GET /v1/Reporting/{scope}/ReportingUsers` (paged): the users whose reports the application may read, for
   the configured scope (`reporting_scope`, else `scope`); narrowed to `reporting_user_id` when it is set.
2. `GET /v1/Reporting/{legalEntityId}/ReportIdentifiers/{userId}`, once per user (in the user's legal entity):
   the user's templates (`templateId`, `displayName`); narrowed to `report_templates` when it is set.
3. For `discover` only: the first page of each template's `TemplateData` (in the user's legal entity), for its
   headers, from which the stream's schema is made.

So `discover` costs 1 + users + templates calls, a `read` that selected report streams 1 + users (schemas come
from its catalog), and a read without report streams none. A route the application may not call (403), a
scope Paycor does not know (404) or Paycor failing leaves the report streams out with one line naming the cause;
the other streams are not affected.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple
from urllib.parse import quote

import requests
from airbyte_cdk.models import FailureType, SyncMode
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from ..envelope import response_page
from ..streams.base import PaycorStream
from ..streams.catalog import StreamSpec
from ..streams.context import SyncContext
from .columns import columns_of, field, report_schema
from .naming import stream_names
from .stream import TEMPLATE_DATA, TEMPLATE_DATA_ACCESS, ReportTemplate, template_path

logger = logging.getLogger("airbyte")

REPORTING_USERS = "/v1/Reporting/{scope}/ReportingUsers"
REPORT_IDENTIFIERS = "/v1/Reporting/{legalEntityId}/ReportIdentifiers/{userId}"
USERS_ACCESS = "View Reporting Users by Application Scope"
IDENTIFIERS_ACCESS = "View Report Identifiers To Download Reports"
_TEXT = {"type": ["null", "string"]}
USERS_SCHEMA = {
    "type": "object",
    "properties": {
        "userId": _TEXT,
        "firstName": _TEXT,
        "lastName": _TEXT,
        "legalEntityId": {"type": ["null", "integer"]},
    },
}
IDENTIFIERS_SCHEMA = {
    "type": "object",
    "properties": {"templateId": _TEXT, "parentTemplateId": _TEXT, "displayName": _TEXT, "legalEntityId": {}},
}
NOT_OFFERED = "Report Builder reports are not offered as streams: "
ADD_ITEM = (
    'the application lacks the Paycor Data Access item "{item}" — add it on the Data Access tab of your application '
    "in Paycor's Developer Portal and re-activate the application to read its reports."
)


class Listing(PaycorStream):
    """A Report Builder route read for discovery: its answers that are not records are kept, not logged, so that
    discovery says in one line what they mean."""

    refused: Optional[requests.Response] = None
    first_page_only = False

    def next_page_token(self, response: requests.Response) -> Optional[Mapping[str, Any]]:
        return None if self.first_page_only else super().next_page_token(response)

    def parse_response(
        self, response: requests.Response, *, stream_slice: Optional[Mapping[str, Any]] = None, **_: Any
    ) -> Iterable[Mapping[str, Any]]:
        if not response.ok:
            self.refused = response
            return
        if self.first_page_only:  # the data sets as they came: only their headers are wanted
            yield from response_page(response).records
            return
        yield from super().parse_response(response, stream_slice=stream_slice)


def _listing(context: SyncContext, name: str, path: str, data_access: str, schema: Mapping[str, Any]) -> Listing:
    spec = StreamSpec(name, path, primary_key=(), family="reports", parent_in_key=False, skip_not_found=True)
    return Listing(spec, context, endpoint={"data_access": data_access, "path": path, "shape": "paged"}, schema=schema)


def _legal_entity_id(value: Any) -> Optional[int]:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


class ReportDiscovery:
    """Finds the templates (and, for `discover`, their schemas) of one command, said in at most one line."""

    def __init__(self, context: SyncContext, say: Callable[[int, str], None] = logger.log) -> None:
        self.context = context
        self.config = context.config
        self._say = say

    def _refusal(self, listing: Listing, data_access: str, what: str) -> Optional[str]:
        """The sentence for a refused discovery call, or None when it was answered."""
        refused = listing.refused
        if refused is None:
            return None
        if refused.status_code == 403:
            return NOT_OFFERED + ADD_ITEM.format(item=data_access)
        return NOT_OFFERED + f"Paycor answered {refused.status_code} to {what} — check `reporting_scope` and `scope`."

    def templates(self) -> List[ReportTemplate]:
        """The templates to offer, each with its stream name; [] (said once) when there are none or Paycor refuses."""
        try:
            return self._templates()
        except AirbyteTracedException as error:
            if error.failure_type == FailureType.config_error:
                raise
            self._say(logging.WARNING, NOT_OFFERED + f"{error.message or 'Paycor failed'}")
            return []

    def _templates(self) -> List[ReportTemplate]:
        scope = self.config.reporting_scope
        if not scope:
            self._say(logging.INFO, NOT_OFFERED + "set `scope` (or `reporting_scope`) to list Report Builder's users.")
            return []
        path = REPORTING_USERS.replace("{scope}", quote(scope, safe=""))
        listing = _listing(self.context, "report_builder_users", path, USERS_ACCESS, USERS_SCHEMA)
        users = list(listing.read_records(SyncMode.full_refresh, stream_slice={}))
        refusal = self._refusal(listing, USERS_ACCESS, "the list of reporting users of the scope")
        if refusal:
            self._say(logging.WARNING, refusal)
            return []
        wanted_user = (self.config.reporting_user_id or "").lower()
        chosen: Dict[str, Optional[int]] = {}
        for user in users:
            user_id = str(user.get("userId") or "").strip()
            if user_id and (not wanted_user or user_id.lower() == wanted_user):
                chosen.setdefault(user_id, _legal_entity_id(user.get("legalEntityId")))
        if not chosen:
            self._say(
                logging.WARNING if wanted_user else logging.INFO,
                NOT_OFFERED
                + (
                    f"`reporting_user_id` {self.config.reporting_user_id} is not among the {len(users)} reporting "
                    "users Paycor lists for the scope."
                    if wanted_user
                    else "Paycor lists no reporting user for the scope."
                ),
            )
            return []
        found: Dict[str, ReportTemplate] = {}
        for user_id, legal_entity_id in chosen.items():
            where = legal_entity_id if legal_entity_id is not None else self._first_legal_entity()
            path = REPORT_IDENTIFIERS.replace("{userId}", quote(user_id, safe=""))
            listing = _listing(self.context, "report_builder_templates", path, IDENTIFIERS_ACCESS, IDENTIFIERS_SCHEMA)
            rows = list(listing.read_records(SyncMode.full_refresh, stream_slice={"legalEntityId": where}))
            refusal = self._refusal(listing, IDENTIFIERS_ACCESS, f"the report templates of user {user_id}")
            if refusal:
                self._say(logging.WARNING, refusal)
                return []
            for row in rows:
                template_id = str(row.get("templateId") or "").strip()
                if template_id and template_id.lower() not in found:
                    name = str(row.get("displayName") or "").strip() or template_id
                    found[template_id.lower()] = ReportTemplate(template_id, name, user_id, where)
        return self._chosen(list(found.values()))

    def _first_legal_entity(self) -> Optional[int]:
        entities = self.context.directory.legal_entities()
        return entities[0].legal_entity_id if entities else None

    def _chosen(self, templates: List[ReportTemplate]) -> List[ReportTemplate]:
        """The templates `report_templates` names (all when it is empty), with their stream names."""
        choices = self.config.report_templates
        pinned: Dict[str, str] = {}
        if choices:
            kept, unmatched = [], []
            for choice in choices:
                wanted = choice.template.lower()
                hits = [t for t in templates if wanted in (t.template_id.lower(), t.display_name.lower())]
                if not hits:
                    unmatched.append(choice.template)
                for hit in hits:
                    if hit not in kept:
                        kept.append(hit)
                    if choice.stream_name:
                        pinned[hit.template_id] = choice.stream_name
            if unmatched:
                self._say(
                    logging.WARNING,
                    f"`report_templates` names {', '.join(repr(name) for name in unmatched)}, which no template of "
                    "the reporting user(s) has as its ID or display name — check the names in Paycor's Report "
                    "Builder.",
                )
            templates = kept
        names = stream_names(((t.template_id, t.display_name) for t in templates), pinned)
        return [
            ReportTemplate(t.template_id, t.display_name, t.user_id, t.user_legal_entity_id, names[t.template_id])
            for t in templates
        ]

    def schemas(self, templates: List[ReportTemplate]) -> List[Tuple[ReportTemplate, Mapping[str, Any]]]:
        """Each template with the schema made from its headers: one call each (the first page of its data), in
        the user's legal entity; a 403 stops there (the item is the application's, the same for every template)."""
        out: List[Tuple[ReportTemplate, Mapping[str, Any]]] = []
        for template in templates:
            listing = _listing(
                self.context,
                template.stream_name,
                template_path(template),
                TEMPLATE_DATA_ACCESS,
                {"type": "object", "properties": {}},
            )
            listing.first_page_only = True
            where = template.user_legal_entity_id
            if where is None:
                where = self._first_legal_entity()
            try:
                data_sets = list(listing.read_records(SyncMode.full_refresh, stream_slice={"legalEntityId": where}))
            except AirbyteTracedException as error:
                if error.failure_type == FailureType.config_error:
                    raise
                self._say(logging.WARNING, f"Report {template.stream_name} is not offered: {error.message}")
                continue
            refused = listing.refused
            if refused is not None and refused.status_code == 403:
                self._say(logging.WARNING, NOT_OFFERED + ADD_ITEM.format(item=TEMPLATE_DATA_ACCESS))
                return []
            if refused is not None:
                self._say(
                    logging.WARNING,
                    f"Report {template.stream_name} (template {template.template_id}) is not offered: Paycor answered "
                    f"{refused.status_code} to {TEMPLATE_DATA}.",
                )
                continue
            headers = field(data_sets[0], "headers") if data_sets else None
            out.append((template, report_schema(columns_of(headers), template.template_id, template.display_name)))
        return out
