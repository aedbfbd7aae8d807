"""The ownership rule (accounts.permissions.RECORD_RULES), attacked through every
safeguarding POST: each role posts a valid change to each record, and either the change
is made, or the answer is a refusal (403 for a record the user sees, 404 for one they do
not, the sign-in page for a visitor), audited, with the database exactly as it was.

The referral is City of York Council's (`owner`), shared with the fire service
(`sharer`, who sees it and may add to it but changes only what its own agency
recorded); `outsider` is of the Probation Service, which it is not shared with.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from accounts.permissions import may_change
from audit.models import AuditEvent
from reference.models import CommandArea
from safeguarding import services
from safeguarding.models import (
    InformationExchange,
    Occupant,
    ReferenceSequence,
    Referral,
    ReferralShare,
    SafeguardingAction,
    ShareStatus,
)

from ..conftest import COUNCIL, FIRE, POLICE, make_user, signed_in_client
from ..helpers import date_fields, redirects_to_sign_in
from ..lines.factories import LineFactory
from .factories import ActionFactory, OccupantFactory, ReferralFactory, agency

pytestmark = pytest.mark.django_db

ROLES = ("intel", "manager", "owner", "sharer", "outsider", "administrator", "anonymous")
DONE, SIGN_IN = "done", "sign-in"
PROBATION = "Probation Service"


@dataclass
class World:
    referral: Referral
    closed: Referral
    york_occupant: Occupant
    fire_occupant: Occupant
    york_action: SafeguardingAction
    police_action: SafeguardingAction
    shared_action: SafeguardingAction
    proposal: ReferralShare
    users: dict = field(default_factory=dict)


def shared_referral(**fields) -> Referral:
    referral = ReferralFactory(**fields)
    ReferralShare.objects.create(
        referral=referral, agency=agency(FIRE), status=ShareStatus.CONFIRMED
    )
    return referral


@pytest.fixture
def world(intel, manager, partner, partner2, administrator) -> World:
    referral = shared_referral(next_review_on=datetime.date(2023, 10, 4))
    closed = shared_referral(
        closed_on=datetime.date(2021, 11, 1), closure_reason="rehoused", reference="BG-CLOSED"
    )
    york, fire, police = agency(COUNCIL), agency(FIRE), agency(POLICE)
    return World(
        referral=referral,
        closed=closed,
        york_occupant=OccupantFactory(referral=referral, recorded_by_agency=york),
        fire_occupant=OccupantFactory(referral=referral, recorded_by_agency=fire),
        york_action=ActionFactory(referral=referral, owner_agency=york, recorded_by_agency=police),
        police_action=ActionFactory(
            referral=referral, owner_agency=police, kind="nrm_referral", recorded_by_agency=police
        ),
        shared_action=ActionFactory(
            referral=referral, owner_agency=york, shared_with_partnership=True
        ),
        proposal=ReferralShare.objects.create(
            referral=referral, agency=agency("NHS North Yorkshire"), status=ShareStatus.PROPOSED
        ),
        users={
            "intel": intel,
            "manager": manager,
            "owner": partner,
            "sharer": partner2,
            "outsider": make_user("outsider", Role.PARTNER, PROBATION, "Olive Side"),
            "administrator": administrator,
        },
    )


def referral_data(world: World, referral: Referral) -> dict:
    return {
        "reference": "BG-MATRIX",
        "address": "Flat 9\n1 Changed Road",
        "town": "York",
        "postcode": "YO1 7HH",
        "command_area": CommandArea.objects.get(name="York").pk,
        **date_fields("referred_on", "2021-10-04"),
        "referring_agency": agency(COUNCIL).pk,
        "risk_level": "high",
        **date_fields("next_review_on", "2030-01-01"),
        "retention_reason": "Changed",
        "version": referral.version,
    }


def occupant_data(occupant: Occupant | None) -> dict:
    return {
        "name": "Changed Name",
        "age": "40",
        "version": occupant.version if occupant else "",
        **date_fields("date_of_birth", None),
    }


def action_data(action: SafeguardingAction | None) -> dict:
    return {
        "kind": "welfare_visit",
        "owner_agency": agency(COUNCIL).pk,
        **date_fields("agreed_on", "2021-10-05"),
        **date_fields("due_on", "2021-12-01"),
        **date_fields("done_on", None),
        "outcome": "Changed outcome",
        "shared_with_partnership": "False",
        "version": action.version if action else "",
    }


# A POST: its URL, its data, and what each role of ROLES gets (DONE: the change is made).
@dataclass(frozen=True)
class Post:
    name: str
    args: tuple
    data: object
    expected: str

    def outcomes(self) -> dict[str, object]:
        cells = self.expected.split()
        assert len(cells) == len(ROLES), self.name
        return {
            role: cell if cell in (DONE, SIGN_IN) else int(cell)
            for role, cell in zip(ROLES, cells, strict=True)
        }


def close_data(world: World) -> dict:
    return {
        **date_fields("closed_on", "2021-11-02"),
        "closure_reason": "rehoused",
        "version": world.referral.version,
    }


def lines_data(world: World) -> dict:
    return {"line_references": "CL-OWN-1", "version": world.referral.version}


def exchange_data(world: World) -> dict:
    # A partner's exchange is always from their own agency (the police choose).
    return {
        "from_agency": agency(COUNCIL).pk,
        "to_agencies": [agency(POLICE).pk],
        **date_fields("shared_on", "2021-10-06"),
        "summary": "Seen at the address",
        "lawful_basis": "cda_1998_s115",
        "handling_code": "P",
    }


def nothing(world: World) -> dict:
    return {}


REFERRAL = ("referral",)
# fmt: off
POSTS = [
    # What each role gets:                                intel mgr owner sharer outsider admin anon
    Post("referral_create", (), lambda w: referral_data(w, w.referral),
         "done 403 done done done 403 sign-in"),
    Post("referral_update", REFERRAL, lambda w: referral_data(w, w.referral),
         "done 403 done 403 404 403 sign-in"),
    Post("referral_close", REFERRAL, close_data,       "done 403 done 403 404 403 sign-in"),
    Post("referral_reopen", ("closed",), nothing,      "done 403 done 403 404 403 sign-in"),
    Post("referral_lines", REFERRAL, lines_data,       "done 403 403  403 403 403 sign-in"),
    Post("occupant_add", REFERRAL, lambda w: occupant_data(None),
         "done 403 done done 404 403 sign-in"),
    Post("occupant_change", (*REFERRAL, "york_occupant"), lambda w: occupant_data(w.york_occupant),
         "done 403 done 403 404 403 sign-in"),
    Post("occupant_change", (*REFERRAL, "fire_occupant"), lambda w: occupant_data(w.fire_occupant),
         "done 403 done done 404 403 sign-in"),
    Post("exchange_add", REFERRAL, exchange_data,      "done 403 done done 404 403 sign-in"),
    Post("action_add", REFERRAL, lambda w: action_data(None),
         "done 403 done done 404 403 sign-in"),
    Post("action_change", (*REFERRAL, "york_action"), lambda w: action_data(w.york_action),
         "done 403 done 404 404 403 sign-in"),
    Post("action_change", (*REFERRAL, "police_action"), lambda w: action_data(w.police_action),
         "done 403 404 404 404 403 sign-in"),
    Post("action_change", (*REFERRAL, "shared_action"), lambda w: action_data(w.shared_action),
         "done 403 done 403 404 403 sign-in"),
    Post("share_add", REFERRAL, lambda w: {"agency": agency("Housing provider").pk},
         "done 403 done done 404 403 sign-in"),
    Post("share_confirm", (*REFERRAL, "proposal"), nothing, "done 403 403 403 403 403 sign-in"),
    Post("share_withdraw", (*REFERRAL, "proposal"), nothing, "done 403 403 403 403 403 sign-in"),
]
# fmt: on


def database_state() -> dict:
    """Every safeguarding row, with its many-to-many links: what a refusal must leave."""
    models = (Referral, Occupant, SafeguardingAction, InformationExchange, ReferralShare)
    state = {model.__name__: sorted(map(repr, model.objects.values())) for model in models}
    state["sequences"] = sorted(ReferenceSequence.objects.values_list("agency", "last_number"))
    state["lines"] = sorted(Referral.suspected_lines.through.objects.values_list())
    state["exchanged"] = sorted(InformationExchange.to_agencies.through.objects.values_list())
    return state


def post_as(client: Client, world: World, post: Post):
    """The response to `post`, the state before and after, and whether a refusal was
    audited; rolled back afterwards, so that each post meets the same records."""
    with transaction.atomic():
        for name in post.args:
            getattr(world, name).refresh_from_db()
        args = [getattr(world, name).pk for name in post.args]
        before = database_state()
        response = client.post(reverse(f"safeguarding:{post.name}", args=args), post.data(world))
        after = database_state()
        audited = AuditEvent.objects.filter(
            action=AuditEvent.Action.ACCESS_DENIED, request_id=response.get("X-Request-ID")
        ).exists()
        transaction.set_rollback(True)
    return response, before, after, audited


@pytest.mark.parametrize("role", ROLES)
def test_every_safeguarding_post_obeys_the_ownership_rule(role, world):
    LineFactory(reference="CL-OWN-1")
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    wrong = []
    for post in POSTS:
        expected = post.outcomes()[role]
        response, before, after, audited = post_as(client, world, post)
        where = f"{post.name} {post.args}"
        if expected == DONE:
            if response.status_code != 302 or before == after:
                wrong.append(f"{where}: expected the change made, got {response.status_code}")
            continue
        got = SIGN_IN if redirects_to_sign_in(response) else response.status_code
        if got != expected:
            wrong.append(f"{where}: expected {expected}, got {got}")
        if before != after:
            wrong.append(f"{where}: refused ({got}) but the database changed")
        if role != "anonymous" and not audited:
            wrong.append(f"{where}: refused without an access_denied event")

    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_the_services_obey_the_rule_whatever_calls_them(world):
    """An import or the API calls the services, not the views: they refuse alike."""
    from django.core.exceptions import PermissionDenied

    sharer = world.users["sharer"]
    attempts = [
        lambda: services.referral_update(
            referral=world.referral, user=sharer, summary="Taken over"
        ),
        lambda: services.referral_close(
            referral=world.referral,
            user=sharer,
            closed_on=datetime.date(2021, 11, 2),
            closure_reason="other",
        ),
        lambda: services.occupant_update(occupant=world.york_occupant, user=sharer, name="Renamed"),
        lambda: services.action_update(action=world.york_action, user=sharer, outcome="Done by us"),
        lambda: services.action_update(
            action=world.police_action, user=world.users["owner"], outcome="NRM made"
        ),
        lambda: services.referral_update(
            referral=world.referral,
            user=world.users["owner"],
            next_review_on=datetime.date(2040, 1, 1),
        ),
        lambda: services.action_update(
            action=world.york_action, user=world.users["manager"], outcome="x"
        ),
    ]
    before = database_state()
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert database_state() == before


def test_no_service_writes_for_a_partner_on_a_referral_not_shared_with_them(world):
    """The views answer 404 first; an import or the API reaches the services directly."""
    from django.core.exceptions import PermissionDenied

    hidden = ReferralFactory(referring_agency=agency(FIRE))
    york = world.users["owner"]
    attempts = [
        lambda: services.occupant_add(user=york, referral=hidden, name="Someone", age=30),
        lambda: services.action_add(
            user=york,
            referral=hidden,
            kind="welfare_visit",
            owner_agency=agency(COUNCIL),
            agreed_on=datetime.date(2021, 10, 5),
            due_on=datetime.date(2021, 10, 9),
        ),
        lambda: services.share_add(referral=hidden, user=york, agency=agency(COUNCIL)),
        lambda: services.exchange_record(
            user=york,
            referral=hidden,
            from_agency=agency(COUNCIL),
            to_agencies=[agency(POLICE)],
            shared_on=datetime.date(2021, 10, 6),
            summary="Seen",
            lawful_basis="cda_1998_s115",
            handling_code="P",
        ),
    ]
    before = database_state()
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="You may not change this referral"):
            attempt()
    assert database_state() == before


def test_an_action_is_done_by_the_police_or_an_agency_the_referral_is_shared_with(world, intel):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="an agency the referral is shared with"):
        services.action_add(
            user=intel,
            referral=world.referral,
            kind="welfare_visit",
            owner_agency=agency(PROBATION),
            agreed_on=datetime.date(2021, 10, 5),
            due_on=datetime.date(2021, 10, 9),
        )
    with pytest.raises(ValidationError, match="an agency the referral is shared with"):
        services.action_update(action=world.york_action, user=intel, owner_agency=agency(PROBATION))


@pytest.mark.parametrize("role", ["intel", "owner", "sharer"])
def test_the_referral_page_offers_to_change_what_the_rule_lets_the_user_change(world, role):
    """A change link on each occupant and action the user may change, and on no other."""
    user = world.users[role]
    page = signed_in_client(user).get(world.referral.get_absolute_url()).content.decode()
    records = {
        "occupant_change": (world.york_occupant, world.fire_occupant),
        "action_change": (world.york_action, world.police_action, world.shared_action),
    }
    offered, changeable = set(), set()
    for url_name, shown in records.items():
        for record in shown:
            url = reverse(f"safeguarding:{url_name}", args=[world.referral.pk, record.pk])
            if f'href="{url}"' in page:
                offered.add(url)
            if may_change(user, record):
                changeable.add(url)
    assert changeable, "the user may change something here"
    assert offered == changeable
