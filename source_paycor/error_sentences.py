"""The sentences of Paycor's answers, of the token endpoint, of the check and of the files a command is given,
written once: the error table (`errors.py`) says them for data calls; `auth.py` and `source-paycor authorize`
(`authorize.py`) for the token endpoint; `source.py` for the check; `command_files.py` for the files.

Other sentences live beside the rule that says them: a config mistake's in `config.py` (the API host's in
`base_url.py`), a catalog row's in `streams/catalog/checks.py`, a sync's notes (skips, drift, denials, fallbacks) in
the stream module that notices them (`streams/slicing.py`, `pages.py`, `access.py`, `parent_reader.py`, the
cursors), the config write-back's in `config_file.py`, the reports' in `reports/`.
"""

# The token endpoint's refusals (`auth.py`, `authorize.py`) and the check's.
REFRESH_REJECTED = (
    "The refresh token was rejected (Paycor refresh tokens work once, and this one was used already) — run again with "
    "the newest config the connector saved: the `--config` file it writes each rotated config back to, or, where that "
    "file was not writable, the config of the last CONNECTOR_CONFIG control message (in Airbyte: the connection's "
    "saved config); only if neither is newer, re-authorize the application to get a new one."
)
CLIENT_REJECTED = (
    "Paycor refused the client ID or client secret (`credentials.client_id`, `credentials.client_secret`) — "
    "copy both again from your application in Paycor's Developer Portal."
)
SUBSCRIPTION_KEY_REJECTED = (
    "Paycor refused the subscription key (`subscription_key`) — copy the APIm subscription key of this application "
    "from Paycor's Developer Portal (Security Connections) and try again."
)
# A config file that is missing, unreadable or not JSON (`command_files.py`, `authorize.py`); `{path}` is the file.
CONFIG_FILE_MISSING = (
    "The configuration file {path} does not exist — pass the path of your config JSON with `--config` (the sandbox "
    "writes one with `--config-out`)."
)
CONFIG_FILE_UNREADABLE = "The configuration file {path} cannot be read ({reason}) — make it readable and try again."
CONFIG_FILE_NOT_JSON = (
    "The configuration file {path} does not hold a JSON object — write the config as JSON with the fields of the "
    "connector's spec."
)
# A catalog or state file that is not what `read` expects (`command_files.py`).
CATALOG_FILE_INVALID = (
    "The catalog file {path} is not an Airbyte configured catalog — build it from the streams `discover` lists."
)
STATE_FILE_INVALID = (
    "The state file {path} is not a list of Airbyte state messages — pass the state the last sync emitted, or none."
)
# Data calls. Templates over the facts of one answer (`errors._AnswerFacts`): {stream}, {status}, {paycor} (Paycor's
# own words, `error_body.paycor_error_text`), {endpoint}, {data_access}, {kind} (of a connection failure), {reason} and
# {preview} (of a body that is not records), {max_retries}.
CONNECTION_FAILED = "Stream {stream}: the connection to Paycor failed ({kind}); retrying."
# A URL no call can be sent to (`requests`' InvalidURL, InvalidSchema, MissingSchema): no retry mends it. Also
# the token endpoint's (`auth.py`), with {kind} only.
BASE_URL_UNUSABLE = (
    "Paycor cannot be called at `base_url` ({kind}) — set it to https://apis.paycor.com, or "
    "https://apis-sandbox.paycor.com for Paycor's sandbox."
)
ACCESS_TOKEN_REFUSED = "Stream {stream}: Paycor no longer accepts the access token; refreshing it once and retrying."
DATA_ACCESS_MISSING = (
    'Stream {stream} skipped: the application lacks the Paycor Data Access item "{data_access}" — '
    "add it on the Data Access tab of your application in Paycor's Developer Portal and re-activate the application."
)
NO_LONGER_FOUND = "Stream {stream}: Paycor no longer finds {endpoint} (404); skipping it."
NOT_FOUND = (
    "Stream {stream}: Paycor answered 404 Not Found ({paycor}) — check that `base_url` is Paycor's API "
    "(https://apis.paycor.com) and that the legal entity is still active."
)
NOTHING_TO_READ = "Stream {stream}: {paycor} — nothing to read."
INVALID_REQUEST = (
    "Stream {stream}: Paycor rejected the request as invalid ({paycor}) — report this to the connector's "
    "maintainers with the correlation id."
)
RATE_LIMITED = (
    "Stream {stream}: Paycor's rate limit (calls per minute per subscription key) was reached; waiting before retrying."
)
RETRYING = "Stream {stream}: Paycor answered {status} ({paycor}); retrying."
UNEXPECTED = "Stream {stream}: Paycor answered an unexpected {status} ({paycor})."
ERROR_INSTEAD_OF_RECORDS = "Stream {stream}: Paycor answered 200 with an error instead of records ({paycor}); retrying."
NOT_RECORDS = (
    'Stream {stream}: Paycor\'s answer to {endpoint} was not records ({reason}; it begins "{preview}") — '
    "a proxy's page or a connection cut short; retried up to {max_retries} times."
)
# What a retried answer says when its last attempt failed too (the CDK puts it in its final error): the
# retrying sentences above are logged at each retry, these end the stream, and none says "retrying".
CONNECTION_GAVE_UP = (
    "Stream {stream}: the connection to Paycor failed ({kind}) on every attempt — check `base_url` and the network, "
    "then try again."
)
ACCESS_TOKEN_GAVE_UP = (
    "Stream {stream}: Paycor did not accept the access token even after refreshing it once — check that the "
    "application is still activated in Paycor, then try again."
)
RATE_LIMIT_GAVE_UP = (
    "Stream {stream}: Paycor's rate limit (calls per minute per subscription key) was still reached after every wait — "
    "lower `requests_per_minute` or stop other applications sharing the subscription key during syncs."
)
SERVER_GAVE_UP = "Stream {stream}: Paycor answered {status} ({paycor}) on every attempt — try again later."
ERROR_INSTEAD_OF_RECORDS_GAVE_UP = (
    "Stream {stream}: Paycor answered 200 with an error instead of records ({paycor}) on every attempt — try again "
    "later."
)
GAVE_UP = {
    CONNECTION_FAILED: CONNECTION_GAVE_UP,
    ACCESS_TOKEN_REFUSED: ACCESS_TOKEN_GAVE_UP,
    RATE_LIMITED: RATE_LIMIT_GAVE_UP,
    RETRYING: SERVER_GAVE_UP,
    ERROR_INSTEAD_OF_RECORDS: ERROR_INSTEAD_OF_RECORDS_GAVE_UP,
}
# `check` when Paycor's API did not answer at `base_url` (`source.py`); {reason} is what came back instead.
CHECK_UNREACHABLE = (
    "Paycor's API did not answer at `base_url` {base_url} ({reason}) — check `base_url` (https://apis.paycor.com, "
    "or https://apis-sandbox.paycor.com for Paycor's sandbox) and the network, then try again."
)
