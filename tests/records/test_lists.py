"""Pages of a list read keys first, then rows (records.lists.KeysFirstPaginator)."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.urls import reverse

from lines.models import Line
from records.lists import CappedPaginator, KeysFirstPaginator
from tests.lines.test_list import make_lines
from tests.persons.factories import PersonFactory
from tests.safeguarding.factories import ReferralFactory


@pytest.fixture
def lines(db):
    make_lines(23)
    # Ties on the date, so that the order depends on every column of the sort.
    Line.objects.filter(reference__in=["BULK-00003", "BULK-00017"]).update(
        first_identified=datetime.date(2022, 1, 5)
    )
    return (
        Line.objects.select_related("origin_force")
        .prefetch_related("command_areas")
        .order_by("-first_identified", "reference", "pk")
    )


@pytest.mark.parametrize("number", [1, 2, 3])
def test_each_page_holds_the_rows_a_plain_slice_would_in_the_same_order(lines, number):
    page = KeysFirstPaginator(lines, 10).page(number)
    expected = Paginator(lines, 10).page(number)

    assert [line.reference for line in page] == [line.reference for line in expected]


def test_rows_keep_what_the_queryset_reads_with_them(lines, django_assert_num_queries):
    page = KeysFirstPaginator(lines, 10).page(2)

    # The count, the keys, the rows and their command areas; nothing more per row.
    with django_assert_num_queries(0):
        names = [
            (line.origin_force.name, [a.name for a in line.command_areas.all()]) for line in page
        ]
    assert names == [("Merseyside Police", ["Selby", "York"])] * 10


def test_orphans_join_the_last_page(lines):
    paginator = KeysFirstPaginator(lines, 10, orphans=3)

    assert paginator.num_pages == 2
    assert len(paginator.page(2)) == 13


def test_a_capped_count_stops_at_its_limit_and_still_reads_pages_by_key(lines):
    paginator = CappedPaginator(lines, 5)
    paginator.limit = 12

    assert paginator.count == 12
    assert paginator.capped is True
    assert [line.reference for line in paginator.page(3)] == [
        line.reference for line in lines[10:12]
    ]


@pytest.mark.parametrize(
    ("role", "url_name", "bad_filter"),
    [
        ("partner", "safeguarding:referral_list", {"risk_level": "bogus"}),
        ("intel", "persons:person_list", {"role": "bogus"}),
    ],
)
def test_a_filter_that_is_not_valid_lists_nothing(request, db, role, url_name, bad_filter):
    """Every row a page shows is audited with its filters: a filter that is not valid (a
    value typed into a link) would otherwise show the rows of the others, unaudited."""
    ReferralFactory()
    PersonFactory()
    client = request.getfixturevalue(f"{role}_client")

    response = client.get(reverse(url_name), bad_filter)

    assert response.status_code == 200
    assert response.context["list"].count == 0
    assert response.context["list"].filterset.errors
