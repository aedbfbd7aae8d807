"""A real Celery worker for the tests that need one (eager mode would hide
serialisation and transaction bugs). Broker: CELERY_BROKER_URL when set (CI: Redis),
else the in-memory transport."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import setup_logging
from django.conf import settings
from kombu.transport import memory

from config import celery_app

WAIT_SECONDS = 20


@pytest.fixture
def worker(transactional_db, monkeypatch):
    broker = settings.CELERY_BROKER_URL or "memory://"
    in_memory = broker.startswith("memory")
    if in_memory:
        # The worker sees that it is to stop between its waits for a message, of up to
        # 2 s each: waits of 0.1 s end each test that much sooner.
        monkeypatch.setattr(memory.Transport, "drain_events", drain_events_briefly)
    overrides = {
        "broker_url": broker,
        # The in-memory transport polls for messages, by default once a second.
        "broker_transport_options": {"polling_interval": 0.1} if in_memory else {},
        "task_always_eager": False,
    }
    saved = {name: celery_app.conf[name] for name in overrides}
    celery_app.conf.update(overrides)
    forget_broker_connections()
    setup_logging.connect(keep_logging_as_it_is)
    try:
        with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=30) as worker:
            yield worker
    finally:
        setup_logging.disconnect(keep_logging_as_it_is)
        celery_app.conf.update(saved)
        forget_broker_connections()


_drain_events = memory.Transport.drain_events


def drain_events_briefly(self, connection, timeout=None):
    return _drain_events(self, connection, timeout=timeout if timeout is None else 0.1)


def keep_logging_as_it_is(**kwargs) -> None:
    """A setup_logging receiver: Celery then leaves logging alone (it would otherwise
    take over the root logger at level ERROR, and later tests' caplog would see nothing)."""


def forget_broker_connections() -> None:
    # The app keeps its broker connection pools from first use, which an earlier
    # (eager) test may have made under another broker_url: look them up afresh.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def wait_until(condition) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False
