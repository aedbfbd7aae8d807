"""The lines list: each filter, sorting, pagination, the CSV export and its query count."""

import csv
import datetime
import io
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from audit.models import AuditEvent
from lines.models import ClosureType, Line, LineNumber, PhoneNumber, RiskLevel
from tests.helpers import date_fields

from .factories import LineFactory, LineNumberFactory, command_area, force

LIST_URL = reverse("lines:line_list")
EXPORT_URL = reverse("lines:line_export")


def listed(response) -> list[str]:
    """References of the lines on the page, in order."""
    assert response.status_code == 200
    return [line.reference for line in response.context["list"].page]


@pytest.fixture
def lines(db):
    today = timezone.localdate()
    dolla = LineFactory(
        reference="CL-001",
        name="Dolla",
        origin_force=force("Merseyside Police"),
        command_areas=[command_area("York")],
        first_identified=datetime.date(2023, 3, 1),
        risk_level=RiskLevel.HIGH,
    )
    blade = LineFactory(
        reference="CL-002",
        name="Blade",
        origin_force=force("West Yorkshire Police"),
        command_areas=[command_area("Harrogate"), command_area("Craven")],
        first_identified=datetime.date(2023, 6, 10),
        closed_on=datetime.date(2023, 12, 1),
        closure_type=ClosureType.TYPE_1,
    )
    kilo = LineFactory(
        reference="CL-003",
        name="Kilo",
        origin_force=force("Merseyside Police"),
        command_areas=[command_area("Scarborough"), command_area("York")],
        first_identified=datetime.date(2024, 2, 5),
        closed_on=today,
        closure_type=ClosureType.TYPE_2,
    )
    LineNumberFactory(line=dolla, number__e164="+447712345678")
    LineNumberFactory(line=blade, number__e164="+447958123456")
    LineNumberFactory(line=blade, number__e164="+447958654321")
    return {"dolla": dolla, "blade": blade, "kilo": kilo}


def test_lists_every_line_newest_first(intel_client, lines):
    response = intel_client.get(LIST_URL)
    assert listed(response) == ["CL-003", "CL-002", "CL-001"]
    html = response.content.decode()
    assert "govuk-tag--green" in html and "Active" in html
    assert "govuk-tag--grey" in html and "Closed" in html
    assert 'aria-sort="descending"' in html  # first identified, the default order


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "active"}, ["CL-001"]),
        # closed_on is exclusive: a line closed today is closed today.
        ({"status": "closed"}, ["CL-003", "CL-002"]),
        ({"origin_force": "__merseyside__"}, ["CL-003", "CL-001"]),
        ({"command_areas": ["__york__"]}, ["CL-003", "CL-001"]),
        ({"command_areas": ["__york__", "__craven__"]}, ["CL-003", "CL-002", "CL-001"]),
        (date_fields("identified_from", "2023-06-01"), ["CL-003", "CL-002"]),
        (date_fields("identified_to", "2023-06-10"), ["CL-002", "CL-001"]),
        (date_fields("identified_to", ("10", "Jun", "2023")), ["CL-002", "CL-001"]),
        (
            {
                **date_fields("identified_from", "2023-04-01"),
                **date_fields("identified_to", "2023-12-31"),
            },
            ["CL-002"],
        ),
        (date_fields("identified_from", None), ["CL-003", "CL-002", "CL-001"]),
        ({"closure_type": "type_1"}, ["CL-002"]),
        ({"closure_type": "type_2"}, ["CL-003"]),
        ({"risk_level": "high"}, ["CL-001"]),
        ({"q": "blade"}, ["CL-002"]),
        ({"q": "cl-00"}, ["CL-003", "CL-002", "CL-001"]),
        ({"q": "CL-003"}, ["CL-003"]),
        ({"q": "+44 7958 654321"}, ["CL-002"]),
        ({"q": "07712-345-678"}, ["CL-001"]),
        ({"q": "(07712) 345678"}, ["CL-001"]),
        ({"q": "958 654"}, ["CL-002"]),  # part of a number, 6 digits or more
        ({"q": "07958 6543"}, ["CL-002"]),  # the beginning of one
        ({"q": "0795865432"}, ["CL-002"]),  # ten digits, too few for a mobile
        ({"q": "07000 000000"}, []),
        ({"q": "nothing like it"}, []),
    ],
)
def test_each_filter(intel_client, lines, query, expected):
    ids = {
        "__merseyside__": str(force("Merseyside Police").pk),
        "__york__": str(command_area("York").pk),
        "__craven__": str(command_area("Craven").pk),
    }
    query = {
        key: [ids.get(v, v) for v in value] if isinstance(value, list) else ids.get(value, value)
        for key, value in query.items()
    }
    # Empty fields, as a submitted filter form sends them, are dropped by a redirect.
    assert listed(intel_client.get(LIST_URL, query, follow=True)) == expected


def test_the_url_carries_only_the_filters_that_are_set(intel_client, lines):
    query = {"q": "blade", "status": "", "risk_level": "", **date_fields("identified_from", None)}

    response = intel_client.get(LIST_URL, query)

    # The text searched for is held in the session: the URL carries a reference to it.
    assert response.status_code == 303
    assert re.fullmatch(rf"{LIST_URL}\?q=~[\w-]+", response.url)
    assert listed(intel_client.get(response.url)) == ["CL-002"]
    assert intel_client.get(LIST_URL, {"status": ""}).url == LIST_URL


def test_a_line_in_two_chosen_areas_is_listed_once(intel_client, lines):
    query = {"command_areas": [command_area("York").pk, command_area("Scarborough").pk]}
    assert listed(intel_client.get(LIST_URL, query, follow=True)) == ["CL-003", "CL-001"]


def test_a_backwards_date_range_is_an_error(intel_client, lines):
    response = intel_client.get(
        LIST_URL,
        {
            **date_fields("identified_from", "2024-01-01"),
            **date_fields("identified_to", "2023-01-01"),
        },
    )
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "The end of the identified date range must be on or after its start" in html
    assert "(error)" in html  # in the page title


def test_an_invalid_date_is_an_error(intel_client, lines):
    response = intel_client.get(LIST_URL, date_fields("identified_from", ("31", "2", "2024")))
    html = response.content.decode()
    assert "The start of the identified date range must be a real date" in html
    assert '<a href="#id_identified_from-day">' in html


def test_sorting_and_export_links_keep_the_date_filters(intel_client, lines):
    query = {**date_fields("identified_from", ("1", "jun", "2023")), "sort": "reference"}
    response = intel_client.get(LIST_URL, query, follow=True)
    assert listed(response) == ["CL-002", "CL-003"]
    html = response.content.decode()
    kept = "identified_from-day=1&amp;identified_from-month=jun&amp;identified_from-year=2023"
    assert f'href="{EXPORT_URL}?{kept}&amp;sort=reference"' in html
    assert f'href="?{kept}&amp;sort=-reference"' in html  # the Line column, reversed
    rows = exported(intel_client.get(EXPORT_URL, query, follow=True))
    assert [row["reference"] for row in rows] == ["CL-002", "CL-003"]


def tag(href: str, label: str, value: str) -> str:
    """A selected filter's tag in the MOJ filter, which removes that value."""
    return (
        f'<a class="moj-filter__tag" href="{href}"><span class="govuk-visually-hidden">'
        f"Remove this filter, {label}:</span> {value}</a>"
    )


def test_selected_filters_are_tags_that_remove_one_value(intel_client, lines):
    york, craven = command_area("York").pk, command_area("Craven").pk
    response = intel_client.get(
        LIST_URL,
        {"status": "closed", "command_areas": [york, craven], "sort": "reference", "page": 1},
    )
    assert listed(response) == ["CL-002", "CL-003"]

    york_removed = f"{LIST_URL}?status=closed&amp;command_areas={craven}&amp;sort=reference"
    status_removed = (
        f"{LIST_URL}?command_areas={york}&amp;command_areas={craven}&amp;sort=reference"
    )
    assertContains(response, "Selected filters")
    assertContains(response, tag(status_removed, "Status", "Closed"), html=True)
    assertContains(response, tag(york_removed, "Destination command area", "York"), html=True)
    assertContains(response, f'href="{LIST_URL}?sort=reference">Clear filters</a>', count=2)

    # The York tag's link lists what the other filters choose, with York gone from the tags.
    response = intel_client.get(york_removed.replace("&amp;", "&"))
    assert listed(response) == ["CL-002"]
    assertNotContains(response, "Remove this filter, Destination command area:</span> York")
    assertContains(response, "Remove this filter, Destination command area:</span> Craven")


def test_a_date_tag_removes_every_part_of_the_date(intel_client, lines):
    date = {
        "identified_from-day": "1",
        "identified_from-month": "6",
        "identified_from-year": "2023",
    }
    response = intel_client.get(LIST_URL, {**date, "status": "closed", "sort": "reference"})
    assert listed(response) == ["CL-002", "CL-003"]

    date_removed = f"{LIST_URL}?status=closed&amp;sort=reference"
    assertContains(response, tag(date_removed, "First identified from", "1 Jun 2023"), html=True)


def test_no_selected_filters_without_filters(intel_client, lines):
    assertNotContains(intel_client.get(LIST_URL, {"sort": "name"}), "Selected filters")


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("reference", ["CL-001", "CL-002", "CL-003"]),
        ("-reference", ["CL-003", "CL-002", "CL-001"]),
        ("name", ["CL-002", "CL-001", "CL-003"]),
        ("-name", ["CL-003", "CL-001", "CL-002"]),
        ("origin", ["CL-001", "CL-003", "CL-002"]),
        ("-origin", ["CL-002", "CL-001", "CL-003"]),
        ("identified", ["CL-001", "CL-002", "CL-003"]),
        ("closed", ["CL-002", "CL-003", "CL-001"]),
        ("-closed", ["CL-001", "CL-003", "CL-002"]),
        ("-numbers", ["CL-002", "CL-001", "CL-003"]),
        ("numbers", ["CL-003", "CL-001", "CL-002"]),
        ("-identified", ["CL-003", "CL-002", "CL-001"]),
        # Only CL-001 is assessed (high); lines not assessed come last either way.
        ("-risk", ["CL-001", "CL-002", "CL-003"]),
        ("risk", ["CL-001", "CL-002", "CL-003"]),
        ("nonsense", ["CL-003", "CL-002", "CL-001"]),
    ],
)
def test_sorting(intel_client, lines, sort, expected):
    assert listed(intel_client.get(LIST_URL, {"sort": sort})) == expected


def test_sort_links_keep_the_filters_and_say_how_the_column_is_sorted(intel_client, lines):
    response = intel_client.get(LIST_URL, {"status": "closed", "sort": "reference", "page": "1"})
    headers = response.context["list"].sort_headers
    assert headers["reference"]["aria_sort"] == "ascending"
    assert headers["reference"]["url"] == "?status=closed&sort=-reference"
    assert headers["name"]["aria_sort"] == "none"
    assert headers["identified"]["url"] == "?status=closed&sort=-identified"
    html = response.content.decode()
    assert 'aria-sort="ascending"' in html
    # Applying filters keeps the order chosen.
    assert '<input type="hidden" name="sort" value="reference"' in html


def test_risk_sorts_by_level_not_by_name(intel_client, lines):
    Line.objects.filter(reference="CL-002").update(risk_level=RiskLevel.VERY_HIGH)
    Line.objects.filter(reference="CL-003").update(risk_level=RiskLevel.LOW)

    assert listed(intel_client.get(LIST_URL, {"sort": "-risk"})) == ["CL-002", "CL-001", "CL-003"]
    assert listed(intel_client.get(LIST_URL, {"sort": "risk"})) == ["CL-003", "CL-001", "CL-002"]


def test_a_line_opened_from_the_list_links_back_to_the_same_page(intel_client, db):
    make_lines(60)
    page = intel_client.get(LIST_URL, {"sort": "reference", "page": 2, "q": "BULK"}, follow=True)
    [link] = [url for url in links(page) if url.startswith("/lines/") and "list=" in url][:1]
    [(page_url, _status)] = page.redirect_chain

    detail = intel_client.get(link).content.decode()

    [back] = re.findall(r'class="govuk-back-link" href="([^"]+)"', detail)
    back = unescape(back)
    assert urlsplit(back).path == "/lines/"
    assert parse_qs(urlsplit(back).query) == parse_qs(urlsplit(page_url).query)
    assert parse_qs(urlsplit(page_url).query)["page"] == ["2"]
    assert parse_qs(urlsplit(page_url).query)["q"][0].startswith("~")


@pytest.mark.parametrize("smuggled", ["//example.com", "https://example.com/x", "\\evil", ""])
def test_the_back_link_never_leaves_the_list(intel_client, lines, smuggled):
    line = Line.objects.get(reference="CL-001")

    detail = intel_client.get(reverse("lines:line_detail", args=[line.pk]), {"list": smuggled})

    assert 'class="govuk-back-link" href="/lines/' in detail.content.decode()


def links(response) -> list[str]:

    return [
        url.replace("&amp;", "&")
        for url in re.findall(r'href="([^"]+)"', response.content.decode())
    ]


def test_numbers_are_counted(intel_client, lines):
    page = intel_client.get(LIST_URL).context["list"].page
    counts = {line.reference: line.numbers_count for line in page}
    assert counts == {"CL-001": 1, "CL-002": 2, "CL-003": 0}


@pytest.mark.parametrize("sort", ["identified", "-numbers"])
def test_a_number_used_twice_by_a_line_counts_once_however_the_list_is_sorted(
    intel_client, lines, sort
):
    dolla = Line.objects.get(reference="CL-001")
    again = LineNumber.objects.get(line=dolla)
    LineNumber.objects.filter(pk=again.pk).update(attributed_to=datetime.date(2023, 4, 1))
    LineNumberFactory(line=dolla, number=again.number, attributed_from=datetime.date(2023, 5, 1))

    page = intel_client.get(LIST_URL, {"sort": sort}).context["list"].page
    counts = {line.reference: line.numbers_count for line in page}
    assert counts == {"CL-001": 1, "CL-002": 2, "CL-003": 0}


def test_counting_a_list_sorted_by_numbers_counts_lines_not_numbers(intel_client, lines):
    with CaptureQueriesContext(connection) as queries:
        intel_client.get(LIST_URL, {"sort": "-numbers"})
    counts = [query["sql"] for query in queries if "COUNT(*)" in query["sql"]]
    assert len(counts) == 1
    assert "linenumber" not in counts[0]


def test_pagination(intel_client, db):
    make_lines(60)
    first = intel_client.get(LIST_URL, {"sort": "reference"})
    second = intel_client.get(LIST_URL, {"sort": "reference", "page": 2})
    assert len(listed(first)) == 50
    assert len(listed(second)) == 10
    assert set(listed(first)).isdisjoint(listed(second))
    assert "page=2" in first.content.decode()
    assert "sort=reference&amp;page=2" in first.content.decode()
    assert first.context["list"].showing == "Showing 1 to 50 of 60 lines"
    assert second.context["list"].showing == "Showing 51 to 60 of 60 lines"
    html = second.content.decode()
    assert 'aria-label="Page 2" aria-current="page"' in html
    assert 'href="?sort=reference" aria-label="Page 1"' in html  # page 1 has no page=1


def test_many_pages_are_linked_first_last_and_around_the_current_one(intel_client, db):
    make_lines(50 * 9)

    response = intel_client.get(LIST_URL, {"sort": "reference", "page": 5})

    numbers = [link.number for link in response.context["list"].page_links]
    assert numbers == [1, None, 4, 5, 6, None, 9]


def test_an_empty_result_says_what_to_do_and_offers_no_export(intel_client, lines):
    response = intel_client.get(LIST_URL, {"q": "nothing like it"}, follow=True)

    html = response.content.decode()
    assert "No lines match these filters" in html
    assert "clear all the filters" in html
    assert EXPORT_URL not in html


def test_an_empty_service_invites_officers_to_add_lines(intel_client, manager_client, db):
    officer = intel_client.get(LIST_URL).content.decode()
    manager = manager_client.get(LIST_URL).content.decode()

    assert "There are no lines yet" in officer and "import a file of lines" in officer
    assert "There are no lines yet" in manager and "import a file of lines" not in manager


def test_a_list_page_is_audited_with_what_was_searched_for(intel_client, intel, lines):
    intel_client.get(LIST_URL, {"q": "07712 345678", "status": "active"}, follow=True)

    event = AuditEvent.objects.get(action=AuditEvent.Action.SEARCH, object_type="lines.line")
    assert event.user == intel
    assert event.detail == {
        "filters": {"q": "07712 345678", "status": "active"},
        "results": 1,
        "page": 1,
    }


# --- Export ------------------------------------------------------------------------------------


def exported(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_export_has_exactly_the_filtered_rows(intel_client, lines):
    rows = exported(intel_client.get(EXPORT_URL, {"origin_force": force("Merseyside Police").pk}))
    assert [row["reference"] for row in rows] == ["CL-003", "CL-001"]
    dolla = rows[1]
    assert dolla == {
        "reference": "CL-001",
        "name": "Dolla",
        "status": "Active",
        "origin_force": "Merseyside Police",
        "command_areas": "York",
        "first_identified": "2023-03-01",
        "closed_on": "",
        "closure_type": "",
        "risk_level": "High",
        "numbers_count": "1",
        "numbers": "07712 345678",
    }
    everything = exported(intel_client.get(EXPORT_URL))
    assert len(everything) == 3
    by_text = exported(intel_client.get(EXPORT_URL, {"q": "07958 123456"}, follow=True))
    assert [row["reference"] for row in by_text] == ["CL-002"]
    assert by_text[0]["command_areas"] == "Craven; Harrogate"


def test_export_is_named_with_the_marking_which_is_never_in_the_file(intel_client, lines):
    page = intel_client.get(LIST_URL).content.decode()
    response = intel_client.get(EXPORT_URL)

    assert "Export these lines as CSV (marked OFFICIAL-SENSITIVE)" in page
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="lines-OFFICIAL-SENSITIVE-{today:%Y-%m-%d}.csv"'
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("reference,name,status,")  # the header, first
    assert "OFFICIAL" not in text


def test_export_is_safe_to_open_in_a_spreadsheet(intel_client, lines):
    LineFactory(reference="CL-EVIL", name='=HYPERLINK("http://evil.example","x")')
    LineFactory(reference="CL-EVIL2", name="@SUM(A1:A9)")
    rows = exported(intel_client.get(EXPORT_URL, {"q": "CL-EVIL"}, follow=True))
    names = sorted(row["name"] for row in rows)
    assert names == ['\'=HYPERLINK("http://evil.example","x")', "'@SUM(A1:A9)"]


def test_export_is_audited_with_its_filters(intel_client, intel, lines):
    exported(
        intel_client.get(EXPORT_URL, {"status": "closed", "q": "", "sort": "name"}, follow=True)
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.user == intel
    assert event.object_type == "lines.line"
    assert event.detail == {"filters": {"status": "closed", "sort": "name"}, "rows": 2}


def test_export_with_invalid_filters_shows_the_errors_instead(intel_client, lines):
    response = intel_client.get(
        EXPORT_URL, date_fields("identified_from", ("1", "", "2024")), follow=True
    )
    assert response["Content-Type"].startswith("text/html")
    assert "govuk-error-summary" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


# --- Query count ------------------------------------------------------------------------------


def make_lines(count: int) -> None:
    """`count` lines, each into two areas with two numbers, created in bulk."""
    merseyside, york, selby = (
        force("Merseyside Police"),
        command_area("York"),
        command_area("Selby"),
    )
    start = Line.objects.count()
    created = Line.objects.bulk_create(
        Line(
            reference=f"BULK-{start + n:05d}",
            reference_key=f"bulk-{start + n:05d}",  # bulk_create does not call save()
            name=f"Bulk {n}",
            origin_force=merseyside,
            first_identified=datetime.date(2022, 1, 1) + datetime.timedelta(days=n % 700),
        )
        for n in range(count)
    )
    through = Line.command_areas.through
    through.objects.bulk_create(
        through(line_id=line.pk, commandarea_id=area.pk)
        for line in created
        for area in (york, selby)
    )
    first_number = PhoneNumber.objects.count()
    numbers = PhoneNumber.objects.bulk_create(
        PhoneNumber(e164=f"+4477124{first_number + n:05d}") for n in range(2 * count)
    )
    LineNumber.objects.bulk_create(
        LineNumber(line=line, number=numbers[2 * i + k], attributed_from=line.first_identified)
        for i, line in enumerate(created)
        for k in (0, 1)
    )


def count_queries(client, url, params=None) -> int:
    first = client.get(url, params or {})
    if first.status_code == 303:  # a personal term held: the list is at the held URL
        url, params = first.url, {}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [{}, {"sort": "-numbers"}, {"status": "active", "command_areas": "__york__", "q": "bulk"}],
)
def test_the_list_costs_the_same_queries_for_20_and_2000_lines(intel_client, db, params):
    if params.get("command_areas"):
        params = {**params, "command_areas": command_area("York").pk}
    make_lines(20)
    with_20 = count_queries(intel_client, LIST_URL, params)
    make_lines(1980)
    assert Line.objects.count() == 2000
    assert count_queries(intel_client, LIST_URL, params) == with_20


def test_the_export_costs_the_same_queries_for_20_and_500_lines(intel_client, db):
    make_lines(20)
    with_20 = count_queries(intel_client, EXPORT_URL)
    make_lines(480)
    assert count_queries(intel_client, EXPORT_URL) == with_20


def test_the_stored_numbers_count_follows_every_way_a_number_is_attributed(intel, tmp_path):
    from lines.services import line_number_attribute
    from tests.imports.utils import NUMBERS_HEADER, run_import, write_csv

    line = LineFactory(reference="CL-9", first_identified=datetime.date(2021, 1, 1))
    line_number_attribute(
        user=intel,
        line=line,
        number="07712 345678",
        attributed_from=datetime.date(2021, 1, 2),
        attributed_to=datetime.date(2021, 6, 30),
    )
    line.refresh_from_db()
    assert line.numbers_count == 1

    run = run_import(
        "line_numbers",
        write_csv(
            tmp_path,
            "numbers.csv",
            NUMBERS_HEADER,
            "CL-9,07712 345678,2022-01-01,",  # the same number again: still one
            "CL-9,07712 999999,2021-02-01,",
        ),
    )
    assert run.status == 0, run.stderr
    updated_at = line.updated_at
    line.refresh_from_db()
    # A count is not an edit: the version and time of the last change stay.
    assert (line.numbers_count, line.version, line.updated_at) == (2, 1, updated_at)


def test_sorting_by_numbers_reads_no_attribution(intel_client, lines):
    with CaptureQueriesContext(connection) as queries:
        page = intel_client.get(LIST_URL, {"sort": "-numbers"}).context["list"].page
    assert [line.reference for line in page] == ["CL-002", "CL-001", "CL-003"]
    assert not [query["sql"] for query in queries if "linenumber" in query["sql"]]
