"""What a kind of CSV file declares, and the registry the command and the upload page share.

A kind is one small class (see `lines/importers.py`):

- `columns`: each column's header name, whether a value is required, and a parser
  from the cell's text to a value (`Column`);
- `key`: the columns of its natural key;
- `capability`: what a user must be allowed to do to import it (the `change_…`
  capability of the app that owns the records);
- `write(rows)`: one call to the owning app's batch service (`line_upsert_many`, …),
  which validates and writes a block of parsed rows and returns a `BatchResult`.

A kind whose files run to millions of simple rows may read its rows itself instead
(`reads_rows`, `read_rows`): see `ImportKind.read_rows`.

Everything else (decoding, header matching, streaming, blocks, all-or-nothing,
counting and error lines, progress, audit of the import) is the runner's, in
`imports.runner`, so no kind can get it subtly different; the rules are the
service's, so an import cannot drift from the screens.

Kinds live next to their app in `<app>/importers.py` and register themselves with
`@register`; `ImportsConfig.ready()` imports every installed app's `importers`
module (as the admin does with `admin.py`), so adding a kind touches only its app.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings

from accounts.permissions import Capability, user_can
from core.batch import BatchResult, Outcome
from core.references import normalise_reference, reference_key

from .parsers import max_length, split_values

__all__ = [
    "BatchResult",
    "Column",
    "ImportKind",
    "Outcome",
    "Row",
    "reference_column",
    "register",
]

Row = Mapping[str, Any]
# Rows handed to a kind's `write` at a time: large enough that the statements per
# block are few against the rows, small enough that a block's memory is a few MB.
BLOCK_SIZE = 2000


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


def reference_column(model, name: str = "reference", *, required: bool = True) -> Column:
    """A column holding a reference (`core.references`): the record's own (as long as
    `model` allows) or, named like `person_reference`, another record's."""
    limit = model._meta.get_field("reference").max_length

    def parse(text: str) -> str:
        return max_length(limit)(normalise_reference(text))

    return Column(name, required=required, parse=parse)


def reference_list_column(model, name: str, *, required: bool = False) -> Column:
    """A column naming several records of `model` by reference, separated by `;`
    (`CL-1; CL-2`): a tuple of normalised references, repeats dropped."""
    limit = model._meta.get_field("reference").max_length

    def parse(text: str) -> tuple[str, ...]:
        references = []
        for item in split_values(text):
            reference = max_length(limit)(normalise_reference(item))
            if reference_key(reference) not in {reference_key(seen) for seen in references}:
                references.append(reference)
        return tuple(references)

    return Column(name, required=required, parse=parse)


class ImportKind:
    """Base class of a kind of CSV file. One instance serves one import run.

    Because an instance lives for exactly one run, it is the run's context: the acting
    user (None for the command), the audit detail every record's event carries (the
    import's id), and the caches of its parsers (reference-data look-ups, phone
    numbers), which subclasses build lazily (e.g. with `functools.cached_property`)
    so that they cost one query per import and none when the upload page only lists
    columns. Caches must be bounded (`functools.lru_cache(maxsize=…)`): memory may not
    grow with the file.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str] = ""
    key: ClassVar[tuple[str, ...]]
    capability: ClassVar[Capability]
    # A record of the kind, in words, and the page that lists them (for the job page).
    noun: ClassVar[str] = "record"
    records_url_name: ClassVar[str] = ""
    # Model fields whose errors belong to a column of a different name.
    field_columns: ClassVar[dict[str, str]] = {}
    # What it means when the database refuses a block because of one of these constraints
    # (another transaction wrote a clashing record while the file was being imported).
    constraint_messages: ClassVar[dict[str, str]] = {}
    block_size: ClassVar[int] = BLOCK_SIZE
    # Whether the kind reads a block's cells itself (`read_rows`) rather than through its
    # columns' parsers, one call per cell.
    reads_rows: ClassVar[bool] = False
    # Whether its files may be uploaded up to IMPORT_MAX_LARGE_UPLOAD_BYTES, on a page of
    # their own, rather than IMPORT_MAX_UPLOAD_BYTES (imports.uploads).
    large_files: ClassVar[bool] = False

    def __init__(self, *, user=None, audit_detail: Mapping[str, Any] | None = None) -> None:
        self.user = user
        self.audit_detail = dict(audit_detail or {})

    @property
    def columns(self) -> tuple[Column, ...]:
        raise NotImplementedError

    def prepare(self) -> None:
        """Load what the column parsers need (reference data, say) before reading starts.

        The parsers run on the import's reading thread (imports.reading), where the
        database may not be used; this runs first, on the importing thread."""

    def write(self, rows: Sequence[Row]) -> BatchResult:
        """Validate and write a block of rows, in file order, through the app's batch service.

        Each row maps each column of the file to its parsed value (None when the cell is
        empty). An optional column the file does not have is not in the row at all: on
        update, leave what it holds alone (a file without `closed_on` reopens nothing).
        Rows refused by a rule are reported in the result, keyed by column or model
        field name, never raised. Every block runs in the import's one transaction, so
        a row may refer to a record an earlier block wrote; references to earlier rows
        of the same block are the service's to resolve. A row some of whose cells could
        not be read comes as a `core.batch.RowInError` (those cells None): the service
        checks the rest of it, so that one pass reports all its problems, and never
        writes it (`records.upserts` and the attributions' batch do both).
        """
        raise NotImplementedError

    def read_rows(
        self,
        records: Sequence[tuple[int, list[str]]],
        positions: Mapping[str, int | None],
        problem: Callable[[int, str, str], None],
    ) -> Any:
        """For a kind with `reads_rows`: a block's records, (line, cells) as the file has
        them, into what `write` takes (a tuple per row, say), in a tight loop of its own.

        For files of millions of rows where a parser call per cell, a dict per row and a
        `BatchResult` entry per row would cost more than writing them. `positions` gives
        each column's index in the cells (None: the file does not have it). The kind does
        what the runner's cell parsing otherwise does: trims cells, refuses an empty
        required one (`REQUIRED_CELL_EMPTY`), a control character, a value its column
        does not allow, each with `problem(line, column, message)`, and leaves out the
        rows in error. It runs on the reading thread (no database: see `prepare`).
        `write` then receives what this returns and reports its counts in bulk
        (`BatchResult.add`); problems it finds must be reported here, by line.
        """
        raise NotImplementedError

    def finish(self) -> None:
        """Once every block is written (in the same transaction, dry runs included):
        what is cheaper done once for the whole file than per block (a count kept on
        the records the file touched). By default nothing."""

    def import_audit_detail(self) -> dict[str, Any]:
        """What the import's one audit event says besides the file and the counts, once
        every block is written: the records the file was about (a call data file's
        sources, with what it did to each). By default nothing."""
        return {}

    def skips(self, cells: Mapping[str, str]) -> bool:
        """Whether a row, given its cells' text by column name, is skipped unread (counted
        as skipped, never an error). By default no row is."""
        return False

    def column_for(self, field: str) -> str:
        """The column an error on model field `field` is reported against."""
        names = {column.name for column in self.columns}
        if field in names:
            return field
        return self.field_columns.get(field, self.key[0])

    @classmethod
    def upload_limit(cls) -> int:
        """The largest file of the kind the upload page takes, in bytes."""
        if cls.large_files:
            return settings.IMPORT_MAX_LARGE_UPLOAD_BYTES
        return settings.IMPORT_MAX_UPLOAD_BYTES

    @classmethod
    def allows(cls, user) -> bool:
        """Whether `user` may import this kind (None: the command, run on the server)."""
        return user is None or user_can(user, cls.capability)


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


def kinds_for(user) -> list[type[ImportKind]]:
    """The kinds `user` may import."""
    return [kind for kind in _REGISTRY.values() if kind.allows(user)]


def kind_named_by(header: set[str], *, other_than: str) -> type[ImportKind] | None:
    """Another kind whose required columns the header (casefolded names) all has: the
    file is most likely of that kind."""
    for kind in _REGISTRY.values():
        if kind.name == other_than:
            continue
        required = {column.name.casefold() for column in kind().columns if column.required}
        if required and required <= header:
            return kind
    return None


def counted(number: int, noun: str) -> str:
    """`1 line`, `3 lines`."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
