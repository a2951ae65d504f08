"""The sandbox company the bench scripts read: its command-line options, the `Sandbox` made of them, and the
company as a script's JSON records it.

    from _company import ROOT, add_company_options, company_facts, company_sandbox   # first of the repo's imports
    ap = argparse.ArgumentParser(); add_company_options(ap)
    args = ap.parse_args()
    sandbox = company_sandbox(args, today=day)   # no rate limit unless given
    data = {..., "company": company_facts(args)}

A script run as `python bench/<script>.py` has bench/ first on `sys.path` (so `import _company` finds this file);
importing it puts the repository root there too, for `paycor_sandbox`.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any, Dict, Optional

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from paycor_sandbox import Sandbox  # noqa: E402

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


def company_facts(args: argparse.Namespace) -> Dict[str, Any]:
    """The company of `args` (the options of `add_company_options`), as the scripts' JSON records it."""
    return {"employees": args.employees, "terminated_history": args.terminated_history, "legal_entities": args.legal_entities,
            "tenants": args.tenants, "seed": args.seed}


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
