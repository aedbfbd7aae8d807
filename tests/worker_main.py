"""`python -m tests.worker_main`: the Celery worker that tests/worker_process.py starts.

Test settings run tasks in-process; a worker must not (a retry would run at once
rather than be queued), and it listens on the test's broker.
"""

import functools
import importlib
import json
import os
import time

import django

django.setup()

from config import celery_app  # noqa: E402  (after django.setup())


def pause_first_call(target: str, calls: str) -> None:
    """Make the first call of `target` ("module.name") wait for ever, in whichever pool
    process makes it: the test kills that process there. Later calls go through."""
    module_name, name = target.rsplit(".", 1)
    module = importlib.import_module(module_name)
    function = getattr(module, name)

    @functools.wraps(function)
    def paused_once(*args, **kwargs):
        # O_APPEND: one short write per call, whole, whichever process makes it.
        descriptor = os.open(calls, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            os.write(descriptor, f"{os.getpid()}\n".encode())
        finally:
            os.close(descriptor)
        with open(calls) as logged:
            first = logged.read().split()[0] == str(os.getpid())
        while first:
            time.sleep(1)
        return function(*args, **kwargs)

    setattr(module, name, paused_once)


if os.environ.get("TEST_WORKER_PAUSE_AT"):
    pause_first_call(os.environ["TEST_WORKER_PAUSE_AT"], os.environ["TEST_WORKER_CALLS"])

celery_app.conf.update(
    task_always_eager=False,
    broker_url=os.environ["TEST_WORKER_BROKER"],
    broker_transport_options=json.loads(os.environ["TEST_WORKER_BROKER_OPTIONS"]),
)

celery_app.worker_main(
    [
        "worker",
        "--pool=prefork",
        "--concurrency=1",
        "--loglevel=INFO",
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
        f"--hostname={os.environ['TEST_WORKER_NAME']}@%h",
    ]
)
