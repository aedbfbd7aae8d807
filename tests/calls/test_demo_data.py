"""The demo's call data (`seed_demo`, calls/demo): the disclosure imported through the
`calls` import, and the line page's Call data tab finding both lines' successors first."""

from django.test import Client
from django.urls import reverse

from accounts.models import User
from calls.demo.plan import (
    NEW_HANDSET_LINE,
    SAME_HANDSET_LINE,
    SOURCE_REFERENCE,
    demo_calls_plan,
)
from calls.demo.seed import seed_demo_calls
from calls.models import CallEvent, ContactMonth, Source
from calls.selectors import successor_candidates
from lines.models import Line, PhoneNumber
from lines.phone import national_format


def demo_world():
    taken = set(PhoneNumber.objects.values_list("e164", flat=True))
    return demo_calls_plan(taken=taken)


def test_the_disclosure_holds_every_row_with_its_monthly_pairs(demo_data):
    source = Source.objects.get(reference=SOURCE_REFERENCE)
    world = demo_world()

    assert source.events == CallEvent.objects.filter(source=source).count() == len(world.rows)
    assert source.recorded_by.username == "intel"
    assert ContactMonth.objects.filter(number=world.successors[SAME_HANDSET_LINE]).exists()
    # Seeding again adds nothing.
    assert seed_demo_calls(user=User.objects.get(username="intel")) == 0
    assert CallEvent.objects.count() == len(world.rows)


def test_each_lines_successor_is_its_first_candidate(demo_data):
    world = demo_world()

    for reference in (SAME_HANDSET_LINE, NEW_HANDSET_LINE):
        line = Line.objects.get(reference=reference)
        found = successor_candidates(line)
        assert found.candidates[0].number == world.successors[reference], reference


def test_the_line_pages_call_data_tab_lists_the_successor_first(demo_data):
    world = demo_world()
    client = Client()
    client.force_login(User.objects.get(username="intel"))

    for reference in (SAME_HANDSET_LINE, NEW_HANDSET_LINE):
        line = Line.objects.get(reference=reference)
        page = client.get(reverse("lines:line_detail", args=[line.pk])).content.decode()
        _before, first, *_rest = page.split('data-testid="successor-candidate"')
        assert national_format(world.successors[reference]) in first, reference
