"""The test settings give each pytest-xdist worker state of its own on a shared broker."""

from config.settings.test import redis_database_per_worker


def test_each_worker_has_its_own_redis_database():
    assert redis_database_per_worker("redis://127.0.0.1:6379/10", "gw0") == (
        "redis://127.0.0.1:6379/10"
    )
    assert redis_database_per_worker("redis://127.0.0.1:6379/10", "gw3") == (
        "redis://127.0.0.1:6379/13"
    )
    assert redis_database_per_worker("redis://:secret@redis:6379", "gw1") == (
        "redis://:secret@redis:6379/1"
    )


def test_outside_pytest_xdist_or_redis_the_broker_is_as_given():
    assert redis_database_per_worker("redis://127.0.0.1:6379/10", "") == (
        "redis://127.0.0.1:6379/10"
    )
    assert redis_database_per_worker("memory://", "gw1") == "memory://"
    assert redis_database_per_worker("", "gw1") == ""
