"""The `postgresql` marker is honoured (tests/postgresql_only.py): on SQLite its tests,
and only they, are left out; on PostgreSQL none is."""

import pytest
from django.db import connection

from tests.postgresql_only import deselected_for_postgresql


@pytest.mark.postgresql
def test_a_marked_test_runs_on_postgresql_only():
    assert connection.vendor == "postgresql"


def test_only_the_marked_tests_are_left_out_and_only_on_sqlite(request):
    left_out = deselected_for_postgresql(request.config)
    running = {item.nodeid for item in request.session.items}
    marked = request.node.nodeid.replace(
        request.node.name, test_a_marked_test_runs_on_postgresql_only.__name__
    )

    if connection.vendor == "postgresql":
        assert left_out == []
        assert marked in running
    else:
        assert marked in left_out
        assert not [item for item in request.session.items if item.get_closest_marker("postgresql")]
