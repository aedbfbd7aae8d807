"""Successor candidates: the numbers that may have taken over from a line's numbers once
they went quiet ("the line swapped handsets").

A deal line keeps its customers when it changes number: the new number texts and calls
the same people within days, often from the same handset. So a candidate is a number
first active after the line's last activity (or a few days before: the swap may overlap),
ranked by how much of the line's customer base (its subscriber contacts in its last
weeks) it reached in its own first weeks, whether it used a handset the line's numbers
used, and how soon it started. The score only orders them: the evidence is always shown.
"""

import datetime
import hashlib
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db.models import Max, Min

from core.partitions import month_add, month_of
from lines.models import Line
from lines.selectors import lines_numbers, numbers_attributions

from ..models import CallEvent, ContactMonth
from ..versions import call_data_version
from .pairs import Period as _Period
from .pairs import SourceRef, month_end, sources_drawn, sources_named
from .pairs import day_start as _day_start

# The line's customers: its subscriber contacts in its last weeks of activity.
CUSTOMER_WEEKS = 4
# A candidate's reach: the customers it was in contact with in its first weeks.
FIRST_WEEKS = 4
# How long after the line went quiet a number may start and still be a candidate, and how
# long before (two handsets used side by side for a day or two).
AFTER_DAYS = 90
OVERLAP_DAYS = 3
# The score's weights (they add up to 1).
REACH_WEIGHT = 0.6
HANDSET_WEIGHT = 0.3
PROMPTNESS_WEIGHT = 0.1
DEFAULT_LIMIT = 10
# How long a line's candidates are kept in the cache: entries of a version since raised
# are never read again, so this only bounds the memory they hold.
CACHE_SECONDS = 6 * 60 * 60
# The customers' contacts are read from this many months before the line went quiet, so
# that those already known to them are set aside at once.
LOOK_BACK_MONTHS = 2


@dataclass(frozen=True)
class Evidence:
    shared_contacts: int  # the line's customers it reached in its first weeks
    customers: int  # the line's customers in all
    same_handset: bool
    handsets: tuple[str, ...]  # the IMEIs it shares with the line's numbers
    first_seen: datetime.datetime
    days_after: float  # after the line's last activity (negative: before it)
    lines: tuple[str, ...]  # other lines it is attributed to, by reference

    @property
    def reach(self) -> float:
        return self.shared_contacts / self.customers if self.customers else 0.0


@dataclass(frozen=True)
class Candidate:
    number: str
    score: float  # 0–1, to order them
    evidence: Evidence


@dataclass(frozen=True)
class SuccessorCandidates:
    line_reference: str
    numbers: tuple[str, ...]  # the line's numbers
    last_active: datetime.datetime | None  # the line's numbers' last event
    customers: tuple[str, ...]  # its subscriber contacts in its last weeks
    candidates: tuple[Candidate, ...]  # best first
    sources: tuple[SourceRef, ...]


def successor_candidates(line: Line, *, limit: int = DEFAULT_LIMIT) -> SuccessorCandidates:
    """Numbers that may have taken over from `line`'s numbers, best first, `limit` at most.

    Reads ContactMonth for the customers and the reach, and the rows (bounded to the
    months concerned) for the handsets: a bounded number of queries whatever the data."""
    old = tuple(lines_numbers(lines=[line]))
    return _lines_named(_from_call_data(old, limit=limit), line)


def successor_candidates_cached(line: Line, *, limit: int = DEFAULT_LIMIT) -> SuccessorCandidates:
    """`successor_candidates`, the part read from the call data kept in the cache under
    the call data's version (calls/versions.py) and the line's numbers: an import, a
    purge or a number attributed to the line or ended makes it read afresh. What can
    change without either (the other lines a candidate is attributed to, the sources'
    references) is read anew each time, in two queries."""
    version = call_data_version()  # before the data, so a change since is never hidden
    old = tuple(lines_numbers(lines=[line]))
    numbers_key = hashlib.sha256(",".join(old).encode()).hexdigest()
    key = f"calls:successors:{version}:{limit}:{numbers_key}"
    found = cache.get(key)
    if found is None:
        found = _from_call_data(old, limit=limit)
        cache.set(key, found, CACHE_SECONDS)
    else:
        found = replace(found, sources=sources_named(source.pk for source in found.sources))
    return _lines_named(found, line)


def _lines_named(found: SuccessorCandidates, line: Line) -> SuccessorCandidates:
    """`found` for `line`: each candidate with the other lines it is attributed to."""
    if not found.candidates:
        return replace(found, line_reference=line.reference)
    other_lines = numbers_attributions(e164s=[candidate.number for candidate in found.candidates])
    candidates = tuple(
        replace(
            candidate,
            evidence=replace(
                candidate.evidence,
                lines=tuple(
                    dict.fromkeys(
                        use.line.reference
                        for use in other_lines.get(candidate.number, [])
                        if use.line_id != line.pk
                    )
                ),
            ),
        )
        for candidate in found.candidates
    )
    return replace(found, line_reference=line.reference, candidates=candidates)


def _from_call_data(old: tuple[str, ...], *, limit: int) -> SuccessorCandidates:
    """The candidates of a line whose numbers are `old`, from the call data alone: the
    line's reference and the other lines of each candidate are left for `_lines_named`."""
    active = ContactMonth.objects.filter(number__in=old).aggregate(
        first=Min("first_at"), last=Max("last_at")
    )
    last_active = active["last"]
    if last_active is None:
        return SuccessorCandidates("", old, None, (), (), ())
    customers = _customers(old, last_active)
    after_from = last_active - datetime.timedelta(days=OVERLAP_DAYS)
    after_to = last_active + datetime.timedelta(days=AFTER_DAYS)

    # Who the customers were in contact with from a while before the line went quiet to
    # a candidate's first weeks: the earliest contact of each pair.
    reach_to = after_to + datetime.timedelta(weeks=FIRST_WEEKS)
    pair_first: dict[str, dict[str, datetime.datetime]] = {}
    pairs = (
        ContactMonth.objects.filter(
            number__in=customers,
            month__gte=month_add(month_of(after_from), -LOOK_BACK_MONTHS),
            month__lte=month_of(reach_to),
            contact__startswith="+",
        )
        .exclude(contact__in=old)
        .values("contact", "number")
        .annotate(first=Min("first_at"))
        .values_list("contact", "number", "first")
    )
    for candidate, customer, first in pairs:
        pair_first.setdefault(candidate, {})[customer] = first

    old_handsets = _handsets_of(old, month_of(active["first"]), month_of(last_active))
    shared_handsets = _handset_numbers(old_handsets, old, _Period(after_from, after_to))

    # A number in contact with a customer before the line went quiet did not start after
    # it: left out before the (costlier) look at every number's first event.
    known_before = {
        number for number, firsts in pair_first.items() if min(firsts.values()) < after_from
    }
    numbers = (set(pair_first) - known_before) | set(shared_handsets)
    # Then those with any event in an earlier month (read from the index alone), then the
    # first event of the few left.
    numbers -= set(
        ContactMonth.objects.filter(number__in=numbers, month__lt=month_of(after_from))
        .values_list("number", flat=True)
        .distinct()
    )
    first_seen = dict(
        ContactMonth.objects.filter(number__in=numbers)
        .values("number")
        .annotate(first=Min("first_at"))
        .values_list("number", "first")
    )
    starters = {
        number: first
        for number, first in first_seen.items()
        if after_from <= first <= after_to and number not in old
    }
    found = []
    for number, first in starters.items():
        reach_end = first + datetime.timedelta(weeks=FIRST_WEEKS)
        shared = sum(1 for at in pair_first.get(number, {}).values() if at <= reach_end)
        handsets = tuple(sorted(shared_handsets.get(number, ())))
        if not shared and not handsets:
            continue
        days_after = (first - last_active).total_seconds() / 86400
        evidence = Evidence(
            shared_contacts=shared,
            customers=len(customers),
            same_handset=bool(handsets),
            handsets=handsets,
            first_seen=first,
            days_after=round(days_after, 1),
            lines=(),  # named by _lines_named
        )
        found.append(Candidate(number, _score(evidence, days_after), evidence))
    found.sort(
        key=lambda candidate: (
            -candidate.score,
            -candidate.evidence.shared_contacts,
            candidate.evidence.first_seen,
            candidate.number,
        )
    )
    best = tuple(found[:limit])
    sources = sources_drawn(
        [*old, *(candidate.number for candidate in best)],
        _Period(_day_start(month_of(active["first"])), after_to + datetime.timedelta(days=1)),
    )
    return SuccessorCandidates("", old, last_active, tuple(sorted(customers)), best, sources)


def _score(evidence: Evidence, days_after: float) -> float:
    promptness = max(0.0, 1 - max(0.0, days_after) / AFTER_DAYS)
    score = (
        REACH_WEIGHT * evidence.reach
        + HANDSET_WEIGHT * evidence.same_handset
        + PROMPTNESS_WEIGHT * promptness
    )
    return round(min(1.0, score), 3)


def _customers(old: tuple[str, ...], last_active: datetime.datetime) -> set[str]:
    """The line's subscriber contacts in its last weeks (never its own numbers)."""
    since = last_active - datetime.timedelta(weeks=CUSTOMER_WEEKS)
    return set(
        ContactMonth.objects.filter(
            number__in=old, month__gte=month_of(since), contact__startswith="+"
        )
        .exclude(contact__in=old)
        .values("contact")
        .annotate(last=Max("last_at"))
        .filter(last__gte=since)
        .values_list("contact", flat=True)
    )


def _handsets_of(
    numbers: tuple[str, ...], first_month: datetime.date, last_month: datetime.date
) -> set[str]:
    """The IMEIs on the numbers' outgoing events, in the months they were active."""
    imeis = (
        CallEvent.objects.filter(
            from_number__in=numbers,
            started_at__gte=_day_start(first_month),
            started_at__lt=month_end(last_month),
            imei__isnull=False,
        )
        .values_list("imei", flat=True)
        .distinct()
    )
    return {imei for imei in imeis if imei}


def _handset_numbers(imeis: set[str], old: tuple[str, ...], period: _Period) -> dict[str, set[str]]:
    """Other numbers that used one of `imeis` in `period`, with the IMEIs they used."""
    if not imeis:
        return {}
    found: dict[str, set[str]] = {}
    for number, imei in (
        CallEvent.objects.filter(
            imei__in=imeis, started_at__gte=period.lo, started_at__lt=period.hi
        )
        .exclude(from_number__in=old)
        .values_list("from_number", "imei")
        .distinct()
    ):
        if imei:
            found.setdefault(number, set()).add(imei)
    return found
