"""The three journeys of the service, end to end in Chromium: an intelligence officer's,
a partner's and a manager's. Every page on the way is screenshotted (helpers.Journey:
$BROWSER_SCREENSHOTS_DIR, else browser-screenshots/journeys/<test>/) and has no serious or
critical axe-core violation."""

import datetime
import io
import re

import docx
import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect
from pypdf import PdfReader

from lines.models import Line
from panel.models import PanelReport
from safeguarding.models import ReferralShare, ShareStatus
from tests.imports.utils import LINES_HEADER
from tests.lines.factories import LineFactory
from tests.safeguarding.factories import ReferralFactory, agency

from ..helpers import fill_date
from .helpers import (
    Journey,
    enter_security_code,
    expect_the_2021_figures,
    prepare_the_2021_report,
    search_from_the_header,
    sign_in_with_password,
    upload,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]

COUNCIL = "City of York Council"
FIRE = "North Yorkshire Fire and Rescue Service"
POLICE = "North Yorkshire Police"


@pytest.fixture
def journey(page, request):
    return Journey(page, request.node.originalname)


def summary_value(page, key: str):
    """The value of the row `key` of the line's summary list."""
    row = page.get_by_test_id("line-summary").locator(".govuk-summary-list__row", has_text=key)
    return row.locator(".govuk-summary-list__value")


def navigate(page, name: str) -> None:
    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name=name, exact=True
    ).click()


# --- The intelligence officer -------------------------------------------------------------


@pytest.fixture
def authenticator(intel):
    """The officer's authenticator app, set up at an earlier sign-in."""
    return TOTPDevice.objects.create(user=intel, name="Authenticator app", confirmed=True)


def test_an_intelligence_officer_records_a_line_finds_it_by_number_and_imports_lines(
    page, journey, intel, authenticator
):
    page.goto("/")
    journey.step("Sign in")
    sign_in_with_password(page, intel)
    journey.step("Security code")
    enter_security_code(page, authenticator)
    expect(page.get_by_test_id("signed-in-user")).to_contain_text(intel.get_full_name())
    journey.step("Home")

    navigate(page, "County lines")
    journey.step("Lines")
    page.get_by_role("link", name="Add a line").click()
    journey.step("Add a line")
    page.get_by_label("Reference").fill("CL-2024-100")
    page.get_by_label("Brand name").fill("Dolla")
    page.get_by_label("Origin force").focus()
    page.keyboard.type("Merseyside")  # the select's type-ahead
    expect(page.get_by_label("Origin force").locator("option:checked")).to_have_text(
        "Merseyside Police"
    )
    page.get_by_label("York", exact=True).click()
    page.get_by_label("Selby", exact=True).focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("Selby", exact=True)).to_be_checked()
    fill_date(page, "Date first identified", ("1", "March", "2024"))
    page.get_by_role("button", name="Add the line").click()

    expect(page).to_have_url(re.compile(r"/lines/\d+/$"))
    expect(page.get_by_text("Line CL-2024-100 Dolla created.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dolla")
    expect(summary_value(page, "Origin force")).to_have_text("Merseyside Police")
    expect(summary_value(page, "Destination command areas")).to_have_text("Selby, York")
    journey.step("Line created")

    numbers = page.get_by_test_id("line-numbers").locator("tbody tr")
    for typed, used_from, national in [
        ("0044 7712-345-678", "2024-03-05", "07712 345678"),
        ("07911123456", "2024-03-20", "07911 123456"),
    ]:
        page.get_by_role("link", name="Attribute a number").click()
        journey.step(f"Attribute {national}")
        page.get_by_label("Phone number", exact=True).fill(typed)
        fill_date(page, "Used from", used_from)
        page.get_by_role("button", name="Attribute the number").click()
        expect(page.get_by_text(f"{national} attributed to CL-2024-100.")).to_be_visible()
        journey.step(f"{national} attributed")
    expect(numbers).to_have_count(2)
    expect(numbers.filter(has_text="07712 345678")).to_have_count(1)
    expect(numbers.filter(has_text="07911 123456")).to_have_count(1)

    search_from_the_header(page, "+44 (7911) 123-456")
    page.get_by_test_id("found-numbers").get_by_role("link", name="07911 123456").click()
    expect(page.get_by_test_id("number-known")).to_have_text("07911 123456 is known")
    uses = page.get_by_test_id("number-uses").locator("tbody tr")
    expect(uses).to_have_count(1)
    expect(uses.first).to_contain_text("CL-2024-100 Dolla")
    journey.step("Number found")
    uses.first.get_by_role("link", name="CL-2024-100").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dolla")
    journey.step("The line, from the search")

    navigate(page, "Import data")
    journey.step("Import data")
    rows = [
        "CL-2024-201,Dolla Two,Nowhere,York,2024-01-15,",
        "CL-2024-202,Bando,Merseyside Police,York,2024-02-30,",
        "CL-2024-203,Tiny,West Midlands,Harrogate,2024-02-20,",
    ]
    upload(page, "Lines", "lines.csv", LINES_HEADER, *rows)

    problems = page.get_by_test_id("import-errors")
    expect(problems).to_be_focused()  # a GOV.UK error summary
    expect(problems).to_contain_text("There are problems with lines.csv")
    expect(problems).to_contain_text("Nothing was imported.")
    expect(problems.get_by_role("listitem")).to_have_text(["2 problems, row by row"])
    table = page.get_by_test_id("import-problems")
    expect(table.get_by_role("row")).to_have_count(3)  # the header and two problems
    expect(table).to_contain_text("Unknown force “Nowhere”.")
    expect(table).to_contain_text("“2024-02-30” is not a real date.")
    expect(page.get_by_test_id("import-status")).to_have_text("Problems found")
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)
    journey.step("Import problems")
    assert Line.objects.count() == 1

    navigate(page, "Import data")
    rows[0] = rows[0].replace("Nowhere", "Merseyside Police")
    rows[1] = rows[1].replace("2024-02-30", "2024-02-29")
    upload(page, "Lines", "lines.csv", LINES_HEADER, *rows)

    expect(page.get_by_role("heading", name="lines.csv")).to_be_visible()
    expect(page.get_by_test_id("import-status")).to_have_text("Checked, waiting for confirmation")
    expect(page.get_by_test_id("import-summary")).to_have_text(
        "3 lines to create, 0 to update, 0 unchanged"
    )
    expect(page.get_by_text("Nothing has been written yet.")).to_be_visible()
    journey.step("Import checked")
    assert Line.objects.count() == 1

    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()
    expect(page.get_by_test_id("import-summary")).to_have_text(
        "3 lines created, 0 updated, 0 unchanged"
    )
    journey.step("Import complete")

    navigate(page, "County lines")
    expect(page.get_by_test_id("list-count")).to_have_text("4 lines")
    journey.step("Lines after the import")


# --- The partner --------------------------------------------------------------------------


@pytest.fixture
def referrals(db):
    """One referral the council shares with the fire service, one the fire service keeps
    to itself, and a county line."""
    ours = ReferralFactory(reference="BG/2021/0101", address="Flat 2\n8 Sample Road")
    ReferralShare.objects.create(referral=ours, agency=agency(FIRE), status=ShareStatus.CONFIRMED)
    theirs = ReferralFactory(reference="BG/2021/0102", referring_agency=agency(FIRE))
    line = LineFactory(reference="CL-2021-0042")
    return {"ours": ours, "theirs": theirs, "line": line}


def test_a_partner_sees_their_agencys_referrals_records_and_is_refused_the_rest(
    page, journey, sign_in_as, console_errors, partner, referrals
):
    sign_in_as(partner)
    expect(page.get_by_role("heading", level=1)).to_have_text("Safeguarding")
    expect(page.get_by_test_id("open-referrals").locator("tbody tr")).to_have_count(1)
    journey.step("Overview")

    page.get_by_role("link", name="See them all").click()
    listed = page.get_by_test_id("referrals").locator("tbody tr")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text("BG/2021/0101")
    journey.step("Referrals")

    listed.first.get_by_role("link", name="BG/2021/0101").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("YO1 7HH")
    journey.step("Referral")

    page.get_by_role("link", name="Record an exchange").click()
    journey.step("Record an exchange")
    expect(page.get_by_label("Shared by")).to_have_count(0)  # their own agency, always
    page.get_by_label(POLICE).check()
    fill_date(page, "Date shared", "2021-10-06")
    page.get_by_label("What was shared").fill("Visitors late at night; the tenant is scared.")
    page.get_by_label("Crime and Disorder Act 1998, section 115").check()
    page.get_by_label("P – lawful sharing permitted").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Information exchange recorded.")).to_be_visible()
    exchange = page.get_by_test_id("exchange")
    expect(exchange).to_contain_text("Visitors late at night")
    expect(exchange).to_contain_text(COUNCIL)
    journey.step("Exchange recorded")

    page.get_by_role("link", name="Record an action").click()
    journey.step("Record an action")
    page.get_by_label("Welfare visit").check()
    page.get_by_label("Details").fill("Visit with the housing officer.")
    page.get_by_label("Agency that does it").select_option(label=COUNCIL)
    fill_date(page, "Due date", datetime.date.today() + datetime.timedelta(days=7))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Action recorded.")).to_be_visible()
    expect(page.get_by_test_id("actions")).to_contain_text("Welfare visit")
    # Agreed with the council alone (the default): the fire service does not see it.
    expect(page.get_by_test_id("action-seen-by")).to_have_text(f"Seen by the police and {COUNCIL}")
    journey.step("Action recorded")

    line_url = f"/lines/{referrals['line'].pk}/"
    assert page.goto(line_url).status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")
    journey.step("A line refused")

    their_url = f"/safeguarding/referrals/{referrals['theirs'].pk}/"
    assert page.goto(their_url).status == 404
    expect(page.get_by_text("BG/2021/0102")).to_have_count(0)
    journey.step("Another agency's referral not found")

    # Chromium reports each refused page as a failed load; nothing else may be reported.
    assert console_errors == [
        "Failed to load resource: the server responded with a status of 403 (Forbidden)",
        "Failed to load resource: the server responded with a status of 404 (Not Found)",
    ]
    console_errors.clear()
    ours = referrals["ours"]
    assert [e.summary for e in ours.exchanges.all()] == [
        "Visitors late at night; the tenant is scared."
    ]
    assert ours.actions.get().owner_agency.name == COUNCIL


# --- The manager --------------------------------------------------------------------------


def test_a_manager_prepares_the_2021_panel_report_downloads_and_publishes_it(
    page, journey, sign_in_as, manager, figures
):
    sign_in_as(manager)
    journey.step("Home")

    navigate(page, "Panel reports")
    journey.step("Panel reports")
    prepare_the_2021_report(page)
    expect_the_2021_figures(page)
    journey.step("The report")

    # The manager rewrites a sentence written from the figures: the paper carries theirs.
    mine = "Three County Lines were identified in 2021, and all three are still active."
    page.get_by_role("link", name="Change the text of County Lines").click()
    journey.step("The County Lines section's text")
    # The section's second sentence (after where most Lines originated) says how many.
    sentence = page.get_by_label("Sentence 2", exact=True)
    expect(sentence).to_have_value(re.compile(r"In 2021, 3 County Lines were identified"))
    sentence.fill(mine)
    page.get_by_role("button", name="Save the text").click()
    expect(page.get_by_test_id("section-county_lines")).to_contain_text(mine)
    journey.step("A sentence rewritten")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as PDF").click()
    download = download_info.value
    assert download.suggested_filename == "panel-report-2021-01-01-to-2021-12-31.pdf"
    pdf = PdfReader(io.BytesIO(download.path().read_bytes()))
    words = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert mine in words and "In 2021, 3 County Lines were identified" not in words
    assert "Figure 1: Drug offences recorded between" in words
    assert "Figure 2: County Lines identified in 2021 by NYP command area" in words

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published: its figures and text will not change.")).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Published")).to_be_visible()
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)
    journey.step("Published")
    assert PanelReport.objects.get().is_published

    # What the Panel's committee services circulate: the published paper as Word.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as Word").click()
    download = download_info.value
    assert download.suggested_filename == "panel-report-2021-01-01-to-2021-12-31.docx"
    word = docx.Document(io.BytesIO(download.path().read_bytes()))
    text = " ".join(paragraph.text for paragraph in word.paragraphs)
    assert mine in text, "the manager's own sentence is the published paper's"
