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


def pause_one_call(target: str, number: int, calls: str) -> None:
    """Make call `number` (1 for the first) of `target` ("module.name") wait for ever, in
    whichever pool process makes it: the test kills that process there. The calls before
    and after it go through. (The pool has one process: calls never overlap.)"""
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
            paused = len(logged.read().split()) == number
        while paused:
            time.sleep(1)
        return function(*args, **kwargs)

    setattr(module, name, paused_once)


if os.environ.get("TEST_WORKER_PAUSE_AT"):
    pause_one_call(
        os.environ["TEST_WORKER_PAUSE_AT"],
        int(os.environ["TEST_WORKER_PAUSE_AT_CALL"]),
        os.environ["TEST_WORKER_CALLS"],
    )

celery_app.conf.update(
    task_always_eager=False,
    broker_url=os.environ["TEST_WORKER_BROKER"],
    broker_transport_options=json.loads(os.environ["TEST_WORKER_BROKER_OPTIONS"]),
    # When a pool process dies, the worker waits this long for a result it might still
    # have sent before calling it lost (and handing the message back): 10 s by default,
    # which the tests that kill one would spend idle. Nothing is in flight when they do.
    worker_lost_wait=0.5,
    # No remote-control queue: the tests' workers are killed at the end (WorkerProcess.
    # stop), and would otherwise leave theirs bound on a shared broker.
    worker_enable_remote_control=False,
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
