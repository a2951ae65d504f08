"""A local HTTP server that behaves like Paycor's public API, over a generated deterministic company."""
from .faults import ALL_MODES, Faults
from .realism import ALL_DEVIATIONS, ANSWER_DEVIATIONS, EXTRA_FIELDS, UNLISTED_DEVIATIONS, Realism
from .sandbox import Call, Sandbox

__all__ = ["Sandbox", "Faults", "Call", "ALL_MODES", "Realism", "ALL_DEVIATIONS", "ANSWER_DEVIATIONS", "UNLISTED_DEVIATIONS", "EXTRA_FIELDS"]
