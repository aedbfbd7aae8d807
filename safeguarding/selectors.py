"""A user's safeguarding records: what each may see, and nothing more.

The one rule, applied here and nowhere else: police roles see every referral; a
partner-agency user sees a referral only once it is shared with their agency (and
the share confirmed). Everything a partner reaches (a list, a count, an export, an
occupant, an action) starts from `visible_referrals`, so that a referral outside it is
a 404 everywhere. Within a referral, which exchanges and actions a partner sees, and
what they may change, is the ownership rule of `accounts.permissions.RECORD_RULES`
(`visible_to`, `changeable_by`): of its exchanges those their agency took part in, of
its actions those their agency owns or recorded or that were agreed with every agency.
"""

import datetime
from collections.abc import Iterator
from typing import Any, TypeVar

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.access import get_record_for_user
from accounts.models import Agency, User
from accounts.permissions import (
    changeable_by,
    is_police,
    may_change,
    visible_condition,
    visible_to,
)
from records.timeline import TimelineEvent, changes_made, newest_first

from .filters import ReferralFilter
from .models import (
    InformationExchange,
    Occupant,
    Referral,
    ReferralShare,
    SafeguardingAction,
    ShareStatus,
)

# What is recorded on a referral, each reached through it.
_Record = TypeVar("_Record", Occupant, SafeguardingAction, ReferralShare, InformationExchange)

EXPORT_CHUNK = 2000
# Actions due within this many days are "due soon" on a partner's home page.
DUE_SOON_DAYS = 14


def visible_referrals(*, user: User) -> QuerySet[Referral]:
    """Every referral `user` may see (RECORD_RULES: the police all, a partner those shared
    with their agency, the share confirmed)."""
    return visible_to(user, Referral.objects.all())


def get_referral_for_user(user: User, pk: int | str, *, to_change: bool = False) -> Referral:
    """The referral `pk` if `user` may see it (else 404, whether or not it exists), and
    change it when `to_change` (else 403): the police, or the agency that referred it."""
    referrals = Referral.objects.select_related("command_area", "referring_agency")
    return get_record_for_user(user, referrals, pk, to_change=to_change)


def visible_exchanges(*, user: User, referral: Referral) -> QuerySet[InformationExchange]:
    """The exchanges of a visible referral the user may read: all of them for the police,
    those their own agency gave or received for a partner."""
    return visible_to(user, referral.exchanges.all())


def visible_actions(*, user: User, referral: Referral) -> QuerySet[SafeguardingAction]:
    """The actions of a visible referral the user may read: all of them for the police;
    for a partner those their agency owns or recorded, and those agreed with every agency
    the referral is shared with."""
    return visible_to(user, referral.actions.all())


def get_referral_record(
    user: User, referral: Referral, model: type[_Record], pk: int | str, *, to_change: bool = False
) -> _Record:
    """One of a visible referral's occupants, actions or shares (the referral already
    checked): 404 if it is another referral's or one the user may not see, 403 when
    `to_change` and the user may see but not change it (RECORD_RULES)."""
    return get_record_for_user(
        user, model.objects.filter(referral=referral), pk, to_change=to_change
    )


def referral_list(*, user: User, filters: dict[str, Any]) -> ReferralFilter:
    """The referrals `user` may see, filtered and sorted by `filters`: the FilterSet."""
    today = timezone.localdate()
    seen = visible_condition(user, SafeguardingAction, prefix="")
    overdue = SafeguardingAction.objects.overdue(today).filter(seen, referral=OuterRef("pk"))
    referrals = (
        visible_referrals(user=user)
        .select_related("command_area", "referring_agency")
        .annotate(has_overdue_actions=Exists(overdue))
    )
    # A partner filters by the agencies of their own referrals only.
    agencies = (
        None
        if is_police(user)
        else Agency.objects.filter(Q(pk=user.agency_id) | Q(kind=Agency.Kind.POLICE))
    )
    return ReferralFilter(filters, queryset=referrals, actions_seen=seen, agencies=agencies)


# The export's columns, named as the `referrals` import's where it has them.
REFERRAL_EXPORT_HEADER = (
    "reference",
    "referred_on",
    "referring_agency",
    "command_area",
    "closed_on",
    "address",
    "town",
    "postcode",
    "risk_level",
    "occupants",
    "outstanding_actions",
    "overdue_actions",
    "line_references",
)


def referral_export_rows(*, user: User, referrals: QuerySet[Referral]) -> Iterator[list]:
    """The CSV rows; `line_references` only for the police (a partner's column says
    whether lines are linked, never which); actions counted of those the user sees."""
    today = timezone.localdate()
    police = is_police(user)
    seen = visible_condition(user, SafeguardingAction, prefix="actions__")
    rows = referrals.annotate(
        occupant_count=Count("occupants", distinct=True),
        outstanding=Count("actions", filter=seen & Q(actions__done_on__isnull=True), distinct=True),
        overdue=Count(
            "actions",
            filter=seen & Q(actions__done_on__isnull=True, actions__due_on__lt=today),
            distinct=True,
        ),
    ).prefetch_related(Prefetch("suspected_lines", to_attr="lines_listed"))
    for referral in rows.iterator(chunk_size=EXPORT_CHUNK):
        lines = referral.lines_listed
        yield [
            referral.reference,
            referral.referred_on.isoformat(),
            referral.referring_agency.name,
            referral.command_area.name,
            referral.closed_on.isoformat() if referral.closed_on else "",
            " / ".join(referral.address.splitlines()),
            referral.town,
            referral.postcode,
            referral.get_risk_level_display(),
            referral.occupant_count,
            referral.outstanding,
            referral.overdue,
            ";".join(line.reference for line in lines)
            if police
            else ("linked to a county line" if lines else ""),
        ]


def referral_details(*, user: User, referral: Referral) -> dict[str, Any]:
    """Everything a referral's page shows the user, in a fixed number of queries, with
    what of it they may change (`may_change`: the referral; `changeable_occupants` and
    `changeable_actions`: the ids of those occupants and actions)."""
    police = is_police(user)
    # An occupant's person is a police-side link: a partner's page never loads it.
    all_occupants = referral.occupants.all()
    changeable_occupants = set(changeable_by(user, all_occupants).values_list("pk", flat=True))
    occupants = list(
        all_occupants.select_related("person") if police else all_occupants.defer("person")
    )
    exchanges = list(
        visible_exchanges(user=user, referral=referral)
        .select_related("from_agency", "recorded_by")
        .prefetch_related("to_agencies")
    )
    seen_actions = visible_actions(user=user, referral=referral)
    changeable_actions = set(changeable_by(user, seen_actions).values_list("pk", flat=True))
    actions = list(seen_actions.select_related("owner_agency", "recorded_by_agency"))
    # A partner sees who it is shared with, and the proposals their own agency made.
    shares = list(
        visible_to(user, referral.shares.all()).select_related(
            "agency", "proposed_by", "confirmed_by"
        )
    )
    lines = list(referral.suspected_lines.all()) if police else []
    linked_to_a_line = bool(lines) if police else referral.suspected_lines.exists()
    return {
        "may_change": may_change(user, referral),
        "changeable_occupants": changeable_occupants,
        "changeable_actions": changeable_actions,
        "occupants": occupants,
        "exchanges": exchanges,
        "actions": actions,
        "shares": shares,
        "suspected_lines": lines,
        "linked_to_a_line": linked_to_a_line,
        "timeline": referral_timeline(
            user=user, referral=referral, exchanges=exchanges, actions=actions
        ),
    }


def referral_timeline(
    *,
    user: User,
    referral: Referral,
    exchanges: list[InformationExchange],
    actions: list[SafeguardingAction],
) -> list[TimelineEvent]:
    """The referral's history, newest first: referred, each exchange, each action agreed
    and done, closed, and every change to it (less what the reader may not see)."""
    events = [
        TimelineEvent(
            kind="referred",
            on=referral.referred_on,
            title=f"Referred by {referral.referring_agency}",
        )
    ]
    for exchange in exchanges:
        to = ", ".join(agency.name for agency in exchange.to_agencies.all())
        events.append(
            TimelineEvent(
                kind="exchange",
                on=exchange.shared_on,
                title=f"{exchange.from_agency} shared information with {to}",
                description=f"{exchange.get_lawful_basis_display()}, handling code "
                f"{exchange.handling_code}.",
                byline=exchange.recorded_by.get_full_name() or exchange.recorded_by.username,
            )
        )
    for action in actions:
        events.append(
            TimelineEvent(
                kind="action",
                on=action.agreed_on,
                title=f"{action.get_kind_display()} agreed, for {action.owner_agency}",
                description=f"Due {action.due_on:%-d %B %Y}.",
            )
        )
        if action.done_on:
            events.append(
                TimelineEvent(
                    kind="action_done",
                    on=action.done_on,
                    title=f"{action.get_kind_display()} done by {action.owner_agency}",
                    description=action.outcome,
                )
            )
    if referral.closed_on:
        events.append(
            TimelineEvent(
                kind="closed",
                on=referral.closed_on,
                title="Closed",
                description=referral.get_closure_reason_display(),
            )
        )
    events += changes_made(referral, hidden=referral.fields_hidden_from(user))
    order = {"referred": 0, "exchange": 1, "action": 2, "action_done": 3, "closed": 4}
    return newest_first(events, order)


def partner_home(*, user: User) -> dict[str, Any]:
    """A partner's (or a police user's) safeguarding at a glance: open referrals, actions
    their agency owns that are overdue or due soon, sharing proposals waiting."""
    today = timezone.localdate()
    referrals = visible_referrals(user=user)
    seen = visible_condition(user, SafeguardingAction, prefix="actions__")
    open_referrals = list(
        referrals.filter(closed_on__isnull=True)
        .select_related("command_area", "referring_agency")
        .annotate(
            overdue=Count(
                "actions",
                filter=seen & Q(actions__done_on__isnull=True, actions__due_on__lt=today),
            )
        )
        .order_by("-referred_on", "-pk")[:20]
    )
    due = SafeguardingAction.objects.outstanding().filter(
        referral__in=referrals, due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
    )
    if not is_police(user):
        due = due.filter(owner_agency_id=user.agency_id)
    actions = list(due.select_related("referral", "owner_agency")[:50])
    proposals = visible_to(
        user, ReferralShare.objects.filter(status=ShareStatus.PROPOSED, referral__in=referrals)
    ).select_related("referral", "agency", "proposed_by")
    return {
        "open_referrals": open_referrals,
        "open_count": referrals.filter(closed_on__isnull=True).count(),
        "actions": actions,
        "proposals": list(proposals[:50]),
    }
