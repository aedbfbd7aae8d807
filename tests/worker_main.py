"""`python -m tests.worker_main`: the Celery worker that tests/worker_process.py starts.

Test settings run tasks in-process; a worker must not (a retry would run at once
rather than be queued), and it listens on the test's broker.
"""

import json
import os

import django

django.setup()

from config import celery_app  # noqa: E402  (after django.setup())

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
