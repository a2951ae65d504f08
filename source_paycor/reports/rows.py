"""Report rows → records keyed by column name, whatever shape Paycor sends them in.

A row of a data set's `data` may be an object keyed by `fieldId` (the document's example), an object keyed by
`displayName`, or an array of values in header order. Keys are matched case-insensitively (a PascalCase
answer changes them); a display name that two headers share matches neither (its field ids or the array
position tell them apart). What matches no header is kept under its camelCase key (the shaper names it
once as undeclared); an array longer than the headers has its extra values counted, not emitted.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence, Tuple

from ..shaping import camel
from .columns import Column


class RowReader:
    """Reads the rows of data sets that share one list of headers."""

    __slots__ = ("names", "by_key", "width", "surplus", "not_rows")

    def __init__(self, columns: Sequence[Column]) -> None:
        self.names: Tuple[str, ...] = tuple(column.name for column in columns)
        self.width = len(self.names)
        by_key: Dict[str, str] = {}
        displays: Dict[str, int] = {}
        for column in columns:
            if column.display_name:
                displays[column.display_name.lower()] = displays.get(column.display_name.lower(), 0) + 1
        for column in columns:
            if column.display_name and displays[column.display_name.lower()] == 1:
                by_key.setdefault(column.display_name.lower(), column.name)
        for column in columns:  # field ids win over display names
            if column.field_id:
                by_key[column.field_id.lower()] = column.name
        self.by_key = by_key
        # Values beyond the headers in array rows, and rows that are neither objects nor arrays.
        self.surplus = 0
        self.not_rows = 0

    def record(self, row: Any) -> Optional[Dict[str, Any]]:
        """A row as a record keyed by column name, every column present (null when the row lacks it); None for
        a row that is neither an object nor an array (counted)."""
        if isinstance(row, list):
            if len(row) > self.width:
                self.surplus += len(row) - self.width
            out = dict(zip(self.names, row, strict=False))  # a short row is padded below, a long one cut
            if len(row) < self.width:
                for name in self.names[len(row) :]:
                    out[name] = None
            return out
        if not isinstance(row, dict):
            self.not_rows += 1
            return None
        out = dict.fromkeys(self.names)
        by_key = self.by_key
        for key, value in row.items():
            column = by_key.get(key.lower()) if isinstance(key, str) else None
            out[column if column is not None else camel(str(key))] = value
        return out
