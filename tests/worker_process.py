"""A real Celery worker in a process of its own, for the tests that kill one.

`tests/celery_worker.py` runs a worker in a thread of the test process, which cannot
be killed halfway through a task. This one runs `celery worker` with the prefork pool
(one child process, as in production) on the test database and on the broker of
CELERY_BROKER_URL (Redis in CI) or, when none is set, kombu's filesystem broker in a
temporary folder, which needs no server.

To kill a task at a chosen point rather than whenever it happens to be running, a
worker may be started with `pause_at`, a function the task calls ("module.name"): call
number `pause_at_call` of it (the first by default), in any of the worker's processes,
waits there until the process is killed; every other call goes through. Each call's
process id is logged to `calls`.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection

from config import celery_app

from .celery_worker import forget_broker_connections, wait_until

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The test database, as the worker's DATABASE_URL."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    user = database["USER"] or ""
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database["HOST"] or "127.0.0.1"
    port = database["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"


class WorkerProcess:
    def __init__(
        self,
        *,
        name: str,
        broker: str,
        options: dict,
        stall_seconds: int,
        folder: Path,
        pause_at: str = "",
        pause_at_call: int = 1,
    ):
        self.name, self.broker, self.options = name, broker, options
        self.stall_seconds = stall_seconds
        self.log = folder / "worker.log"
        self.pause_at, self.pause_at_call = pause_at, pause_at_call
        self.calls = folder / "calls"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(),
            "IMPORT_STALL_SECONDS": str(self.stall_seconds),
            "TEST_WORKER_BROKER": self.broker,
            "TEST_WORKER_BROKER_OPTIONS": json.dumps(self.options),
            "TEST_WORKER_NAME": self.name,
            "TEST_WORKER_PAUSE_AT": self.pause_at,
            "TEST_WORKER_PAUSE_AT_CALL": str(self.pause_at_call),
            "TEST_WORKER_CALLS": str(self.calls),
        }
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.worker_main"],
                cwd=ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if not wait_until(lambda: bool(self.children())):
            raise RuntimeError(f"The worker did not start:\n{self.log.read_text()}")

    def children(self) -> list[int]:
        """The pool's child processes (where tasks run)."""
        if self.process is None:
            return []
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(stat.parent.name))
        return children

    def called_by(self) -> list[int]:
        """The process ids that called `pause_at`, in order; call `pause_at_call` waits."""
        if not self.calls.exists():
            return []
        return [int(pid) for pid in self.calls.read_text().split()]

    def kill_child(self) -> None:
        """As if the machine killed the process running the task (out of memory, say)."""
        for pid in self.children():
            os.kill(pid, signal.SIGKILL)

    def kill(self) -> None:
        """The whole worker is lost at once: no chance to hand its message back."""
        children = self.children()
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=30)
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process = None

    def stop(self) -> None:
        """At the end of a test: killed, as nothing it would still do matters then (a
        warm shutdown waits seconds for its event loop's next turn)."""
        self.kill()


@contextlib.contextmanager
def running_worker(folder: Path, *, stall_seconds: int, pause_at: str = "", pause_at_call: int = 1):
    """A worker process started, and this process queuing to it, until the block ends."""
    name = f"test-{uuid.uuid4().hex[:8]}"
    broker = settings.CELERY_BROKER_URL
    options: dict = {}
    if not broker:
        messages = folder / "broker"
        messages.mkdir()
        broker = "filesystem://"
        options = {
            "data_folder_in": str(messages),
            "data_folder_out": str(messages),
            "polling_interval": 0.1,  # rather than a second between looks at the folder
        }
    overrides = {
        "broker_url": broker,
        "broker_transport_options": options,
        "task_always_eager": False,
    }
    saved = {name: celery_app.conf[name] for name in overrides}
    celery_app.conf.update(overrides)
    forget_broker_connections()
    worker = WorkerProcess(
        name=name,
        broker=broker,
        options=options,
        stall_seconds=stall_seconds,
        folder=folder,
        pause_at=pause_at,
        pause_at_call=pause_at_call,
    )
    try:
        worker.start()
        yield worker
    finally:
        worker.stop()
        celery_app.conf.update(saved)
        forget_broker_connections()


@pytest.fixture
def worker_process(transactional_db, tmp_path, settings_stall):
    with running_worker(tmp_path, stall_seconds=settings_stall) as worker:
        yield worker


@pytest.fixture
def settings_stall(settings) -> int:
    """A run silent for 3 seconds is taken to be dead, here and in the worker."""
    import datetime

    settings.IMPORT_STALL_TIMEOUT = datetime.timedelta(seconds=3)
    return 3


def wait_for(condition, *, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError as error:
            # SQLite: a worker writing a large import holds the one write lock for longer
            # than a reader waits. Locked out means "not yet", not a failure.
            if "database is locked" not in str(error):
                raise
        time.sleep(0.1)
    return False
