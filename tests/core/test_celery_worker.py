"""A real Celery worker runs a task queued on commit."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from tests.celery_worker import wait_until


def make_session(key: str, expires_in: timedelta) -> Session:
    return Session.objects.create(
        session_key=key, session_data="", expire_date=timezone.now() + expires_in
    )


def test_worker_clears_expired_sessions_queued_on_commit(worker):
    expired = make_session("expired" + "x" * 25, timedelta(hours=-1))
    current = make_session("current" + "x" * 25, timedelta(minutes=30))

    with transaction.atomic():
        transaction.on_commit(lambda: clear_expired_sessions.delay())

    assert wait_until(lambda: not Session.objects.filter(pk=expired.pk).exists())
    assert Session.objects.filter(pk=current.pk).exists()
