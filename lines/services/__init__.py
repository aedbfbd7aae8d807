"""Writes to lines, numbers and intelligence. Views, imports and tasks all come here,
so every path validates, audits and keeps the same rules (`lines.rules`).

- `records`: one record at a time, for the screens;
- `batch`: blocks of thousands, for the CSV imports.
"""

from .batch import line_number_upsert_many, line_upsert_many
from .records import (
    LINE_FIELDS,
    attribution_clash_message,
    intelligence_entry_add,
    line_close,
    line_create,
    line_create_with_number,
    line_number_attribute,
    line_number_end,
    line_update,
    phone_number_get_or_create,
)

__all__ = [
    "LINE_FIELDS",
    "attribution_clash_message",
    "intelligence_entry_add",
    "line_close",
    "line_create",
    "line_create_with_number",
    "line_number_attribute",
    "line_number_end",
    "line_number_upsert_many",
    "line_update",
    "line_upsert_many",
    "phone_number_get_or_create",
]
