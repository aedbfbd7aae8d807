"""What a watcher could learn that they may not, and watches left naming records that are
gone: each attack performed."""

import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from imports.runner import import_csv
from lines.services import intelligence_entry_add
from records.reviews import retention_review
from safeguarding.models import LawfulBasis, Referral, ReferralShare, ShareStatus
from safeguarding.services import exchange_record, occupant_add, referral_lines_set, referral_update
from watches.models import Notification, Watch
from watches.selectors import notifications_unread_count, notifications_visible
from watches.services import watch_start
from watches.things import line_thing, number_thing, referral_thing

from ..conftest import COUNCIL, FIRE, POLICE, make_user
from ..lines.factories import LineFactory
from ..persons.factories import PersonFactory
from ..safeguarding.factories import ReferralFactory, agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(db):
    return make_user("watcher", Role.INTELLIGENCE_OFFICER, POLICE, "Wanda Watcher")


def watching(user, referral):
    return watch_start(user=user, key=referral_thing(referral.pk), label=referral.reference)


# --- A change a partner's page of the referral does not show -------------------------------


def test_a_partner_is_not_told_a_referral_they_watch_was_linked_to_a_line(partner, officer, intel):
    referral = ReferralFactory()  # the council's, shared with the council
    watching(partner, referral)
    watching(officer, referral)

    referral_lines_set(referral=referral, user=intel, lines=[LineFactory()])

    assert notifications_unread_count(user=officer) == 1
    assert notifications_unread_count(user=partner) == 0
    assert not notifications_visible(user=partner).exists()


def test_a_partner_is_not_told_of_a_referral_s_mopi_review(partner, officer, intel):
    referral = ReferralFactory(next_review_on=timezone.localdate())
    watching(partner, referral)
    watching(officer, referral)

    retention_review(
        user=intel,
        record=referral,
        outcome="retain",
        retain_until=timezone.localdate() + datetime.timedelta(days=100),
        reason="Informant",
    )

    assert notifications_unread_count(user=officer) == 1
    assert notifications_unread_count(user=partner) == 0


def test_a_partner_is_told_of_a_change_they_can_see(partner, intel):
    referral = ReferralFactory()
    watching(partner, referral)

    referral_update(referral=referral, user=intel, summary="Now two males at the address.")

    assert notifications_unread_count(user=partner) == 1


def test_a_partner_is_not_told_an_import_linked_a_referral_to_a_line(partner, officer, intel):
    LineFactory(reference="CL-2021-012")
    header = "reference,referred_on,referring_agency,command_area,line_references"

    def run(line_references: str) -> None:
        row = f"BG-2021-001,2021-10-04,{COUNCIL},York,{line_references}"
        source = io.BytesIO(f"{header}\n{row}\n".encode())
        assert import_csv(kind="referrals", source=source, source_name="f.csv", user=intel).ok

    run("")
    referral = Referral.objects.get(reference="BG-2021-001")
    watching(partner, referral)
    watching(officer, referral)

    run("CL-2021-012")

    assert notifications_unread_count(user=officer) == 1
    assert notifications_unread_count(user=partner) == 0


def test_a_partner_is_not_e_mailed_of_an_exchange_between_other_agencies(
    partner2, intel, django_capture_on_commit_callbacks
):
    referral = ReferralFactory()
    ReferralShare.objects.create(
        referral=referral, agency=agency(FIRE), status=ShareStatus.CONFIRMED
    )
    partner2.email = "paul@example.fire.uk"
    partner2.save()
    watch = watching(partner2, referral)
    watch.email = True
    watch.save()

    with django_capture_on_commit_callbacks(execute=True):
        exchange_record(
            user=intel,
            referral=referral,
            from_agency=agency(POLICE),
            to_agencies=[agency(COUNCIL)],
            shared_on=datetime.date(2021, 10, 6),
            summary="Seen at the address.",
            lawful_basis=LawfulBasis.CRIME_AND_DISORDER_ACT,
            handling_code="P",
        )

    assert Notification.objects.filter(user=partner2).exists()  # written, never shown
    assert not mail.outbox


# --- Records disposed of: their watches and notifications go with them ----------------------


def test_disposing_of_a_referral_ends_its_watches_and_notifications(partner, officer, intel):
    referral, kept = ReferralFactory(), ReferralFactory()
    for user in (partner, officer):
        watching(user, referral)
        watching(user, kept)
    occupant_add(user=intel, referral=referral, name="Ann Other")  # a notification each
    occupant_add(user=intel, referral=kept, name="Ann Kept")
    assert Notification.objects.filter(record_type="safeguarding.occupant").count() == 4

    retention_review(user=intel, record=referral, outcome="dispose", reason="No purpose")

    assert not Watch.objects.filter(key=referral_thing(referral.pk)).exists()
    assert Watch.objects.filter(key=referral_thing(kept.pk)).count() == 2
    left = Notification.objects.all()
    assert left.count() == 2
    assert {note.url for note in left} == {kept.get_absolute_url()}


def test_disposing_of_a_line_ends_its_watches_and_the_notifications_of_what_went_with_it(
    officer, intel, intel_client
):
    line, kept = LineFactory(), LineFactory()
    watch_start(user=officer, key=line_thing(line.pk), label=line.reference)
    watch_start(user=officer, key=line_thing(kept.pk), label=kept.reference)
    number = watch_start(user=officer, key=number_thing("+447700900664"), label="07700 900664")
    for each in (line, kept):
        intelligence_entry_add(
            user=intel,
            line=each,
            text="Runner seen",
            source_evaluation="2",
            assessment="B",
            handling_code="P",
        )
    assert Notification.objects.filter(user=officer).count() == 2

    response = intel_client.post(
        reverse("reviews:review", args=["line", line.pk]),
        {"outcome": "dispose", "reason": "No purpose", "version": line.version, "confirmed": "1"},
    )

    assert response.status_code == 302
    assert set(Watch.objects.values_list("key", flat=True)) == {line_thing(kept.pk), number.key}
    assert [note.url for note in Notification.objects.all()] == [kept.get_absolute_url()]


# --- Watching what one may not see, by a forged POST ----------------------------------------


@pytest.mark.parametrize("kind", ["line", "person", "referral", "number", "address"])
def test_an_administrator_watches_nothing_by_a_forged_post(kind, administrator_client):
    value = {
        "line": lambda: str(LineFactory().pk),
        "person": lambda: str(PersonFactory().pk),
        "referral": lambda: str(ReferralFactory().pk),
        "number": lambda: "+447700900664",
        "address": lambda: "12 Example Street",
    }[kind]()
    response = administrator_client.post(
        reverse("watches:watch_start"), {"kind": kind, "value": value, "postcode": "YO1 7HH"}
    )
    assert response.status_code in (403, 404)
    assert not Watch.objects.exists()
