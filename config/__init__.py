# Importing the Celery app here makes @shared_task use it (and not Celery's AMQP default).
from .celery import app as celery_app

__all__ = ("celery_app",)
