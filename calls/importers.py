"""CSV kind `calls`: a disclosure's call data records (interfaces.md §6).

Files of millions of rows are normal, so the kind reads its rows itself
(`ImportKind.read_rows`) in one tight loop per block: per row two cached number
look-ups, a time parse and a few checks, and on PostgreSQL the row's line of COPY
text; the block is then written in a few statements (calls/services/call_rows.py).

The rules of each cell:
- `source`: the reference of a source recorded before (`call_source_create`, the
  Sources page), in any case; an unknown one is an error, as unknown reference data is.
- `from_number`, `to_number`: any spelling of a number the lines accept, stored in
  E.164; `withheld` (in any case, stored lower case) and short codes of 3–6 digits are
  kept as written (they are never subscribers).
- `started_at`: ISO 8601 with its offset or `Z`, stored as the instant it names.
- `kind`: call, sms or mms, in any case.
- `duration_seconds`: a whole number of seconds ≥ 0 for a call, or empty. A message has
  no duration: its cell is empty or 0 (what billing systems write), any other is an error.
- `imei` 14–16 digits, `imsi` 6–15 digits, `cell_id` up to 40 characters.

A row repeated in a file (the same key) is written once, as its last occurrence says;
the others count as unchanged. The import is audited once, naming each source with its
counts; the watchers of a subscriber number new rows mention are told once per import.
"""

import datetime
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from accounts.permissions import Capability
from core.references import reference_key
from imports.kinds import BatchResult, Column, ImportKind, Outcome, register
from imports.reading import REQUIRED_CELL_EMPTY, control_character
from lines.phone import parse_number
from watches.notify import Mention, watchers_notify
from watches.things import number_thing

from .columns import FILE_COLUMNS, REQUIRED_COLUMNS
from .models import EventKind, Source
from .services.call_rows import (
    CallRow,
    SourceCounts,
    call_rows_write,
    call_rows_writing_begin,
    call_rows_writing_end,
    staged_text,
)
from .services.sources import source_counts_add

# Distinct numbers remembered per import (as the lines import does): a disclosure
# spells its few hundred numbers again and again.
NUMBER_CACHE_SIZE = 50_000
WITHHELD = "withheld"
SHORT_CODE_DIGITS = range(3, 7)
IMEI_DIGITS = range(14, 17)
IMSI_DIGITS = range(6, 16)
CELL_ID_LENGTH = 40
MAX_DURATION = 2**31 - 1  # the column's
KINDS = frozenset(EventKind.values)
MESSAGE_DURATION = "A message has no duration: leave the cell empty (or 0) for an SMS or MMS."
WATCH_EVENT = "In call data"


@dataclass
class CallRows:
    """A block as read: its rows (SQLite) or their COPY text (PostgreSQL), one per key."""

    rows: list[CallRow] = field(default_factory=list)
    copy_text: str = ""
    count: int = 0
    repeated: int = 0  # rows whose key an earlier row of the block had
    sources: set[int] = field(default_factory=set)
    # The first and last started_at of its rows (UTC, as stored): the period its
    # look-ups are confined to.
    first: str = "9999"
    last: str = ""


def _digits(text: str, lengths: range, what: str) -> str:
    if text.isascii() and text.isdigit() and len(text) in lengths:
        return text
    raise ValidationError(
        f"“{text}” is not an {what}: it has {lengths.start}–{lengths.stop - 1} digits "
        "and nothing else."
    )


class _ReadAgain(Exception):
    """A row the fast path leaves to be read cell by cell."""


# Every spelling of a kind, in any case, to the kind.
KIND_SPELLINGS = {
    "".join(letters): kind
    for kind in EventKind.values
    for letters in itertools.product(*((c, c.upper()) for c in kind))
}


def parse_party(text: str) -> str:
    """A party as stored: E.164, or `withheld` or a short code kept as written."""
    text = text.strip()
    if not text:
        raise ValidationError(REQUIRED_CELL_EMPTY)
    if text.casefold() == WITHHELD:
        return WITHHELD
    if text.isascii() and text.isdigit() and len(text) in SHORT_CODE_DIGITS:
        return text
    return parse_number(text).e164


def _instant(text: str) -> str:
    """`parse_started_at` for the usual spellings (`2026-03-02T09:00:00Z`) without its
    general path; ValueError or ValidationError for anything it does not take."""
    moment = datetime.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(text)
    if len(text) == 20 and text[19] == "Z" and text[10] == "T":
        return f"{text[:10]} {text[11:19]}"
    return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")


def parse_started_at(text: str) -> str:
    """The instant, in UTC, as the database's text (`2026-03-02 09:00:00`)."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            f"“{text}” is not a date and time: write it in ISO 8601 with its offset, "
            "like 2026-03-02T09:00:00Z or 2026-03-02T10:00:00+01:00."
        ) from None
    if moment.tzinfo is None:
        raise ValidationError(
            f"“{text}” has no offset from UTC, so the moment it names is unknown: add it, "
            "like 2026-03-02T09:00:00Z or 2026-03-02T10:00:00+01:00."
        )
    return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")


@register
class CallsImport(ImportKind):
    name = "calls"
    title = "Call data"
    description = (
        "Phone billing / call data records of a disclosure recorded first as a source, "
        "keyed by source, from, to, start time and kind."
    )
    key = ("source", "from_number", "to_number", "started_at", "kind")
    capability = Capability.CHANGE_CALL_DATA
    noun = "call data row"
    reads_rows = True
    large_files = True  # a disclosure's year of billing is hundreds of MB
    # Few statements per block whatever its size, and a block of rows is a few MB.
    block_size = 20_000

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        help_texts = {
            "source": "a source's reference",
            "from_number": "any spelling, withheld or a short code",
            "to_number": "any spelling, withheld or a short code",
            "started_at": "ISO 8601 with offset, e.g. 2026-03-02T09:00:00Z",
            "kind": "call, sms or mms",
            "duration_seconds": "whole seconds; empty for messages",
            "imei": "14–16 digits, of the from party's handset",
            "imsi": "6–15 digits",
            "cell_id": f"up to {CELL_ID_LENGTH} characters",
        }
        return tuple(
            Column(name, required=name in REQUIRED_COLUMNS, help_text=help_texts[name])
            for name in FILE_COLUMNS
        )

    @cached_property
    def sources(self) -> dict[str, int]:
        """Each source's id by its reference's key (sources are few: loaded once)."""
        return {
            reference_key(reference): pk
            for pk, reference in Source.objects.values_list("pk", "reference")
        }

    @cached_property
    def sources_closed(self) -> dict[str, str]:
        """Why a source's rows may be held no more, by its reference's key: purged, or past
        its retention date (rows imported then would be kept for ever: the purge passes
        each source once)."""
        today = timezone.localdate()
        closed = {}
        for reference, retain_until, purged_at in Source.objects.filter(
            Q(purged_at__isnull=False) | Q(retain_until__lt=today)
        ).values_list("reference", "retain_until", "purged_at"):
            closed[reference_key(reference)] = (
                f"The source “{reference}” was purged on "
                f"{timezone.localtime(purged_at):%-d %B %Y}: its rows are held no more"
                if purged_at is not None
                else f"The source “{reference}” is past its retention date "
                f"({retain_until:%-d %B %Y}): its rows are held no more"
            )
        return closed

    @cached_property
    def sources_empty(self) -> set[int]:
        """The sources that held no rows when the import began (their blocks are
        written inserting first: calls.services.call_rows)."""
        return set(Source.objects.filter(events=0).values_list("pk", flat=True))

    @cached_property
    def source_ids(self) -> dict[str, int]:
        """Each source's id by the cell's text as the file spells it (the fast path's)."""
        return {}

    @cached_property
    def party(self) -> Callable[[str], str]:
        return lru_cache(maxsize=NUMBER_CACHE_SIZE)(parse_party)

    @cached_property
    def counts(self) -> dict[int, SourceCounts]:
        """What the import did to each source's rows, by source id."""
        return {}

    @cached_property
    def notified(self) -> set[str]:
        """The watched numbers whose watchers have been told of this import."""
        return set()

    def prepare(self) -> None:
        call_rows_writing_begin()  # one writer of call rows at a time (calls/locks.py)
        self.sources, self.sources_empty, self.sources_closed  # noqa: B018  (loaded here)
        self.copy_text = connection.vendor == "postgresql"

    def read_rows(
        self,
        records: Sequence[tuple[int, list[str]]],
        positions: Mapping[str, int | None],
        problem: Callable[[int, str, str], None],
    ) -> CallRows:
        """Each row read by a fast path that takes the usual cells as they come (no
        trimming, cached look-ups, exact spellings); anything else (a cell to trim, an
        unknown source, a value in error) is read again by `_row`, cell by cell, which
        applies the same rules and reports every problem of the row."""
        # The key's columns are required: the runner refused a file without one.
        source_at, from_at, to_at, started_at, kind_at = (int(positions[n] or 0) for n in self.key)
        duration_at, imei_at, imsi_at, cell_at = (
            positions[name] for name in ("duration_seconds", "imei", "imsi", "cell_id")
        )
        width = 1 + max(index for index in positions.values() if index is not None)
        source_ids, party, copy_text = self.source_ids, self.party, self.copy_text
        kept: dict[tuple, Any] = {}
        block = CallRows(count=len(records))
        for line, cells in records:
            try:
                if len(cells) < width:
                    raise _ReadAgain
                source_id = source_ids[cells[source_at]]
                from_number = party(cells[from_at])
                to_number = party(cells[to_at])
                started = _instant(cells[started_at])
                kind = KIND_SPELLINGS[cells[kind_at]]
                duration = imei = imsi = cell = None
                if duration_at is not None and (text := cells[duration_at]):
                    if kind != "call" or not (text.isascii() and text.isdigit()):
                        raise _ReadAgain
                    duration = int(text)
                    if duration > MAX_DURATION:
                        raise _ReadAgain
                if imei_at is not None and (text := cells[imei_at]):
                    if not (text.isascii() and text.isdigit() and len(text) in IMEI_DIGITS):
                        raise _ReadAgain
                    imei = text
                if imsi_at is not None and (text := cells[imsi_at]):
                    if not (text.isascii() and text.isdigit() and len(text) in IMSI_DIGITS):
                        raise _ReadAgain
                    imsi = text
                if cell_at is not None and (text := cells[cell_at]):
                    if not (text.isascii() and text.isprintable() and len(text) <= CELL_ID_LENGTH):
                        raise _ReadAgain
                    if text[0] == " " or text[-1] == " ":
                        raise _ReadAgain
                    cell = text
                row: CallRow = (
                    source_id,
                    from_number,
                    to_number,
                    started,
                    kind,
                    duration,
                    imei,
                    imsi,
                    cell,
                )
            except (_ReadAgain, KeyError, ValueError, ValidationError):
                # ValueError: a time that is not one (ValidationError is one).
                read = self._row(line, cells, positions, width, problem)
                if read is None:
                    continue
                row = read
            key = row[:5]
            block.sources.add(row[0])
            started = row[3]
            if started < block.first:
                block.first = started
            if started > block.last:
                block.last = started
            if key in kept:
                block.repeated += 1
            kept[key] = staged_text(row=row) if copy_text else row
        if copy_text:
            block.copy_text = "\n".join(kept.values())
        else:
            block.rows = list(kept.values())
        return block

    def _row(
        self,
        line: int,
        cells: list[str],
        positions: Mapping[str, int | None],
        width: int,
        problem: Callable[[int, str, str], None],
    ) -> CallRow | None:
        """One row read cell by cell, every problem reported; None when it has any."""
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        failed = False
        values: list[Any] = []
        for column in self.key:
            text = cells[int(positions[column] or 0)].strip()
            if not text:
                problem(line, column, REQUIRED_CELL_EMPTY)
                failed = True
                values.append(None)
                continue
            try:
                values.append(self._key_value(column, text))
            except ValidationError as error:
                problem(line, column, " ".join(error.messages))
                failed = True
                values.append(None)
        kind = values[4]
        for column in ("duration_seconds", "imei", "imsi", "cell_id"):
            index = positions[column]
            text = cells[index].strip() if index is not None else ""
            if not text:
                values.append(None)
                continue
            try:
                values.append(self._detail(column, text, kind))
            except ValidationError as error:
                problem(line, column, " ".join(error.messages))
                failed = True
        return None if failed else cast(CallRow, tuple(values))

    def _key_value(self, column: str, text: str) -> Any:
        if column == "source":
            source_id = self.sources.get(reference_key(text))
            if source_id is None:
                raise ValidationError(
                    f"No source has the reference “{text}”. Record the source first "
                    "(call_source_create or the Sources page)."
                )
            closed = self.sources_closed.get(reference_key(text))
            if closed is not None:  # never in source_ids: each row of it comes here
                raise ValidationError(closed)
            self.source_ids[text] = source_id  # this spelling, trimmed, next time
            return source_id
        if column == "started_at":
            return parse_started_at(text)
        if column == "kind":
            kind = text.lower()
            if kind not in KINDS:
                raise ValidationError(f"“{text}” is not a kind of event: write call, sms or mms.")
            return kind
        return self.party(text)

    def _detail(self, column: str, text: str, kind: str | None) -> Any:
        """The value of an optional cell (not empty)."""
        if column == "duration_seconds":
            if kind is not None and kind != EventKind.CALL:
                if text == "0":
                    return None
                raise ValidationError(MESSAGE_DURATION)
            if not (text.isascii() and text.isdigit()) or int(text) > MAX_DURATION:
                raise ValidationError(f"“{text}” is not a whole number of seconds (0 or more).")
            return int(text)
        if column == "imei":
            return _digits(text, IMEI_DIGITS, "IMEI")
        if column == "imsi":
            return _digits(text, IMSI_DIGITS, "IMSI")
        control = control_character(text)
        if control:
            raise ValidationError(control)
        if len(text) > CELL_ID_LENGTH:
            raise ValidationError(f"A cell id has at most {CELL_ID_LENGTH} characters.")
        return text

    def write(self, rows: CallRows) -> BatchResult:  # type: ignore[override]
        result = BatchResult(size=rows.count)
        if not rows.sources:  # every row in error
            return result
        written = call_rows_write(
            rows=rows.rows,
            copy_text=rows.copy_text,
            count=rows.count - rows.repeated,
            period=(rows.first, rows.last),
            held_before=not rows.sources <= self.sources_empty,
        )
        result.add(Outcome.CREATED, written.created)
        result.add(Outcome.UPDATED, written.updated)
        result.add(Outcome.UNCHANGED, written.unchanged + rows.repeated)
        for source_id, counts in written.by_source.items():
            self.counts.setdefault(source_id, SourceCounts()).add(counts)
        self._watchers_notify(written.watched)
        return result

    def _watchers_notify(self, watched: set[tuple[int, str]]) -> None:
        """Tell the watchers of numbers new rows mention, once per number per import."""
        mentions = [
            Mention(number_thing(number), "calls.source", source_id, WATCH_EVENT)
            for source_id, number in sorted(watched)
            if number not in self.notified
        ]
        if mentions:
            self.notified.update(number for _source_id, number in watched)
            watchers_notify(user=self.user, mentions=mentions)

    def finish(self) -> None:
        call_rows_writing_end()  # the import's ContactMonth counts
        for source_id, counts in self.counts.items():
            source_counts_add(source_id=source_id, counts=counts)

    def import_audit_detail(self) -> dict[str, Any]:
        references = dict(Source.objects.filter(pk__in=self.counts).values_list("pk", "reference"))
        return {
            "sources": [
                {
                    "id": source_id,
                    "reference": references.get(source_id, ""),
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.rows - counts.created - counts.updated,
                }
                for source_id, counts in sorted(self.counts.items())
            ]
        }
