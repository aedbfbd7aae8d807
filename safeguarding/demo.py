"""The demo cuckooing referrals, for `manage.py seed_demo` (interfaces.md §5): some
shared with only City of York Council, some with only North Yorkshire Fire and Rescue
Service, some with both and some with neither, so that `partner` and `partner2` each
see a different part of them, with overdue actions among them.

Written through the safeguarding services (every rule and audit applies); a referral
already there (by reference) is left as it is, so running it twice changes nothing.
Fictitious throughout: the addresses are invented, the postcodes merely well formed.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from accounts.models import Agency
from core.demo import demo_step
from lines.models import Line
from reference.models import CommandArea

from . import services
from .models import ActionKind, ClosureReason, LawfulBasis, Referral, RiskLevel

D = datetime.date
POLICE = "North Yorkshire Police"
YORK = "City of York Council"
FIRE = "North Yorkshire Fire and Rescue Service"
HOUSING = "Housing provider"


@dataclass(frozen=True)
class DemoReferral:
    reference: str
    address: str
    town: str
    postcode: str
    area: str
    referred_on: datetime.date
    referring_agency: str
    shared_with: tuple[str, ...] = ()
    risk: str = RiskLevel.MEDIUM
    occupants: tuple[tuple[str, int, tuple[str, ...]], ...] = ()
    # (kind, owner, days after the referral it is due, done?)
    actions: tuple[tuple[str, str, int, bool], ...] = ()
    lines: int = 0
    closed_on: datetime.date | None = None
    proposed: tuple[str, ...] = field(default=())


REFERRALS = (
    # Shared with City of York Council only.
    DemoReferral(
        "BG-2021-0001",
        "Flat 4, 27 Lowther Row",
        "York",
        "YO31 7AB",
        "York",
        D(2021, 3, 2),
        YORK,
        risk=RiskLevel.HIGH,
        occupants=(("Graham Pell", 58, ("drug_or_alcohol", "mental_health")),),
        actions=(("welfare_visit", YORK, 7, True), ("closure_order", POLICE, 30, True)),
        lines=1,
        closed_on=D(2021, 5, 14),
    ),
    DemoReferral(
        "BG-2021-0004",
        "12 Tanner Court",
        "York",
        "YO24 3QZ",
        "York",
        D(2021, 9, 20),
        YORK,
        risk=RiskLevel.HIGH,
        occupants=(("Sandra Whitlock", 44, ("learning_disability",)),),
        actions=(("welfare_visit", YORK, 3, True), ("rehousing", YORK, 28, False)),
        lines=1,
        proposed=(HOUSING,),
    ),
    DemoReferral(
        "BG-2021-0007",
        "3 Mill Garth",
        "York",
        "YO10 4HS",
        "York",
        D(2021, 11, 2),
        YORK,
        occupants=(("Derek Atha", 71, ("age", "physical_disability")),),
        actions=(("treatment_referral", YORK, 14, False),),
    ),
    # Shared with North Yorkshire Fire and Rescue Service only.
    DemoReferral(
        "BG-2021-0002",
        "Flat 2, 8 Castle Road",
        "Scarborough",
        "YO11 1XE",
        "Scarborough",
        D(2021, 4, 12),
        FIRE,
        risk=RiskLevel.HIGH,
        occupants=(("Lee Marston", 36, ("drug_or_alcohol",)),),
        actions=(("target_hardening", FIRE, 10, True), ("welfare_visit", FIRE, 40, False)),
        lines=1,
    ),
    DemoReferral(
        "BG-2021-0005",
        "19 Harcourt Drive",
        "Harrogate",
        "HG1 5DX",
        "Harrogate",
        D(2021, 10, 6),
        FIRE,
        occupants=(("Maureen Kell", 63, ("mental_health",)),),
        actions=(("target_hardening", FIRE, 7, False),),
    ),
    # Shared with both.
    DemoReferral(
        "BG-2021-0003",
        "6 Bootham Terrace",
        "York",
        "YO30 7BW",
        "York",
        D(2021, 6, 8),
        YORK,
        shared_with=(FIRE,),
        risk=RiskLevel.HIGH,
        occupants=(
            ("Tina Lowe", 29, ("drug_or_alcohol", "mental_health")),
            ("Jordan Lowe", 16, ("age",)),
        ),
        actions=(
            ("target_hardening", FIRE, 5, True),
            ("nrm_referral", POLICE, 7, True),
            ("rehousing", YORK, 60, False),
        ),
        lines=2,
    ),
    DemoReferral(
        "BG-2021-0008",
        "22 Selby Road",
        "Selby",
        "YO8 4LA",
        "Selby",
        D(2021, 11, 15),
        FIRE,
        shared_with=(YORK,),
        risk=RiskLevel.LOW,
        occupants=(("Peter Haig", 52, ("physical_disability",)),),
        actions=(("welfare_visit", YORK, 10, True),),
    ),
    # Shared with neither: police only for now.
    DemoReferral(
        "BG-2021-0006",
        "Flat 9, 40 Victoria Road",
        "Scarborough",
        "YO11 1SJ",
        "Scarborough",
        D(2021, 10, 21),
        POLICE,
        shared_with=(HOUSING,),
        risk=RiskLevel.HIGH,
        occupants=(("Kevin Dunn", 41, ("drug_or_alcohol", "learning_disability")),),
        actions=(("closure_order", POLICE, 21, False),),
        lines=1,
    ),
    DemoReferral(
        "BG-2021-0009",
        "5 Ripon Way",
        "Harrogate",
        "HG1 2AU",
        "Harrogate",
        D(2021, 12, 3),
        POLICE,
        occupants=(("Unknown occupant", 30, ("other",)),),
    ),
)


@demo_step("safeguarding", after=("lines", "persons"))
@transaction.atomic
def seed_demo_safeguarding(*, user) -> int:
    """Creates the demo referrals that are missing, with their occupants, actions and
    exchanges; returns how many referrals it created."""
    agencies = {agency.name: agency for agency in Agency.objects.all()}
    areas = {area.name: area for area in CommandArea.objects.all()}
    lines = list(Line.objects.filter(reference__startswith="NYP-CL-2021").order_by("reference"))
    existing = set(Referral.objects.values_list("reference", flat=True))
    today = timezone.localdate()
    created = 0
    for index, demo in enumerate(REFERRALS):
        if demo.reference in existing:
            continue
        referral = services.referral_create(
            user=user,
            reference=demo.reference,
            address=demo.address,
            town=demo.town,
            postcode=demo.postcode,
            command_area=areas[demo.area],
            referred_on=demo.referred_on,
            referring_agency=agencies[demo.referring_agency],
            risk_level=demo.risk,
            summary="Neighbours report visitors at all hours and a strong smell of cannabis.",
            suspected_lines=lines[index : index + demo.lines] if lines else [],
            shared_with=[agencies[name] for name in demo.shared_with],
            next_review_on=demo.referred_on + datetime.timedelta(days=365 * 2),
            retention_reason="Safeguarding of vulnerable adults at risk of exploitation",
        )
        for name, age, vulnerabilities in demo.occupants:
            services.occupant_add(
                user=user,
                referral=referral,
                name=name,
                age=age,
                vulnerabilities=list(vulnerabilities),
            )
        for kind, owner, due_in, done in demo.actions:
            due_on = demo.referred_on + datetime.timedelta(days=due_in)
            services.action_add(
                user=user,
                referral=referral,
                kind=kind,
                owner_agency=agencies[owner],
                agreed_on=demo.referred_on,
                due_on=due_on,
                done_on=min(due_on, today) if done else None,
                outcome="Completed as agreed." if done else "",
            )
        partners = [agencies[name] for name in (demo.referring_agency, *demo.shared_with)]
        partners = [agency for agency in partners if agency.kind != Agency.Kind.POLICE]
        if partners:
            services.exchange_record(
                user=user,
                referral=referral,
                from_agency=agencies[POLICE],
                to_agencies=partners,
                shared_on=demo.referred_on + datetime.timedelta(days=1),
                summary="Address and occupants; the line suspected of using it; the plan.",
                lawful_basis=LawfulBasis.CRIME_AND_DISORDER_ACT,
                handling_code="P",
            )
        for name in demo.proposed:
            services.share_add(
                referral=referral, user=_partner_of(referral, user), agency=agencies[name]
            )
        if demo.closed_on:
            services.referral_close(
                referral=referral,
                user=user,
                closed_on=demo.closed_on,
                closure_reason=ClosureReason.CLOSURE_ORDER,
                closure_note="Closure order granted at York Magistrates' Court.",
            )
        created += 1
    # Actions of the demo's last referral fall due around the day it is run, so the
    # partners' home pages always have something due soon as well as overdue.
    if created:
        latest = Referral.objects.get(reference=REFERRALS[2].reference)
        services.action_add(
            user=user,
            referral=latest,
            kind=ActionKind.WELFARE_VISIT,
            owner_agency=agencies[YORK],
            agreed_on=today,
            due_on=today + datetime.timedelta(days=7),
        )
    return created


def _partner_of(referral: Referral, fallback):
    """A demo user of the referring agency, to propose a share as partners do."""
    from accounts.models import User

    return User.objects.filter(agency=referral.referring_agency).first() or fallback
