"""Tests that only mean something on PostgreSQL carry the `postgresql` marker (partitions,
pg_trgm, EXPLAIN plans, replication, database roles, the locks only PostgreSQL takes...).

On SQLite, the default, tests/conftest.py deselects them and the summary says how many;
on PostgreSQL (DATABASE_URL, as in CI) every one runs. No test is skipped.
"""

import pytest
from django.db import connection

_LEFT_OUT = pytest.StashKey[list[str]]()
_WORKER_OUTPUT = "tests_needing_postgresql"


def leave_out_tests_needing_postgresql(config: pytest.Config, items: list[pytest.Item]) -> None:
    left_out = []
    if connection.vendor != "postgresql":
        left_out = [item for item in items if item.get_closest_marker("postgresql")]
    if left_out:
        items[:] = [item for item in items if not item.get_closest_marker("postgresql")]
        config.hook.pytest_deselected(items=left_out)
    config.stash[_LEFT_OUT] = [item.nodeid for item in left_out]
    if hasattr(config, "workeroutput"):  # a pytest-xdist worker: tell the controller
        config.workeroutput[_WORKER_OUTPUT] = config.stash[_LEFT_OUT]


def take_worker_output(node) -> None:
    """pytest-xdist: the workers collect, the controller prints the summary."""
    left_out = getattr(node, "workeroutput", {}).get(_WORKER_OUTPUT)
    if left_out is not None:
        node.config.stash[_LEFT_OUT] = left_out


def deselected_for_postgresql(config: pytest.Config) -> list[str]:
    """The node ids of the tests deselected for want of PostgreSQL."""
    return config.stash.get(_LEFT_OUT, [])
