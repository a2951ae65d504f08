"""The sandbox company the bench scripts read: its command-line options and the `Sandbox` made of them.

    ap = argparse.ArgumentParser(); add_company_options(ap)
    sandbox = company_sandbox(ap.parse_args(), today=day)   # no rate limit unless given
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any, Optional

from paycor_sandbox import Sandbox

# A sandbox rate limit no read reaches: the connector's calls are counted, not paced.
UNLIMITED = 10**9


def add_company_options(parser: argparse.ArgumentParser, employees: int = 300, legal_entities: int = 3) -> None:
    parser.add_argument("--employees", type=int, default=employees, help="active employees")
    parser.add_argument(
        "--terminated-history",
        type=float,
        default=1.2,
        help="terminated employees of past years in the lists, as a multiple of --employees (0: none)",
    )
    parser.add_argument("--tenants", type=int, default=2)
    parser.add_argument("--legal-entities", type=int, default=legal_entities)
    parser.add_argument("--seed", type=int, default=7)


def company_sandbox(args: argparse.Namespace, today: Optional[date], **options: Any) -> Sandbox:
    """The company of `args` (not started), dated `today`; `options` go to `Sandbox` (default: no rate limit)."""
    options.setdefault("rate_limit_per_minute", UNLIMITED)
    return Sandbox(
        seed=args.seed,
        employees=args.employees,
        tenants=args.tenants,
        legal_entities=args.legal_entities,
        today=today,
        terminated_history=args.terminated_history,
        **options,
    )
