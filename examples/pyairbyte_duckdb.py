#!/usr/bin/env python3
"""Read Paycor into PyAirbyte's default DuckDB cache through the installed `source-paycor`, then query it.

    python examples/pyairbyte_duckdb.py --config secrets/config.json --executable .venv/bin/source-paycor

Runs in an environment with PyAirbyte (`pip install airbyte`); the connector runs as its own
executable. Paycor refresh tokens work once: every rotated config the connector hands back is saved
into the config file (and given to the source) by `config_change_callback`, so the next run works.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

import airbyte as ab
from sqlalchemy import text

STREAMS = ["legal_entities", "employees"]


def save_atomically(path: Path, config: dict) -> None:
    handle, temporary = tempfile.mkstemp(dir=str(path.parent), prefix=".config-", suffix=".json")
    with os.fdopen(handle, "w") as file:
        json.dump(config, file, indent=2)
    os.replace(temporary, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--executable", required=True, help="path of the installed source-paycor console script")
    options = parser.parse_args()
    config = json.loads(options.config.read_text())

    def adopt(new_config: dict) -> None:
        save_atomically(options.config, new_config)
        source.set_config(new_config, validate=False)

    source = ab.get_source(
        "source-paycor",
        config=config,
        local_executable=options.executable,
        config_change_callback=adopt,
    )
    source.check()
    source.select_streams(STREAMS)
    cache = ab.get_default_cache()
    result = source.read(cache=cache)
    print(f"read {sum(len(result[name]) for name in STREAMS)} records of {', '.join(STREAMS)} into {cache.db_path}")

    query = text(
        """
        select e.legalentityid as legal_entity_id, l.name as legal_entity, count(*) as employees
        from employees e join legal_entities l on l.id = e.legalentityid
        group by 1, 2 order by 1
        """
    )
    with cache.get_sql_engine().connect() as connection:
        for legal_entity_id, name, employees in connection.execute(query):
            print(f"{legal_entity_id}\t{name}\t{employees}")


if __name__ == "__main__":
    main()
