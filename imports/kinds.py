"""What a kind of CSV file declares, and the registry the command and the upload page share.

A kind says which columns it reads (`Column`: header name, required or not, and a
parser from the cell's text to a value), its natural key, and how one parsed row
is written (`ImportKind.apply`, which calls the owning app's write services so that
imports keep the same rules as the screens). Everything else (decoding, header
matching, streaming, all-or-nothing, counting and error lines) is the runner's,
in `imports.runner`, so no kind can get it subtly different.

Kinds live next to their app in `<app>/importers.py` and register themselves with
`@register`; `ImportsConfig.ready()` imports every installed app's `importers`
module (as the admin does with `admin.py`), so adding a kind touches only its app.
"""

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

Row = Mapping[str, Any]


def parse_text(text: str) -> str:
    """The default parser: the cell as written (already trimmed by the runner)."""
    return text


@dataclass(frozen=True)
class Column:
    """One column of a kind: its header name, whether a value is required, its parser.

    `parse` receives the trimmed, non-empty cell text and returns the value, or raises
    django.core.exceptions.ValidationError with a message for a person to act on.
    An empty cell never reaches it: it means None (or is an error when `required`).
    """

    name: str
    required: bool = False
    parse: Callable[[str], Any] = parse_text
    help_text: str = ""


class Outcome(enum.Enum):
    """What applying one row did; the runner counts them for the summary line."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


class ImportKind:
    """Base class of a kind of CSV file. One instance serves one import run.

    Because an instance lives for exactly one run, it is the run's context: the
    acting user (None for the command) and any reference-data look-ups, which
    subclasses build lazily (e.g. with `functools.cached_property`) so that they
    cost one query per import and none when the upload page only lists columns.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str] = ""
    key: ClassVar[tuple[str, ...]]
    # Model fields whose errors belong to a column of a different name.
    field_columns: ClassVar[dict[str, str]] = {}

    def __init__(self, *, user=None) -> None:
        self.user = user

    @property
    def columns(self) -> tuple[Column, ...]:
        raise NotImplementedError

    def apply(self, row: Row) -> Outcome:
        """Create, update or leave unchanged (or skip) the record of one valid row.

        `row` maps each column of the file to its parsed value (None when the cell is
        empty). An optional column the file does not have is not in `row` at all: on
        update, leave what it holds alone (a file without `closed_on` reopens nothing).
        Raise ValidationError, keyed by column or model field name, for a row the
        database refuses (unknown reference, overlapping period...). The runner
        runs every row inside one transaction, so a row may refer to a record an
        earlier row of the same file wrote.
        """
        raise NotImplementedError

    def column_for(self, field: str) -> str:
        """The column an error on model field `field` is reported against."""
        names = {column.name for column in self.columns}
        if field in names:
            return field
        return self.field_columns.get(field, self.key[0])


class UnknownKind(LookupError):
    def __init__(self, name: str) -> None:
        self.name = name
        known = ", ".join(kind_names()) or "none"
        super().__init__(f"Unknown KIND “{name}”. The known kinds are: {known}.")


_REGISTRY: dict[str, type[ImportKind]] = {}


def register(kind: type[ImportKind]) -> type[ImportKind]:
    """Class decorator: makes `kind` available to `import_csv` and the upload page."""
    existing = _REGISTRY.get(kind.name)
    if existing is not None and existing is not kind:
        raise ValueError(f"Two import kinds are called {kind.name!r}: {existing} and {kind}.")
    _REGISTRY[kind.name] = kind
    return kind


def get_kind(name: str) -> type[ImportKind]:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownKind(name) from None


def kind_names() -> list[str]:
    """Registered kinds, in registration order (the order of INSTALLED_APPS)."""
    return list(_REGISTRY)


def registered_kinds() -> list[type[ImportKind]]:
    return list(_REGISTRY.values())
