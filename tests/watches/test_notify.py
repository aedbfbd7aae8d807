"""The hook: which writes tell which watchers, in how many statements."""

import datetime
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from imports.runner import import_csv
from lines.services import line_number_attribute
from operations.models import Arrest
from operations.services import enforcement_create
from persons.services import person_address_add
from reference.models import CommandArea
from safeguarding.models import LawfulBasis, ReferralShare, ShareStatus
from safeguarding.services import exchange_record
from watches.models import Notification, Watch
from watches.notify import Mention, watchers_notify
from watches.selectors import notifications_unread_count, notifications_visible
from watches.services import watch_start
from watches.things import address_thing, line_thing, number_thing, person_thing, referral_thing

from ..conftest import COUNCIL, FIRE, POLICE, make_user
from ..imports.utils import LINES_HEADER, NUMBERS_HEADER, line_rows
from ..lines.factories import LineFactory
from ..persons.factories import PersonFactory
from ..safeguarding.factories import ReferralFactory, agency

pytestmark = pytest.mark.django_db

WATCHED = "+447700900664"


def run(kind: str, *lines: str, user=None):
    source = io.BytesIO(("\n".join(lines) + "\n").encode())
    result = import_csv(kind=kind, source=source, source_name="f.csv", user=user)
    assert result.ok, result.error_lines("f.csv")
    return result


def number_rows(count: int, *, first: int = 0, lines: int = 10) -> list[str]:
    """`count` attributions of 07700 9xxxxx numbers to lines L00001.. L000<lines>."""
    return [
        f"L{(n % lines) + 1:05d},07700 {900000 + first + n:06d},2021-02-01," for n in range(count)
    ]


@pytest.fixture
def lines_imported(db):
    run("lines", LINES_HEADER, *line_rows(10, start=1))


@pytest.fixture
def officer(db):
    return make_user("watcher", Role.INTELLIGENCE_OFFICER, POLICE, "Wanda Watcher")


def test_things_are_named_the_same_whatever_the_spelling():
    assert address_thing(address="12, High St.\nYork", postcode="yo1 7hh") == address_thing(
        address="12 high st", postcode="YO17HH"
    )
    assert address_thing(address="", postcode="") is None
    assert number_thing(WATCHED) == "number:+447700900664"


def test_a_number_in_an_imported_file_notifies_its_watcher(lines_imported, officer, intel):
    watch_start(user=officer, key=number_thing(WATCHED), label="07700 900664")

    run("line_numbers", NUMBERS_HEADER, *number_rows(20, first=650), user=intel)

    notification = Notification.objects.get()
    line = notification.url.rstrip("/").split("/")[-1]
    assert notification.user == officer
    assert notification.event == "New attribution of a number"
    assert notification.record_type == "lines.linenumber"
    assert notification.url == f"/lines/{line}/"
    assert notifications_unread_count(user=officer) == 1
    assert notifications_unread_count(user=intel) == 0


def test_nobody_is_told_of_their_own_change(lines_imported, officer):
    watch_start(user=officer, key=number_thing(WATCHED), label="07700 900664")

    run("line_numbers", NUMBERS_HEADER, *number_rows(20, first=650), user=officer)

    assert not Notification.objects.exists()


def test_an_unchanged_row_tells_nobody(lines_imported, officer, intel):
    rows = number_rows(20, first=650)
    run("line_numbers", NUMBERS_HEADER, *rows, user=intel)
    watch_start(user=officer, key=number_thing(WATCHED), label="07700 900664")

    run("line_numbers", NUMBERS_HEADER, *rows, user=intel)

    assert not Notification.objects.exists()


def statements(kind: str, header: str, rows: list[str], user) -> int:
    with CaptureQueriesContext(connection) as captured:
        run(kind, header, *rows, user=user)
    return len(captured)


def test_a_block_costs_one_statement_more_with_watches_whatever_their_number(lines_imported, intel):
    """The watches of a block's things are found in one query, with or without watches,
    and the notifications written in one insert when there are any."""
    unwatched = statements("line_numbers", NUMBERS_HEADER, number_rows(200, first=0), intel)
    watcher = make_user("w0", Role.INTELLIGENCE_OFFICER, POLICE, "Wendy Zero")
    watch_start(user=watcher, key=number_thing("+447700901100"), label="x")
    one_watch = statements("line_numbers", NUMBERS_HEADER, number_rows(200, first=1000), intel)
    for n in range(1, 40):
        user = make_user(f"w{n}", Role.INTELLIGENCE_OFFICER, POLICE, "Wendy Many")
        for number in range(2000, 2200, 5):
            watch_start(
                user=user, key=number_thing(f"+4477009{number + 900000 - 900000:05d}"), label="x"
            )
    many_watches = statements("line_numbers", NUMBERS_HEADER, number_rows(200, first=2000), intel)

    assert Notification.objects.filter(user=watcher).count() == 1
    assert Notification.objects.count() == 1 + 39 * 40
    assert one_watch == unwatched + 1
    assert many_watches == one_watch


def test_a_block_of_the_engine_costs_one_statement_more_with_watches(lines_imported, intel):
    """Records keyed by reference (`records.upserts`): lines re-imported with new names."""

    def renamed(brand: str) -> list[str]:
        return [row.replace("Brand", brand) for row in line_rows(10, start=1)]

    unwatched = statements("lines", LINES_HEADER, renamed("Other"), intel)
    watcher = make_user("w0", Role.INTELLIGENCE_OFFICER, POLICE, "Wendy Zero")
    from lines.models import Line

    for line in Line.objects.all():
        watch_start(user=watcher, key=line_thing(line.pk), label=line.reference)
    watched = statements("lines", LINES_HEADER, renamed("Third"), intel)

    assert watched == unwatched + 1
    assert set(Notification.objects.values_list("event", flat=True)) == {"County line changed"}
    assert Notification.objects.count() == 10


def test_the_lookup_is_one_query_whatever_the_number_of_watches(officer, intel):
    mentions = [Mention(person_thing(n), "persons.person", n, "New person") for n in range(500)]
    for n in range(0, 500, 2):
        Watch.objects.create(user=officer, key=person_thing(n), label=str(n))
    # Urls are worked out for the records watched: give them records that exist.
    with CaptureQueriesContext(connection) as captured:
        written = watchers_notify(user=intel, mentions=mentions)

    assert written == 250
    assert len(captured) == 2  # the lookup and the insert


def test_nothing_watched_costs_one_query_and_writes_nothing(intel):
    mentions = [Mention(person_thing(n), "persons.person", n, "New person") for n in range(50)]
    with CaptureQueriesContext(connection) as captured:
        assert watchers_notify(user=intel, mentions=mentions) == 0
    assert len(captured) == 1


def test_an_arrest_on_screen_tells_the_watchers_of_its_person_and_line(officer, intel):
    person, line = PersonFactory(), LineFactory()
    watch_start(user=officer, key=person_thing(person.pk), label=person.reference)
    watch_start(user=officer, key=line_thing(line.pk), label=line.reference)

    arrest = enforcement_create(
        model=Arrest,
        user=intel,
        reference="AR-1",
        person=person,
        line=line,
        arrested_on=datetime.date(2021, 3, 1),
        command_area=CommandArea.objects.get(name="York"),
    )

    # The arrest names both: one notification.
    notification = Notification.objects.get()
    assert (notification.record_type, notification.record_id) == ("operations.arrest", arrest.pk)
    assert notification.url == arrest.get_absolute_url()
    assert notification.event == "New arrest"


def test_an_attribution_on_screen_notifies_like_an_import(officer, intel):
    line = LineFactory()
    watch_start(user=officer, key=number_thing(WATCHED), label="07700 900664")

    line_number_attribute(
        user=intel, line=line, number="07700900664", attributed_from=datetime.date(2024, 2, 1)
    )

    notification = Notification.objects.get()
    assert notification.url == line.get_absolute_url()
    assert notification.event == "New attribution of a number"


def test_a_persons_new_address_tells_the_watchers_of_the_address(officer, intel):
    referral = ReferralFactory(address="12 Example Street\nYork", postcode="YO1 7HH")
    watch_start(
        user=officer,
        key=address_thing(address=referral.address, postcode=referral.postcode),
        label="12 Example Street, YO1 7HH",
    )
    person = PersonFactory()

    person_address_add(user=intel, person=person, address="12, example street", postcode="yo17hh")

    notification = Notification.objects.get()
    assert notification.url == person.get_absolute_url()
    assert notification.event == "New address of a person"


def test_watchers_asking_for_it_get_an_email_without_personal_data(
    lines_imported, officer, intel, django_capture_on_commit_callbacks
):
    officer.email = "wanda@example.police.uk"
    officer.save()
    watch = watch_start(user=officer, key=number_thing(WATCHED), label="07700 900664")
    watch.email = True
    watch.save()

    with django_capture_on_commit_callbacks(execute=True):
        run("line_numbers", NUMBERS_HEADER, *number_rows(20, first=650), user=intel)

    (email,) = mail.outbox
    assert email.to == ["wanda@example.police.uk"]
    assert email.subject.startswith("Something you watch has new information")
    assert "/notifications/" in email.body
    for personal in ("07700", "900664", "L0000", "Wanda"):
        assert personal not in email.body + email.subject
    assert Notification.objects.get().emailed_at is not None


def test_a_dry_run_tells_nobody(lines_imported, officer, intel, django_capture_on_commit_callbacks):
    watch = watch_start(user=officer, key=number_thing(WATCHED), label="07700 900664")
    watch.email = True
    watch.save()
    source = io.BytesIO(("\n".join([NUMBERS_HEADER, *number_rows(20, first=650)]) + "\n").encode())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_csv(
            kind="line_numbers", source=source, source_name="f.csv", user=intel, dry_run=True
        )

    assert not Notification.objects.exists()
    assert not callbacks
    assert not mail.outbox


class TestAPartnerIsNeverToldOfWhatTheyMayNotSee:
    """Fire and Rescue watches a referral shared with it; an exchange between the police
    and the council about it is none of its business."""

    @pytest.fixture
    def referral(self):
        referral = ReferralFactory()  # the council's, shared with the council
        ReferralShare.objects.create(
            referral=referral, agency=agency(FIRE), status=ShareStatus.CONFIRMED
        )
        return referral

    def exchange(self, referral, to: str):
        actor = make_user(f"actor-{to[:4]}", Role.INTELLIGENCE_OFFICER, POLICE, "Otto Actor")
        return exchange_record(
            user=actor,
            referral=referral,
            from_agency=agency(POLICE),
            to_agencies=[agency(to)],
            shared_on=datetime.date(2021, 10, 6),
            summary="Seen at the address.",
            lawful_basis=LawfulBasis.CRIME_AND_DISORDER_ACT,
            handling_code="P",
        )

    def test_an_exchange_between_other_agencies_is_not_shown(self, referral, partner2, intel):
        watch_start(user=partner2, key=referral_thing(referral.pk), label=referral.reference)
        watch_start(user=intel, key=referral_thing(referral.pk), label=referral.reference)

        self.exchange(referral, COUNCIL)

        # Written for both, shown to the police only.
        assert Notification.objects.filter(user=partner2).count() == 1
        assert notifications_unread_count(user=partner2) == 0
        assert not notifications_visible(user=partner2).exists()
        assert notifications_unread_count(user=intel) == 1

    def test_an_exchange_with_their_agency_is_shown(self, referral, partner2):
        watch_start(user=partner2, key=referral_thing(referral.pk), label=referral.reference)

        self.exchange(referral, FIRE)

        assert notifications_unread_count(user=partner2) == 1

    def test_a_referral_no_longer_shared_is_no_longer_shown(self, referral, partner2, intel):
        watch_start(user=partner2, key=referral_thing(referral.pk), label=referral.reference)
        changed = Mention(
            referral_thing(referral.pk), "safeguarding.referral", referral.pk, "Referral changed"
        )
        watchers_notify(user=intel, mentions=[changed])
        assert notifications_unread_count(user=partner2) == 1

        ReferralShare.objects.filter(agency=agency(FIRE)).delete()

        assert notifications_unread_count(user=partner2) == 0


def test_intelligence_on_a_line_tells_its_watchers(officer, intel):
    from lines.services import intelligence_entry_add

    line = LineFactory()
    watch_start(user=officer, key=line_thing(line.pk), label=line.reference)

    intelligence_entry_add(
        user=intel,
        line=line,
        text="Seen dealing outside the station.",
        source_evaluation="1",
        assessment="A",
        handling_code="P",
    )

    notification = Notification.objects.get()
    assert notification.event == "New intelligence on a line"
    assert notification.url == line.get_absolute_url()


def test_a_persons_new_role_tells_the_watchers_of_the_person_and_of_the_line(officer, intel):
    from persons.services import line_role_add

    person, line = PersonFactory(), LineFactory()
    line_watcher = make_user("lw", Role.INTELLIGENCE_OFFICER, POLICE, "Lena Watcher")
    watch_start(user=officer, key=person_thing(person.pk), label=person.reference)
    watch_start(user=line_watcher, key=line_thing(line.pk), label=line.reference)

    line_role_add(
        user=intel,
        person=person,
        line=line,
        role="runner",
        started_on=datetime.date(2024, 1, 20),
        source_evaluation="1",
        assessment="A",
        handling_code="P",
    )

    assert sorted(Notification.objects.values_list("user__username", "event")) == [
        ("lw", "New role on a line"),
        ("watcher", "New role on a line"),
    ]
    assert {n.url for n in Notification.objects.all()} == {person.get_absolute_url()}


def test_a_referral_changed_on_screen_tells_its_watchers(officer, intel):
    from safeguarding.services import referral_update

    referral = ReferralFactory()
    watch_start(user=officer, key=referral_thing(referral.pk), label=referral.reference)

    referral_update(referral=referral, user=intel, summary="Now two males at the address.")

    notification = Notification.objects.get()
    assert notification.event == "Referral changed"
    assert notification.url == referral.get_absolute_url()


def test_a_referral_linked_to_a_line_tells_the_lines_watchers(officer, intel):
    from safeguarding.services import referral_lines_set

    referral, line = ReferralFactory(), LineFactory()
    watch_start(user=officer, key=line_thing(line.pk), label=line.reference)

    referral_lines_set(referral=referral, user=intel, lines=[line])

    notification = Notification.objects.get()
    assert notification.event == "Referral changed"
    assert notification.url == referral.get_absolute_url()


def test_an_imported_referral_naming_a_watched_line_tells_its_watchers(officer, intel):
    line = LineFactory(reference="CL-2021-012")
    watch_start(user=officer, key=line_thing(line.pk), label=line.reference)

    run(
        "referrals",
        "reference,referred_on,referring_agency,command_area,line_references",
        "BG-2021-001,2021-10-04,North Yorkshire Police,York,CL-2021-012",
        user=intel,
    )

    assert Notification.objects.get().event == "New referral"
