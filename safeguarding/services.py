"""Writes of cuckooing referrals, their occupants, exchanges, actions and shares: what
the screens and the `referrals` import call.

Who a write is for decides what it may touch, by the ownership rule of
`accounts.permissions.RECORD_RULES`, checked here whatever the caller (a form, an import,
the API): the police change everything; a partner writes only on referrals shared with
their agency (the callers fetch them through `selectors`), always as their own agency,
changes only what their agency referred, owns or recorded, never the police-side fields
(suspected lines, an occupant's person, MoPI review and retention), and may only propose
sharing with another agency; a police user confirms it. Partners do not type their
referrals' references: the service numbers them, agency by agency.
"""

import dataclasses
import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from accounts.models import Agency, User
from accounts.permissions import (
    Capability,
    is_police,
    may_change,
    police_only_fields,
    user_can,
    visible_to,
)
from audit.services import Action, audit_event_record
from core.batch import BatchResult
from core.bulk import insert_rows_ignoring_conflicts
from persons.models import Person
from records.single import record_create, record_update, reference_in_use
from records.upserts import KeyedRecords, LinksTo, upsert_by_reference

from .models import (
    InformationExchange,
    Occupant,
    ReferenceSequence,
    Referral,
    ReferralShare,
    SafeguardingAction,
    ShareStatus,
)
from .rules import exchange_agency_problems, partner_reference_problems, referral_problems
from .selectors import visible_referrals

Rows = Sequence[Mapping[str, Any]]

# What a referral's forms may change; the police-side link is changed on its own.
REFERRAL_FIELDS = (
    "address",
    "town",
    "postcode",
    "command_area",
    "referred_on",
    "referring_agency",
    "risk_level",
    "summary",
    "next_review_on",
    "retention_reason",
)
CLOSING_FIELDS = ("closed_on", "closure_reason", "closure_note")
OCCUPANT_FIELDS = ("name", "date_of_birth", "age", "vulnerabilities", "vulnerability_notes")
ACTION_FIELDS = (
    "kind",
    "description",
    "owner_agency",
    "agreed_on",
    "due_on",
    "done_on",
    "outcome",
    "shared_with_partnership",
)


def _police_agency_ids() -> set[int]:
    """The police see every referral: no share with them is needed, or shown."""
    return set(Agency.objects.filter(kind=Agency.Kind.POLICE).values_list("pk", flat=True))


def _shared_with_referring_agencies(records: list[tuple[int, dict]]) -> None:
    """A referral is always shared with the agency that made it."""
    police, now = _police_agency_ids(), timezone.now()
    insert_rows_ignoring_conflicts(
        ReferralShare,
        ("referral", "agency", "status", "created_at", "confirmed_at"),
        [
            (pk, values["referring_agency_id"], ShareStatus.CONFIRMED, now, now)
            for pk, values in records
            if values["referring_agency_id"] not in police
        ],
    )


REFERRALS = KeyedRecords(
    Referral,
    fields=("referred_on", "referring_agency", "command_area", "closed_on"),
    links=(LinksTo("line_references", "suspected_lines", hint="Import or add the line first."),),
    rules=lambda values, today: referral_problems(
        referred_on=values["referred_on"], closed_on=values["closed_on"], today=today
    ),
    written=_shared_with_referring_agencies,
)


def referral_upsert_many(
    *, user: User | None, rows: Rows, audit_detail: Mapping[str, Any] | None = None
) -> BatchResult:
    """Create or update the referrals of `rows` by reference (the `referrals` import):
    police users only, since its rows set police-side links and any agency's referrals
    (the command line imports as no user: a server operator)."""
    if user is not None:
        _refuse_unless(user, Capability.CHANGE_ALL_SAFEGUARDING, "import referrals")
    codes = _partner_codes()
    records = dataclasses.replace(
        REFERRALS,
        new_reference_rules=lambda reference: partner_reference_problems(reference, codes),
    )
    return upsert_by_reference(records, user=user, rows=rows, audit_detail=audit_detail)


def _partner_codes() -> set[str]:
    return set(Agency.objects.exclude(kind=Agency.Kind.POLICE).values_list("code", flat=True))


def _own_agency(user: User) -> Agency:
    """The agency a partner acts for: every partner-agency user belongs to one."""
    if user.agency is None:
        raise PermissionDenied("Only a user of an agency may do this.")
    return user.agency


def _refuse_unless(user: User, capability: Capability, what: str) -> None:
    if not user_can(user, capability):
        raise PermissionDenied(f"Only police users may {what}.")


def _refuse_unless_sees(user: User, referral: Referral) -> None:
    """Whoever writes on a referral sees it: PermissionDenied otherwise, in words that say
    nothing of it. The views answer 404 (audited) before they get here; this holds for
    every other caller (an import, the API)."""
    if not user_can(user, Capability.CHANGE_SAFEGUARDING) or not (
        visible_referrals(user=user).filter(pk=referral.pk).exists()
    ):
        raise PermissionDenied("You may not change this referral.")


def _refuse_unless_owner(user: User, record: Referral | Occupant | SafeguardingAction) -> None:
    """The ownership rule: PermissionDenied unless `user` sees the referral and may change
    `record` (accounts.permissions.RECORD_RULES)."""
    _refuse_unless_sees(user, record if isinstance(record, Referral) else record.referral)
    if not may_change(user, record):
        raise PermissionDenied(f"You may not change this {record._meta.verbose_name}.")


def _refuse_owner_outside(referral: Referral, owner_agency: Agency | None) -> None:
    """An action is done by the police or an agency the referral is shared with."""
    if owner_agency is not None and owner_agency not in exchange_parties(referral=referral):
        raise ValidationError(
            {"owner_agency": "Select the police or an agency the referral is shared with"}
        )


def _refuse_police_only(user: User, model: type[Model], fields: Mapping[str, Any]) -> None:
    """A partner sets no police-only field (not even to empty: the form has none)."""
    refused = sorted(set(fields) & set(police_only_fields(user, model)))
    if refused:
        raise PermissionDenied(f"Only police users may set {', '.join(refused)}.")


def next_partner_reference(*, agency: Agency) -> str:
    """The next reference of `agency`'s referrals: `CYC-0042`. The agency's sequence row
    is locked until the transaction ends, so two referrals never get one number; a number
    a police user has typed already is passed over."""
    ReferenceSequence.objects.get_or_create(agency=agency)
    sequence = ReferenceSequence.objects.select_for_update().get(agency=agency)
    while True:
        sequence.last_number += 1
        reference = f"{agency.code}-{sequence.last_number:04d}"
        if not reference_in_use(Referral, reference):
            break
    sequence.save(update_fields=["last_number"])
    return reference


@transaction.atomic
def referral_create(
    *,
    user: User,
    reference: str | None = None,
    suspected_lines: Iterable = (),
    shared_with: Iterable[Agency] = (),
    **fields: Any,
) -> Referral:
    """A new referral, shared with the agency that made it. A police user gives its
    reference and shares with `shared_with` at once; a partner refers as their own
    agency, gets the next reference of their agency, and shares with no one else (they
    propose it afterwards)."""
    _refuse_unless(user, Capability.CHANGE_SAFEGUARDING, "record referrals")
    suspected_lines, shared_with = list(suspected_lines), list(shared_with)
    if suspected_lines:
        _refuse_unless(user, Capability.LINK_SAFEGUARDING, "link referrals to lines")
    if shared_with:
        _refuse_unless(user, Capability.SHARE_SAFEGUARDING, "share referrals")
    if not is_police(user):
        _refuse_police_only(user, Referral, fields)
        agency = _own_agency(user)
        fields["referring_agency"] = agency
        reference = next_partner_reference(agency=agency)
    elif not reference:
        raise ValidationError({"reference": "Enter the referral's reference"})
    elif problems := partner_reference_problems(reference, _partner_codes()):
        raise ValidationError(problems)
    referral = record_create(
        Referral,
        user=user,
        reference=reference,
        noun="referral",
        many_to_many={"suspected_lines": suspected_lines},
        **fields,
    )
    for agency in {referral.referring_agency, *shared_with}:
        if agency.kind != Agency.Kind.POLICE:
            _share(referral, agency, user=user, status=ShareStatus.CONFIRMED)
    return referral


@transaction.atomic
def referral_update(
    *, referral: Referral, user: User, expected_version: int | None = None, **fields: Any
) -> bool:
    """Changes the referral's details; returns whether anything changed (raises
    EditConflict over a newer version, as every record form). A partner changes only
    their own agency's referrals, never the police-only fields, and keeps them theirs."""
    _refuse_unless_owner(user, referral)
    _refuse_police_only(user, Referral, fields)
    if not is_police(user) and "referring_agency" in fields:
        fields["referring_agency"] = referral.referring_agency  # a partner cannot move it
    changed = record_update(
        referral,
        user=user,
        fields=fields,
        allowed=REFERRAL_FIELDS,
        expected_version=expected_version,
    )
    if "referring_agency" in changed and referral.referring_agency.kind != Agency.Kind.POLICE:
        _share(referral, referral.referring_agency, user=user, status=ShareStatus.CONFIRMED)
    return bool(changed)


@transaction.atomic
def referral_close(
    *,
    referral: Referral,
    user: User,
    closed_on: datetime.date | None,
    closure_reason: str = "",
    closure_note: str = "",
    expected_version: int | None = None,
) -> bool:
    """Closes the referral (or opens it again, with no date): the police or the agency
    that referred it."""
    _refuse_unless_owner(user, referral)
    if closed_on is not None and not closure_reason:
        raise ValidationError({"closure_reason": "Select why the referral is closed"})
    if closed_on is None:
        closure_reason, closure_note = "", ""
    changed = record_update(
        referral,
        user=user,
        fields={
            "closed_on": closed_on,
            "closure_reason": closure_reason,
            "closure_note": closure_note,
        },
        allowed=CLOSING_FIELDS,
        expected_version=expected_version,
    )
    return bool(changed)


@transaction.atomic
def referral_lines_set(
    *, referral: Referral, user: User, lines: Iterable, expected_version: int | None = None
) -> bool:
    """The lines suspected of the take-over: a police-side link."""
    _refuse_unless(user, Capability.LINK_SAFEGUARDING, "link a referral to lines")
    changed = record_update(
        referral,
        user=user,
        fields={},
        allowed=("suspected_lines",),
        expected_version=expected_version,
        many_to_many={"suspected_lines": list(lines)},
    )
    return bool(changed)


# --- Sharing ---------------------------------------------------------------------------------


def _share(referral: Referral, agency: Agency, *, user: User, status: str) -> ReferralShare:
    share, created = ReferralShare.objects.get_or_create(
        referral=referral,
        agency=agency,
        defaults={
            "status": status,
            "proposed_by": user,
            "confirmed_by": user if status == ShareStatus.CONFIRMED else None,
            "confirmed_at": timezone.now() if status == ShareStatus.CONFIRMED else None,
        },
    )
    if not created and status == ShareStatus.CONFIRMED and share.status != status:
        _confirm(share, user=user)
    elif created:
        audit_event_record(
            action=Action.CREATE,
            user=user,
            obj=referral,
            detail={"shared_with": agency.name, "status": status},
        )
    return share


def _confirm(share: ReferralShare, *, user: User) -> None:
    share.status = ShareStatus.CONFIRMED
    share.confirmed_by = user
    share.confirmed_at = timezone.now()
    share.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    audit_event_record(
        action=Action.UPDATE,
        user=user,
        obj=share.referral,
        detail={"shared_with": share.agency.name, "status": ShareStatus.CONFIRMED},
    )


@transaction.atomic
def share_add(*, referral: Referral, user: User, agency: Agency) -> ReferralShare:
    """Share the referral with `agency`: at once for a police user, as a proposal for a
    partner (the agency sees nothing until the police confirm it)."""
    _refuse_unless_sees(user, referral)
    existing = ReferralShare.objects.filter(referral=referral, agency=agency).first()
    shares = ReferralShare.objects.filter(referral=referral, agency=agency)
    if existing is not None and not visible_to(user, shares).exists():
        # Another partner proposed it already: for this one, it is proposed now (the
        # other's proposal is not theirs to know of).
        audit_event_record(
            action=Action.CREATE,
            user=user,
            obj=referral,
            detail={"shared_with": agency.name, "status": existing.status, "proposed again": True},
        )
        return existing
    if existing is not None:
        raise ValidationError({"agency": f"The referral is already shared with {agency}"})
    if not agency.is_active:
        raise ValidationError({"agency": f"{agency} no longer takes part in the partnership"})
    status = (
        ShareStatus.CONFIRMED
        if user_can(user, Capability.SHARE_SAFEGUARDING)
        else ShareStatus.PROPOSED
    )
    return _share(referral, agency, user=user, status=status)


@transaction.atomic
def share_confirm(*, share: ReferralShare, user: User) -> None:
    _refuse_unless(user, Capability.SHARE_SAFEGUARDING, "confirm sharing")
    if share.status != ShareStatus.CONFIRMED:
        _confirm(share, user=user)


@transaction.atomic
def share_withdraw(*, share: ReferralShare, user: User) -> None:
    """Stop sharing (or turn down a proposal). The referring agency always keeps it."""
    _refuse_unless(user, Capability.SHARE_SAFEGUARDING, "withdraw sharing")
    if share.agency_id == share.referral.referring_agency_id:
        raise ValidationError("The agency that made the referral always sees it")
    audit_event_record(
        action=Action.DELETE,
        user=user,
        obj=share.referral,
        detail={"shared_with": share.agency.name, "status": share.status},
    )
    share.delete()


# --- Occupants, exchanges, actions -----------------------------------------------------------


@transaction.atomic
def occupant_add(
    *, user: User, referral: Referral, person: Person | None = None, **fields: Any
) -> Occupant:
    """A person at risk at the address, recorded by the user's agency (whose users may
    change them, as may the referring agency's)."""
    _refuse_unless_sees(user, referral)
    if person is not None:
        _refuse_unless(user, Capability.LINK_SAFEGUARDING, "link an occupant to a person")
    fields["name"] = fields["name"].strip()
    return record_create(
        Occupant,
        user=user,
        referral=referral,
        person=person,
        recorded_by_agency=user.agency,
        **fields,
    )


@transaction.atomic
def occupant_update(
    *, occupant: Occupant, user: User, expected_version: int | None = None, **fields: Any
) -> bool:
    _refuse_unless_owner(user, occupant)
    allowed: tuple[str, ...] = OCCUPANT_FIELDS
    if "person" in fields:
        _refuse_unless(user, Capability.LINK_SAFEGUARDING, "link an occupant to a person")
        allowed = (*OCCUPANT_FIELDS, "person")
    changed = record_update(
        occupant, user=user, fields=fields, allowed=allowed, expected_version=expected_version
    )
    return bool(changed)


def exchange_parties(*, referral: Referral) -> list[Agency]:
    """The agencies an exchange on this referral may be between: the police and those it
    is shared with."""
    return list(
        Agency.objects.filter(kind=Agency.Kind.POLICE)
        | Agency.objects.filter(
            pk__in=referral.shares.filter(status=ShareStatus.CONFIRMED).values("agency")
        )
    )


@transaction.atomic
def exchange_record(
    *,
    user: User,
    referral: Referral,
    from_agency: Agency,
    to_agencies: Iterable[Agency],
    **fields: Any,
) -> InformationExchange:
    """One sharing event. A partner records what their own agency shared; every agency
    of an exchange must be one the referral is shared with (or the police)."""
    _refuse_unless_sees(user, referral)
    to_agencies = list(to_agencies)
    if not is_police(user):
        from_agency = _own_agency(user)
    problems = exchange_agency_problems(
        from_agency=from_agency,
        to_agencies=to_agencies,
        parties=set(exchange_parties(referral=referral)),
    )
    if problems:
        raise ValidationError(problems)
    return record_create(
        InformationExchange,
        user=user,
        referral=referral,
        from_agency=from_agency,
        recorded_by=user,
        many_to_many={"to_agencies": to_agencies},
        **fields,
    )


@transaction.atomic
def action_add(*, user: User, referral: Referral, **fields: Any) -> SafeguardingAction:
    """An action agreed, recorded by the user's agency: seen by the police, its owner and
    that agency, and by every agency the referral is shared with only when
    `shared_with_partnership` says it was agreed with them."""
    _refuse_unless_sees(user, referral)
    _refuse_owner_outside(referral, fields.get("owner_agency"))
    return record_create(
        SafeguardingAction,
        user=user,
        referral=referral,
        recorded_by_agency=user.agency,
        **fields,
    )


@transaction.atomic
def action_update(
    *, action: SafeguardingAction, user: User, expected_version: int | None = None, **fields: Any
) -> bool:
    """Changes an action: the police, its owner agency or the agency that recorded it."""
    _refuse_unless_owner(user, action)
    if "owner_agency" in fields and fields["owner_agency"] != action.owner_agency:
        _refuse_owner_outside(action.referral, fields["owner_agency"])
    changed = record_update(
        action, user=user, fields=fields, allowed=ACTION_FIELDS, expected_version=expected_version
    )
    return bool(changed)
