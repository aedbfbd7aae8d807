"""Watching from the record pages, the header's count and the notifications page."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from watches.models import Notification, Watch
from watches.notify import Mention, watchers_notify
from watches.things import address_thing, line_thing, number_thing, referral_thing

from ..lines.factories import LineFactory
from ..persons.factories import PersonFactory
from ..safeguarding.factories import ReferralFactory

pytestmark = pytest.mark.django_db

START = reverse("watches:watch_start")


def test_an_officer_watches_a_number_from_the_number_search(intel_client, intel):
    response = intel_client.post(
        START,
        {"kind": "number", "value": "+447700900664", "label": "07700 900664", "next": "/lines/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/lines/"
    watch = Watch.objects.get(user=intel)
    assert (watch.key, watch.label) == ("number:+447700900664", "07700 900664")
    event = AuditEvent.objects.get(action="create", object_type="watches.watch")
    assert event.detail == {"key": "number:+447700900664"}


def test_the_line_page_offers_to_watch_the_line_then_to_stop(intel_client, intel):
    line = LineFactory()
    page = intel_client.get(line.get_absolute_url()).content.decode()
    assert "Watch this line" in page

    intel_client.post(START, {"kind": "line", "value": line.pk})

    page = intel_client.get(line.get_absolute_url()).content.decode()
    assert "Stop watching this line" in page
    watch = Watch.objects.get(user=intel, key=line_thing(line.pk))
    intel_client.post(reverse("watches:watch_stop", args=[watch.pk]))
    assert not Watch.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="watches.watch").exists()


def test_a_person_and_their_address_can_be_watched(intel_client, intel):
    person = PersonFactory()
    person.addresses.create(address="1 High Street\nYork", postcode="YO1 1AA")
    page = intel_client.get(person.get_absolute_url()).content.decode()
    assert "Watch this person" in page
    assert "Watch this address" in page

    intel_client.post(
        START, {"kind": "address", "value": "1 High Street\nYork", "postcode": "YO1 1AA"}
    )

    watch = Watch.objects.get(user=intel)
    assert watch.key == address_thing(address="1 high street", postcode="yo11aa")
    assert watch.label == "1 High Street, YO1 1AA"


def test_a_partner_watches_a_referral_shared_with_them(partner_client, partner):
    referral = ReferralFactory()  # shared with the partner's agency
    page = partner_client.get(referral.get_absolute_url()).content.decode()
    assert "Watch this referral" in page
    assert "Watch this address" not in page  # a police user's thing

    partner_client.post(START, {"kind": "referral", "value": referral.pk})

    assert Watch.objects.get(user=partner).key == referral_thing(referral.pk)


def test_a_partner_cannot_watch_a_referral_not_shared_with_them(partner2_client, partner2):
    referral = ReferralFactory()  # not shared with Fire and Rescue

    response = partner2_client.post(START, {"kind": "referral", "value": referral.pk})

    assert response.status_code == 404
    assert not Watch.objects.exists()
    assert AuditEvent.objects.filter(action="access_denied", object_id=str(referral.pk)).exists()


@pytest.mark.parametrize(
    "asked",
    [
        {"kind": "number", "value": "+447700900664"},
        {"kind": "address", "value": "12 Example Street", "postcode": "YO1 7HH"},
    ],
)
def test_a_partner_cannot_watch_numbers_or_addresses(partner_client, asked):
    response = partner_client.post(START, asked)

    assert response.status_code == 403
    assert not Watch.objects.exists()


def test_a_partner_cannot_watch_a_line(partner_client):
    response = partner_client.post(START, {"kind": "line", "value": LineFactory().pk})

    assert response.status_code == 404
    assert not Watch.objects.exists()


def notify_of(line, *, watcher, actor):
    Watch.objects.create(user=watcher, key=line_thing(line.pk), label=line.reference)
    mention = Mention(line_thing(line.pk), "lines.line", line.pk, "County line changed")
    watchers_notify(user=actor, mentions=[mention])
    return Notification.objects.get(user=watcher)


def test_the_header_counts_unread_notifications(intel_client, intel, manager):
    home = intel_client.get(reverse("web:home")).content.decode()
    assert 'data-testid="notification-count"' not in home

    notify_of(LineFactory(), watcher=intel, actor=manager)

    home = intel_client.get(reverse("web:home")).content.decode()
    assert 'data-testid="notification-count">1<' in home


def test_the_notifications_page_lists_them_and_opening_one_marks_it_read(
    intel_client, intel, manager
):
    line = LineFactory()
    notification = notify_of(line, watcher=intel, actor=manager)

    page = intel_client.get(reverse("watches:notification_list")).content.decode()

    assert "County line changed" in page
    assert line.reference in page
    listed = AuditEvent.objects.get(action="search", object_type="watches.notification")
    assert listed.detail["records"] == [f"lines.line:{line.pk}"]
    opened = intel_client.get(reverse("watches:notification_open", args=[notification.pk]))
    assert opened["Location"] == line.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None
    home = intel_client.get(reverse("web:home")).content.decode()
    assert 'data-testid="notification-count"' not in home


def test_mark_all_as_read(intel_client, intel, manager):
    notify_of(LineFactory(), watcher=intel, actor=manager)

    intel_client.post(reverse("watches:notifications_read"))

    assert not Notification.objects.filter(read_at=None).exists()


def test_nobody_opens_anothers_notification(manager_client, intel, manager):
    notification = notify_of(LineFactory(), watcher=intel, actor=manager)

    response = manager_client.get(reverse("watches:notification_open", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_email_is_asked_for_per_watch(intel_client, intel):
    watch = Watch.objects.create(user=intel, key=number_thing("+447700900664"), label="x")

    intel_client.post(reverse("watches:watch_email", args=[watch.pk]), {"email": "yes"})

    watch.refresh_from_db()
    assert watch.email
    page = intel_client.get(reverse("watches:watch_list")).content.decode()
    assert "Stop e-mails" in page


def test_a_partners_notifications_page_never_shows_an_exchange_between_others(
    partner2_client, partner2, intel
):
    """The attack: Fire and Rescue watches a referral shared with it, then the police
    record an exchange with the council alone."""
    from safeguarding.models import ReferralShare, ShareStatus

    from ..safeguarding.factories import ExchangeFactory, agency

    referral = ReferralFactory()
    ReferralShare.objects.create(
        referral=referral,
        agency=agency("North Yorkshire Fire and Rescue Service"),
        status=ShareStatus.CONFIRMED,
    )
    Watch.objects.create(user=partner2, key=referral_thing(referral.pk), label="BG")
    exchange = ExchangeFactory(referral=referral)  # police to the council
    mention = Mention(
        referral_thing(referral.pk),
        "safeguarding.informationexchange",
        exchange.pk,
        "New information exchange",
        "safeguarding.referral",
        referral.pk,
    )
    watchers_notify(user=intel, mentions=[mention])
    hidden = Notification.objects.get(user=partner2)

    page = partner2_client.get(reverse("watches:notification_list")).content.decode()
    home = partner2_client.get(reverse("safeguarding:home")).content.decode()
    opened = partner2_client.get(reverse("watches:notification_open", args=[hidden.pk]))

    assert "New information exchange" not in page
    assert "You have no notifications" in page
    assert 'data-testid="notification-count"' not in home
    assert opened.status_code == 404


def test_the_officers_home_page_lists_the_news_on_what_they_watch(intel_client, intel, manager):
    line = LineFactory()
    notification = notify_of(line, watcher=intel, actor=manager)

    home = intel_client.get(reverse("web:home")).content.decode()

    assert 'data-testid="home-watch-news"' in home
    assert reverse("watches:notification_open", args=[notification.pk]) in home
    assert AuditEvent.objects.filter(
        action="search", object_label="Home: news on what you watch"
    ).exists()


def test_the_header_says_99_plus_rather_than_count_every_unread_notification(intel_client, intel):
    line = LineFactory()
    watch = Watch.objects.create(user=intel, key=line_thing(line.pk), label=line.reference)
    Notification.objects.bulk_create(
        Notification(
            user=intel,
            watch=watch,
            event="County line changed",
            record_type="lines.line",
            record_id=line.pk,
            url=line.get_absolute_url(),
        )
        for _ in range(120)
    )

    home = intel_client.get(reverse("web:home")).content.decode()

    assert 'data-testid="notification-count">99+<' in home
