"""Two people edit the same record at once, in two browsers, on every record form of every
app (records.versions): both open the form, the first saves, the second saves and is told
someone else changed it, with the first's change kept; saving again, having seen it, is
the second's deliberate choice and is kept.

A form is a row of FORMS: how to make its record, where its form is, who edits it, and
one field each editor changes to a value of their own.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Role
from lines.models import LineNumber
from panel.models import ChartAnnotation, DrugDeath, PanelReport
from persons.models import LineRole, LineRoleKind, PersonAddress, PersonNumber
from tests.factories import UserFactory
from tests.helpers import fill_date
from tests.lines.factories import LineFactory, LineNumberFactory, PhoneNumberFactory
from tests.operations.factories import (
    ArrestFactory,
    ChargeFactory,
    OperationFactory,
    SeizureFactory,
    SentenceFactory,
)
from tests.persons.factories import PersonFactory
from tests.safeguarding.factories import ActionFactory, OccupantFactory, ReferralFactory

from .helpers import sign_in_by_cookie

pytestmark = pytest.mark.browser

Value = str | datetime.date


@dataclass(frozen=True)
class RecordForm:
    name: str
    make: Callable[[], object]  # the record, from factories
    url: Callable[[object], str]  # its edit form
    editors: tuple[str, str]  # the role fixtures of the first and second editor
    field: str  # the label (a date's or a radio's legend) of the field both change
    first: Value
    second: Value
    stored: Callable[[object], Value]  # the field as stored, read afresh
    kind: Literal["text", "date", "radio"] = "text"
    also: Callable[[object], None] | None = None  # fills the form's other required fields


def attr(name: str) -> Callable[[object], Value]:
    return lambda record: getattr(type(record)._default_manager.get(pk=record.pk), name)


def display(name: str) -> Callable[[object], Value]:
    def stored(record):
        return getattr(type(record)._default_manager.get(pk=record.pk), f"get_{name}_display")()

    return stored


def line_record() -> object:
    return LineFactory(first_identified=datetime.date(2024, 1, 2))


def operations_url(kind: str):
    return lambda record: reverse(f"operations:{kind}_update", args=[record.pk])


def referral_url(name: str):
    return lambda record: reverse(f"safeguarding:{name}", args=[record.referral_id, record.pk])


def persons_url(name: str):
    return lambda record: reverse(f"persons:{name}", args=[record.person_id, record.pk])


def closing(legend: str, reason: str):
    """Fills the closing date and the reason of a close form, the same for both editors."""

    def fill(page) -> None:
        fill_date(page, "Date closed", "2024-02-29")
        radios(page, legend).get_by_label(reason, exact=True).check()

    return fill


def radios(page, legend: str):
    return page.get_by_role("group", name=legend, exact=True)


def report() -> PanelReport:
    return PanelReport.objects.create(
        period_kind="year",
        start=datetime.date(2021, 1, 1),
        end=datetime.date(2021, 12, 31),
        as_at=datetime.date(2022, 1, 15),
        title="Police, Fire and Crime Panel report: 2021",
    )


def computed_report() -> PanelReport:
    """A report whose figures are computed: its sections' text can be changed."""
    from panel.periods import year_of
    from panel.snapshots import snapshot_compute

    made = report()
    snapshot_compute(period=year_of(made.start), as_at=made.as_at)
    return made


def first_sentence(record) -> str:
    drafts = PanelReport.objects.get(pk=record.pk).drafts
    return drafts.get("county_lines", {}).get("0", {}).get("text", "")


def paragraph(record) -> str:
    return PanelReport.objects.get(pk=record.pk).paragraphs.get("county_lines", "")


FORMS = [
    RecordForm(
        "line",
        make=line_record,
        url=lambda line: reverse("lines:line_update", args=[line.pk]),
        editors=("intel", "intel2"),
        field="Summary",
        first="Sold from a flat on Walmgate.",
        second="Sold from a car park in Selby.",
        stored=attr("summary"),
    ),
    RecordForm(
        "line closing",
        make=line_record,
        url=lambda line: reverse("lines:line_close", args=[line.pk]),
        editors=("intel", "intel2"),
        field="Date closed",
        kind="date",
        first=datetime.date(2024, 3, 1),
        second=datetime.date(2024, 3, 8),
        stored=attr("closed_on"),
        also=lambda page: (
            radios(page, "Type of closure")
            .get_by_label("Type 1: line holder charged", exact=True)
            .check()
        ),
    ),
    RecordForm(
        "line's number, ended",
        make=lambda: LineNumberFactory(line=line_record(), number=PhoneNumberFactory()),
        url=lambda use: reverse("lines:line_number_end", args=[use.line_id, use.pk]),
        editors=("intel", "intel2"),
        field="Last used on",
        kind="date",
        first=datetime.date(2024, 2, 1),
        second=datetime.date(2024, 2, 20),
        stored=lambda use: LineNumber.objects.get(pk=use.pk).attributed_to,
    ),
    RecordForm(
        "person",
        make=PersonFactory,
        url=lambda person: reverse("persons:person_update", args=[person.pk]),
        editors=("intel", "intel2"),
        field="Aliases and nicknames",
        first="JJ",
        second="Little J",
        stored=attr("aliases"),
    ),
    RecordForm(
        "person's number",
        make=lambda: PersonNumber.objects.create(
            person=PersonFactory(),
            number=PhoneNumberFactory(),
            used_from=datetime.date(2021, 1, 4),
        ),
        url=persons_url("person_number_change"),
        editors=("intel", "intel2"),
        field="Used until",
        kind="date",
        first=datetime.date(2021, 5, 1),
        second=datetime.date(2021, 6, 1),
        stored=attr("used_to"),
    ),
    RecordForm(
        "person's address",
        make=lambda: PersonAddress.objects.create(
            person=PersonFactory(), address="1 Example Street"
        ),
        url=persons_url("person_address_change"),
        editors=("intel", "intel2"),
        field="Address",
        first="Flat 1, 1 Example Street",
        second="Flat 2, 1 Example Street",
        stored=attr("address"),
    ),
    RecordForm(
        "person's role on a line",
        make=lambda: LineRole.objects.create(
            person=PersonFactory(),
            line=line_record(),
            role=LineRoleKind.ASSOCIATE,
            started_on=datetime.date(2024, 1, 10),
            source_evaluation="2",
            assessment="B",
            handling_code="P",
        ),
        url=persons_url("line_role_change"),
        editors=("intel", "intel2"),
        field="Role",
        kind="radio",
        first="Runner",
        second="Line holder",
        stored=display("role"),
    ),
    RecordForm(
        "operation",
        make=OperationFactory,
        url=operations_url("operation"),
        editors=("intel", "intel2"),
        field="Name",
        first="Operation Ember",
        second="Operation Hawk",
        stored=attr("name"),
    ),
    RecordForm(
        "arrest",
        make=ArrestFactory,
        url=operations_url("arrest"),
        editors=("intel", "intel2"),
        field="Date of arrest",
        kind="date",
        first=datetime.date(2021, 10, 6),
        second=datetime.date(2021, 10, 7),
        stored=attr("arrested_on"),
    ),
    RecordForm(
        "charge",
        make=ChargeFactory,
        url=operations_url("charge"),
        editors=("intel", "intel2"),
        field="Offence",
        first="Possession of a class A drug",
        second="Supplying a class A drug",
        stored=attr("offence"),
    ),
    RecordForm(
        "sentence",
        make=SentenceFactory,
        url=operations_url("sentence"),
        editors=("intel", "intel2"),
        field="Custody, in months",
        first="36",
        second="60",
        stored=lambda sentence: str(attr("custody_months")(sentence)),
    ),
    RecordForm(
        "seizure",
        make=SeizureFactory,
        url=operations_url("seizure"),
        editors=("intel", "intel2"),
        field="Other items",
        first="Two phones",
        second="A knife",
        stored=attr("other_items"),
    ),
    RecordForm(
        "referral",
        make=ReferralFactory,
        url=lambda referral: reverse("safeguarding:referral_update", args=[referral.pk]),
        editors=("partner", "intel"),
        field="What is known of the take-over",
        first="Two men stay at the flat most nights.",
        second="The tenant has been seen with a runner.",
        stored=attr("summary"),
    ),
    RecordForm(
        "referral closing",
        make=ReferralFactory,
        url=lambda referral: reverse("safeguarding:referral_close", args=[referral.pk]),
        editors=("partner", "intel"),
        field="Notes",
        first="The tenant moved out.",
        second="A closure order was granted.",
        stored=attr("closure_note"),
        also=closing("Why it is closed", "Other"),
    ),
    RecordForm(
        "referral's suspected lines",
        make=lambda: (LineFactory(reference="CL-2021-0001"), ReferralFactory())[1],
        url=lambda referral: reverse("safeguarding:referral_lines", args=[referral.pk]),
        editors=("intel", "intel2"),
        field="Suspected county lines",
        first="CL-2021-0001",
        second="",
        stored=lambda referral: ", ".join(
            line.reference for line in referral.suspected_lines.all()
        ),
    ),
    RecordForm(
        "person at risk",
        make=OccupantFactory,
        url=referral_url("occupant_change"),
        editors=("partner", "intel"),
        field="About their vulnerabilities",
        first="Drinks heavily.",
        second="Has a learning disability.",
        stored=attr("vulnerability_notes"),
    ),
    RecordForm(
        "action",
        make=ActionFactory,
        url=referral_url("action_change"),
        editors=("partner", "intel"),
        field="Outcome",
        first="Visited; the tenant is safe.",
        second="No answer at the door.",
        stored=attr("outcome"),
    ),
    RecordForm(
        "report's paragraphs",
        make=report,
        url=lambda report: reverse("panel:report_paragraphs", args=[report.pk]),
        editors=("manager", "manager2"),
        field="County Lines",
        first="Most lines come from Merseyside.",
        second="Fewer lines than in 2020.",
        stored=paragraph,
    ),
    RecordForm(
        "report's section text",
        make=computed_report,
        url=lambda report: reverse("panel:report_section", args=[report.pk, "county_lines"]),
        editors=("manager", "manager2"),
        field="Sentence 1",
        first="No new Lines were found.",
        second="Lines were found in York.",
        stored=first_sentence,
    ),
    RecordForm(
        "report's title block",
        make=report,
        url=lambda report: reverse("panel:report_title_block", args=[report.pk]),
        editors=("manager", "manager2"),
        field="Agenda item",
        first="7",
        second="8",
        stored=attr("agenda_item"),
    ),
    RecordForm(
        "drug-related death",
        make=lambda: DrugDeath.objects.create(
            reference="DRD-2021-001", date_of_death=datetime.date(2021, 4, 1)
        ),
        url=lambda death: reverse("panel:death_update", args=[death.pk]),
        editors=("intel", "intel2"),
        field="Date of death",
        kind="date",
        first=datetime.date(2021, 5, 1),
        second=datetime.date(2021, 6, 1),
        stored=attr("date_of_death"),
    ),
    RecordForm(
        "shaded period",
        make=lambda: ChartAnnotation.objects.create(
            name="Lockdown 1",
            starts_on=datetime.date(2020, 3, 23),
            ends_on=datetime.date(2020, 6, 15),
        ),
        url=lambda annotation: reverse("panel:annotation_edit", args=[annotation.pk]),
        editors=("manager", "manager2"),
        field="Name",
        first="First national lockdown",
        second="Lockdown, England",
        stored=attr("name"),
    ),
]


@pytest.fixture
def intel2(db):
    return UserFactory(username="intel2", role=Role.INTELLIGENCE_OFFICER, first_name="Ian")


@pytest.fixture
def manager2(db):
    return UserFactory(username="manager2", role=Role.MANAGER, first_name="Mona")


@pytest.fixture
def editor_page(browser, live_server):
    """`editor_page(user)`: a page of a browser of its own (its own cookies), signed in as
    `user` (helpers.sign_in_by_cookie: twice a case through the form would double these
    tests' time)."""
    contexts = []
    errors: list[str] = []

    def editor_page(user):
        context = browser.new_context(base_url=live_server.url)
        contexts.append(context)
        sign_in_by_cookie(context, user, live_server.url)
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    editor_page.errors = errors  # JavaScript exceptions, CSP violations, failed loads
    yield editor_page
    for context in contexts:
        context.close()


def set_field(page, form: RecordForm, value: Value) -> None:
    if form.kind == "date":
        group = page.get_by_role("group", name=form.field, exact=True)
        for label, text in zip(("Day", "Month", "Year"), date_texts(value), strict=True):
            group.get_by_label(label, exact=True).fill(text)
    elif form.kind == "radio":
        radios(page, form.field).get_by_label(value, exact=True).check()
    else:
        page.get_by_label(form.field, exact=True).fill(value)


def expect_field_holds(page, form: RecordForm, value: Value) -> None:
    if form.kind == "date":
        group = page.get_by_role("group", name=form.field, exact=True)
        for label, text in zip(("Day", "Month", "Year"), date_texts(value), strict=True):
            expect(group.get_by_label(label, exact=True)).to_have_value(text)
    elif form.kind == "radio":
        expect(radios(page, form.field).get_by_label(value, exact=True)).to_be_checked()
    else:
        expect(page.get_by_label(form.field, exact=True)).to_have_value(value)


def date_texts(value: datetime.date) -> tuple[str, str, str]:
    return (str(value.day), str(value.month), str(value.year))


def submit(page) -> int:
    """Saves the form; once this returns, the server has answered (its status)."""
    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        page.locator("main form button[type=submit]").first.click()
    return sent.value.status


@pytest.mark.parametrize("form", FORMS, ids=[form.name for form in FORMS])
def test_the_second_of_two_editors_is_told_and_the_first_change_is_kept(request, editor_page, form):
    first_editor, second_editor = (request.getfixturevalue(name) for name in form.editors)
    record = form.make()
    url = form.url(record)
    first, second = editor_page(first_editor), editor_page(second_editor)
    for page in (first, second):
        page.goto(url)
        if form.also:
            form.also(page)

    set_field(first, form, form.first)
    assert submit(first) == 302
    assert form.stored(record) == form.first

    set_field(second, form, form.second)
    assert submit(second) == 200  # the form again, saying why
    conflict = second.get_by_test_id("edit-conflict")
    expect(conflict).to_contain_text("Changed by someone else")
    expect(conflict).to_contain_text(first_editor.get_full_name())
    expect_field_holds(second, form, form.second)  # their own input, kept
    assert form.stored(record) == form.first

    assert submit(second) == 302  # again, having seen the other change
    assert form.stored(record) == form.second
    assert editor_page.errors == []
