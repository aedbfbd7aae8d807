"""A line's timeline: one chronology of everything recorded on it (its numbers, its
intelligence, the people on it, the arrests, charges, sentences and seizures, the
cuckooing referrals that suspect it) and every change to it, by whom.

The records are those the line's page has read already (`attributions`, `intelligence`,
`recorded`, `referrals`), so the timeline adds one query, for the changes, whatever the
number of records."""

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from accounts.models import User
from accounts.permissions import visible_to
from core.templatetags.amounts import grams, pounds
from records.timeline import TimelineEvent, changes_made, newest_first

from ..models import IntelligenceEntry, Line
from .people import LineEnforcement, LinePeopleAndEnforcement, line_people_and_enforcement
from .records import Attribution, line_attributions, line_intelligence

# On the same day, events follow the life of a line: found, used, known of, acted on.
_TIMELINE_ORDER = {
    "identified": 0,
    "number_attributed": 1,
    "person_on_line": 2,
    "intelligence_added": 3,
    "referral": 4,
    "arrested": 5,
    "seized": 6,
    "charged": 7,
    "sentenced": 8,
    "changed": 9,
    "person_off_line": 10,
    "number_ended": 11,
    "referral_closed": 12,
    "closed": 13,
}


def line_timeline(
    *,
    line: Line,
    user: User,
    attributions: list[Attribution] | None = None,
    intelligence: list[IntelligenceEntry] | None = None,
    recorded: LinePeopleAndEnforcement | None = None,
    referrals: list[Any] | None = None,
) -> list[TimelineEvent]:
    """The line's history, newest first: identified, numbers attributed and ended,
    intelligence added, people on it, enforcement, referrals (those `user` may see),
    changes, closed. Built from the records each time, never stored; pass what the page
    has read already to read it once."""
    if attributions is None:
        attributions = line_attributions(line=line)
    if intelligence is None:
        intelligence = line_intelligence(line=line)
    if recorded is None:
        recorded = line_people_and_enforcement(line=line)
    if referrals is None:
        referrals = line_referrals(line=line, user=user)
    events = [*_life_of(line), *_numbers(attributions), *_intelligence(intelligence)]
    events += _people(recorded.people)
    events += _enforcement(recorded.enforcement)
    events += _referrals(referrals)
    events += changes_made(line)
    return newest_first(events, _TIMELINE_ORDER)


def line_referrals(*, line: Line, user: User) -> list[Any]:
    """The cuckooing referrals that suspect `line` and that `user` may see, newest first
    (recorded by `safeguarding`, which depends on lines)."""
    referrals = line.referrals.select_related("referring_agency", "command_area")
    return list(visible_to(user, referrals).order_by("-referred_on", "-pk"))


def _life_of(line: Line) -> Iterable[TimelineEvent]:
    areas = ", ".join(area.name for area in line.command_areas.all())
    yield TimelineEvent(
        kind="identified",
        on=line.first_identified,
        title="Line identified",
        description=f"{line.name}, from {line.origin_force} into {areas}.",
    )
    if line.closed_on is not None:
        closure = line.get_closure_type_display() or "closure type not recorded"
        yield TimelineEvent(
            kind="closed", on=line.closed_on, title="Line closed", description=f"{closure}."
        )


def _numbers(attributions: list[Attribution]) -> Iterable[TimelineEvent]:
    for use in attributions:
        yield TimelineEvent(
            kind="number_attributed",
            on=use.attributed_from,
            title="Number attributed",
            description=f"{use.number.national} in use from this date.",
        )
        if use.attributed_to is not None:
            yield TimelineEvent(
                kind="number_ended",
                on=use.attributed_to,
                title="Number ended",
                description=f"{use.number.national} last used on this date.",
            )


def _intelligence(entries: list[IntelligenceEntry]) -> Iterable[TimelineEvent]:
    for entry in entries:
        recorded_at = timezone.localtime(entry.recorded_at)
        yield TimelineEvent(
            kind="intelligence_added",
            on=recorded_at.date(),
            at=recorded_at,
            title=f"Intelligence added, graded {entry.grading}",
            description=entry.text if len(entry.text) <= 140 else entry.text[:139] + "…",
            byline=str(entry.recorded_by),
        )


def _people(roles: list) -> Iterable[TimelineEvent]:
    for role in roles:
        person, what = role.person, role.get_role_display().lower()
        yield TimelineEvent(
            kind="person_on_line",
            on=role.started_on,
            title=f"{person.full_name}: {what}",
            description=f"{person.reference}, graded {role.grading}.",
            url=person.get_absolute_url(),
        )
        if role.ended_on is not None:
            yield TimelineEvent(
                kind="person_off_line",
                on=role.ended_on,
                title=f"{person.full_name} no longer {what}",
                description=f"{person.reference}.",
                url=person.get_absolute_url(),
            )


def _enforcement(enforcement: LineEnforcement) -> Iterable[TimelineEvent]:
    for arrest in enforcement.arrests:
        yield TimelineEvent(
            kind="arrested",
            on=arrest.arrested_on,
            title=f"{arrest.person.full_name} arrested",
            description=f"In {arrest.command_area}, {arrest.reference}.",
            url=arrest.get_absolute_url(),
        )
    for charge in enforcement.charges:
        yield TimelineEvent(
            kind="charged",
            on=charge.charged_on,
            title=f"{charge.person.full_name} charged",
            description=f"{charge.offence}, {charge.reference}.",
            url=charge.get_absolute_url(),
        )
    for sentence in enforcement.sentences:
        months = sentence.custody_months
        yield TimelineEvent(
            kind="sentenced",
            on=sentence.sentenced_on,
            title=f"{sentence.person.full_name} sentenced",
            description=(
                f"{months} month{'' if months == 1 else 's'} in custody, {sentence.reference}."
            ),
            url=sentence.get_absolute_url(),
        )
    for seizure in enforcement.seizures:
        yield TimelineEvent(
            kind="seized",
            on=seizure.seized_on,
            title="Seizure",
            description=f"{seizure_in_words(seizure)}, {seizure.reference}.",
            url=seizure.get_absolute_url(),
        )


def seizure_in_words(seizure: Any) -> str:
    """`£1,250.00 and 28.5 g of cocaine`: what was seized."""
    seized = []
    if seizure.cash_gbp is not None:
        seized.append(pounds(seizure.cash_gbp))
    if seizure.drug_id is not None:
        seized.append(f"{grams(seizure.grams)} of {str(seizure.drug).lower()}")
    return " and ".join(seized) or "Nothing recorded"


def _referrals(referrals: list[Any]) -> Iterable[TimelineEvent]:
    for referral in referrals:
        yield TimelineEvent(
            kind="referral",
            on=referral.referred_on,
            title=f"Cuckooing referral {referral.reference}",
            description=f"From {referral.referring_agency}, in {referral.command_area}.",
            url=referral.get_absolute_url(),
        )
        if referral.closed_on is not None:
            yield TimelineEvent(
                kind="referral_closed",
                on=referral.closed_on,
                title=f"Referral {referral.reference} closed",
                url=referral.get_absolute_url(),
            )
