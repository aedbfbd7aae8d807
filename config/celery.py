"""The Celery application, configured from Django settings (the CELERY_ namespace).

Every task is a `ReliableTask` (core/tasks.py): safe to lose and run again.

A worker or beat started without DJANGO_SETTINGS_MODULE takes the production settings
(as config.wsgi does): `make worker` and `make beat` name the local ones.
"""

import os

from celery import Celery

from core.tasks import ReliableTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")


app = Celery("countylines", task_cls=ReliableTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
