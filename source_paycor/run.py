"""Console entry point `source-paycor`: the Airbyte protocol commands."""

from __future__ import annotations

import sys
from typing import List, Optional

from airbyte_cdk.entrypoint import launch

from .source import SourcePaycor


def run(args: Optional[List[str]] = None) -> None:
    launch(SourcePaycor(), sys.argv[1:] if args is None else args)
