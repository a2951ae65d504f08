"""Dispatch a resolved request to its realistic builder, or to the generic schema-driven handler."""
from __future__ import annotations

from . import errors
from .builders import BUILDERS
from .context import Ctx
from .records import LazyRecords, build_record, include_gates, rng_for
from .results import Array, Binary, Paged, Single, page_size_for

EXTRA_HANDLERS: dict = {}   # template (lower) -> handler(env, ctx); windowed endpoints register here


def handler(*templates):
    """Register the decorated function as the answer of these path templates."""
    def deco(fn):
        for template in templates:
            EXTRA_HANDLERS[template.lower()] = fn
        return fn
    return deco


def serves(route) -> bool:
    """Whether a POST route is answered (the sandbox serves the POSTs that read and have a handler)."""
    return route.key in EXTRA_HANDLERS


def check_required(ctx: Ctx):
    missing = [name for name in ctx.route.required_query() if not ctx.q(name)]
    if missing:
        raise errors.bad_request(f"The {missing[0]} field is required.",
                                 {name: f"The {name} field is required." for name in missing})


def handle(env, ctx: Ctx):
    check_required(ctx)
    fn = EXTRA_HANDLERS.get(ctx.route.key) or BUILDERS.get(ctx.route.key)
    if fn is not None:
        return fn(env, ctx)
    return generic(env, ctx)


def generic_count(env, ctx: Ctx) -> int:
    rng = rng_for(env.seed, ctx.key, "count")
    if ctx.employee is not None:
        return rng.randint(1, 4)
    if ctx.legal_entity is not None or ctx.tenant is not None:
        return rng.randint(2, 8)
    return rng.randint(1, 5)


def generic(env, ctx: Ctx):
    route = ctx.route
    if route.shape == "binary":
        return Binary(b"%PDF-1.4\n% Paycor sandbox document\n%%EOF\n", "application/pdf")
    if route.shape == "none":
        return Binary(b"Healthy", "text/plain")
    schema = route.record_schema
    gates = include_gates(route.doc, route, schema)
    if route.shape == "object":
        return Single(build_record(env.seed, ctx, schema, "object", None, gates))
    count = generic_count(env, ctx)
    make = lambda index: build_record(env.seed, ctx, schema, index, None, gates)  # noqa: E731
    if route.shape == "array":
        return Array([make(index) for index in range(count)])
    return Paged(LazyRecords(count, make), page_size_for(route.template))
