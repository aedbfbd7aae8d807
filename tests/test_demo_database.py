"""The demo seeded once for the tests that read it (tests/demo_database.py): what one of
them changes, the next finds undone."""

import pytest

from lines.models import Line


@pytest.mark.parametrize("turn", ["first", "second"])
def test_a_change_to_the_demo_is_undone_after_the_test(demo_data, turn):
    assert not Line.objects.filter(name__startswith="Changed by").exists()
    assert Line.objects.count() == 62

    Line.objects.update(name=f"Changed by the {turn} test")
