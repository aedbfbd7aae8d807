"""Attributions of numbers to lines by the block, and the numbers they bring.

The one batch write of records that is not on the shared engine (`records.upserts`),
because an attribution is not a record found by its reference:

- its key is a line, a number and a start date, and what a row may not do depends on
  the line's other attributions of the number (no two periods overlap, checked against
  the database and the earlier rows of the block, and refused by the database's
  exclusion constraint for what a concurrent writer slips in);
- the number in a row is text in any spelling: stored numbers are recognised by their
  digits, new ones are parsed (the costliest step of a row) and created in the block;
- an attribution has no reference of its own to key, load or audit it by, and what it
  writes beyond itself (the lines' numbers counts) is refreshed once a file.

The engine's keying, loading and diffing by reference fit none of that; what it shares
with the engine is below it (`core.bulk`, `core.batch`, `audit.services`, and
`watches.notify`: the watchers of the numbers and lines a block touches are told in one
query and one insert, as the engine's kinds do).
"""

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from audit.changes import changes
from audit.services import Action, AuditEntry, audit_events_record_many
from core.batch import BatchResult, Outcome, RecordsChanged, columns_in_error
from core.bulk import insert_rows, insert_rows_ignoring_conflicts, update_rows
from core.references import reference_key
from core.text import quoted
from watches.notify import record_mentions, watchers_notify

from ...models import Line, LineNumber, PhoneNumber
from ...phone import ParsedNumber, number_candidate, parse_number
from ...rules import (
    attribution_problems,
    overlap_message,
    periods_overlap,
)
from ..counts import numbers_counts_refresh

Row = Mapping[str, Any]
ATTRIBUTION_TYPE = LineNumber._meta.label_lower


@dataclass(eq=False)
class _Use:
    """An attribution as the block leaves it: loaded from the database or created by a row."""

    pk: int | None
    line_id: int
    e164: str
    attributed_from: datetime.date
    attributed_to: datetime.date | None
    stored_to: datetime.date | None = None  # the end in the database, for updates

    @property
    def saved_pk(self) -> int:
        """Its primary key, once it is written."""
        if self.pk is None:
            raise RuntimeError("an attribution not written yet")
        return self.pk

    def overlaps(self, start: datetime.date, end: datetime.date | None) -> bool:
        return periods_overlap(self.attributed_from, self.attributed_to, start, end)


@dataclass
class _Numbers:
    """The numbers a block spells, each worked out once: by spelling, its E.164 form (or
    why it is not a number); by E.164, its national form and its id once stored."""

    by_text: dict[str, str | ValidationError]
    national: dict[str, str]
    ids: dict[str, int]


def line_number_upsert_many(
    *,
    user: User | None,
    rows: Sequence[Row],
    audit_detail: Mapping[str, Any] | None = None,
    parse: Callable[[str], ParsedNumber] = parse_number,
    counts_refresh: Callable[[Iterable[int]], None] | None = None,
) -> BatchResult:
    """Create or update attributions of numbers to lines, keyed by line reference, number
    and start date.

    Each row holds `line_reference`, `number` (as typed, any spelling), `attributed_from`
    and, when the file has the column, `attributed_to`. A new period may not overlap
    another of the same number on the same line (stored, earlier in the file, or written
    by another transaction meanwhile: the database refuses it). `parse` is
    `lines.phone.parse_number`, or a cached version of it that lives as long as an import.
    `counts_refresh` is given the lines that got a number, to refresh their numbers
    count once its last block is written (an import); without it they are refreshed now.
    """
    result = BatchResult(size=len(rows))
    today = timezone.localdate()  # once a block, not a row
    # A row with cells in error (`RowInError`) may lack its number or line: it is
    # checked for what it has, never written.
    numbers = _numbers({row["number"] for row in rows if row["number"]}, parse)
    line_ids, references = _lines(
        {reference_key(row["line_reference"]) for row in rows if row["line_reference"]}
    )
    uses = _uses(set(line_ids.values()), numbers.ids)
    created: list[_Use] = []
    changed: dict[int, _Use] = {}
    audits: list[tuple[str, _Use, dict[str, Any]]] = []

    for index, row in enumerate(rows):
        start, end = row["attributed_from"], row.get("attributed_to")
        e164 = numbers.by_text[row["number"]] if row["number"] else None
        problems: dict[str, str] = {}
        if isinstance(e164, ValidationError):
            problems["number"] = e164.messages[0]
        problems |= attribution_problems(attributed_from=start, attributed_to=end, today=today)
        line_id = None
        if row["line_reference"]:
            line_id = line_ids.get(reference_key(row["line_reference"]))
            if line_id is None:
                problems["line_reference"] = (
                    f"No line has the reference {quoted(row['line_reference'])}, in the "
                    "database or in an earlier row of this file."
                )
        if problems or columns_in_error(row) or not isinstance(e164, str) or line_id is None:
            result.refuse_all(index, problems)
            result.set_aside(index)
            continue
        group = uses.setdefault((line_id, e164), [])
        use = next((use for use in group if use.attributed_from == start), None)
        if use is not None and ("attributed_to" not in row or use.attributed_to == end):
            result.record(index, Outcome.UNCHANGED)
            continue
        clash = next(
            (other for other in group if other is not use and other.overlaps(start, end)), None
        )
        if clash is not None:
            message = overlap_message(
                national=numbers.national[e164],
                line_reference=references[line_id],
                attributed_from=clash.attributed_from,
            )
            result.refuse(index, "attributed_to" if use else "attributed_from", message)
            continue
        if use is None:
            use = _Use(None, line_id, e164, start, end)
            group.append(use)
            created.append(use)
            audits.append((Action.CREATE, use, {}))
            result.record(index, Outcome.CREATED)
            continue
        difference = changes({"attributed_to": use.attributed_to}, {"attributed_to": end})
        use.attributed_to = end
        if use.pk is not None:
            changed[use.pk] = use
        audits.append((Action.UPDATE, use, {"changes": difference}))
        result.record(index, Outcome.UPDATED)

    _write_uses(created, list(changed.values()), numbers)
    watchers_notify(
        user=user,
        mentions=[
            mention
            for uses, is_new in ((created, True), (changed.values(), False))
            for use in uses
            for mention in record_mentions(
                LineNumber,
                use.saved_pk,
                {"line_id": use.line_id, "e164": use.e164},
                created=is_new,
            )
        ],
    )
    counted = {use.line_id for use in created}
    if counts_refresh is None:
        numbers_counts_refresh(line_ids=counted)
    else:
        counts_refresh(counted)
    audit_events_record_many(
        user=user,
        shared_detail=audit_detail,
        entries=(
            AuditEntry(
                action,
                ATTRIBUTION_TYPE,
                use.saved_pk,
                f"{numbers.national[use.e164]} on {references[use.line_id]} "
                f"from {use.attributed_from}",
                extra,
            )
            for action, use, extra in audits
        ),
    )
    return result


def _numbers(texts: set[str], parse: Callable[[str], ParsedNumber]) -> _Numbers:
    """Every spelling's number. A spelling that is a stored number written the usual way
    is recognised by its digits (`number_candidate`), with no need to parse it again:
    re-importing a file of known numbers costs one query instead of thousands of parses."""
    candidates = {text: number_candidate(text) for text in texts}
    numbers = _Numbers(by_text={}, national={}, ids={})
    _add_stored(numbers, {e164 for e164 in candidates.values() if e164})
    parsed_now = []
    for text, e164 in candidates.items():
        if e164 in numbers.ids:
            numbers.by_text[text] = e164
            continue
        try:
            parsed = parse(text)
        except ValidationError as error:
            numbers.by_text[text] = error
            continue
        numbers.by_text[text] = parsed.e164
        if parsed.e164 not in numbers.national:
            numbers.national[parsed.e164] = parsed.national
            parsed_now.append(parsed.e164)
    _add_stored(numbers, set(parsed_now))  # stored, but spelled in an unusual way
    return numbers


def _add_stored(numbers: _Numbers, e164s: set[str]) -> None:
    if not e164s:
        return
    stored = PhoneNumber.objects.filter(e164__any=e164s).order_by()
    for e164, pk, national in stored.values_list("e164", "pk", "national"):
        numbers.ids[e164] = pk
        numbers.national[e164] = national


def _lines(keys: set[str]) -> tuple[dict[str, int], dict[int, str]]:
    """The lines with these reference keys: their ids by key, their references by id."""
    lines = Line.objects.filter(reference_key__any=keys).order_by()
    ids, references = {}, {}
    for key, pk, reference in lines.values_list("reference_key", "pk", "reference"):
        ids[key] = pk
        references[pk] = reference
    return ids, references


def _uses(line_ids: set[int], number_ids: dict[str, int]) -> dict[tuple, list[_Use]]:
    """The stored attributions of these numbers to these lines, by (line id, e164)."""
    uses: dict[tuple, list[_Use]] = {}
    if not line_ids or not number_ids:
        return uses
    e164s = {pk: e164 for e164, pk in number_ids.items()}
    stored = (
        LineNumber.objects.filter(line_id__any=line_ids, number_id__any=e164s)
        .order_by()
        .values_list("pk", "line_id", "number_id", "attributed_from", "attributed_to")
    )
    for pk, line_id, number_id, start, end in stored:
        e164 = e164s[number_id]
        uses.setdefault((line_id, e164), []).append(_Use(pk, line_id, e164, start, end, end))
    return uses


def _write_uses(created: list[_Use], changed: list[_Use], numbers: _Numbers) -> None:
    _store_numbers(numbers, {use.e164 for use in created} - numbers.ids.keys())
    # Shortened periods first, then lengthened ones, then new ones: the database checks
    # every row for overlaps as it is written, and the file's order is valid only as a whole.
    shortened = [use for use in changed if _ends_earlier(use.attributed_to, use.stored_to)]
    lengthened = [use for use in changed if not _ends_earlier(use.attributed_to, use.stored_to)]
    for group in (shortened, lengthened):
        updated = update_rows(
            LineNumber,
            ("attributed_to",),
            [(use.pk, use.stored_to, use.attributed_to) for use in group],
            expected=("attributed_to",),
        )
        if updated != len(group):
            raise RecordsChanged(
                "Some of these attributions were changed by someone else while the file was "
                "being imported."
            )
    ids = insert_rows(
        LineNumber,
        ("line", "number", "attributed_from", "attributed_to"),
        [
            (use.line_id, numbers.ids[use.e164], use.attributed_from, use.attributed_to)
            for use in created
        ],
        returning_ids=True,
    )
    for use, pk in zip(created, ids, strict=True):
        use.pk = pk


def _ends_earlier(end: datetime.date | None, than: datetime.date | None) -> bool:
    if end is None:
        return False
    return than is None or end < than


def _store_numbers(numbers: _Numbers, e164s: set[str]) -> None:
    """Store these new numbers and note their ids."""
    if not e164s:
        return
    stored = insert_rows_ignoring_conflicts(
        PhoneNumber,
        ("e164", "national"),
        [(e164, numbers.national[e164]) for e164 in e164s],
        returning=("e164", "id"),
    )
    numbers.ids.update(stored)
    # Another import may have stored some of them a moment ago: theirs are ours too.
    _add_stored(numbers, e164s - numbers.ids.keys())
