"""Which import jobs a user may see: their own uploads, and jobs of the kinds they may
import (a check report's messages say what the database holds of those records)."""

from django.db.models import Q, QuerySet

from accounts.access import get_record_for_user
from accounts.models import User
from accounts.permissions import visible_to

from .kinds import kinds_for
from .models import ImportJob


def import_job_list(*, user: User) -> QuerySet[ImportJob]:
    # The uploaded file can be 20 MB: never load it to list or poll jobs.
    jobs = ImportJob.objects.defer("content").select_related("uploaded_by")
    kinds = [kind.name for kind in kinds_for(user)]
    return visible_to(user, jobs.filter(Q(uploaded_by=user) | Q(kind__in=kinds)))


def get_import_job_for_user(user: User, pk: int | str) -> ImportJob:
    """The job `pk` if `user` may see it, else 404 (audited when it exists)."""
    return get_record_for_user(user, import_job_list(user=user), pk)


def recent_import_jobs(*, user: User, limit: int) -> list[ImportJob]:
    """The last `limit` jobs `user` may see, newest first, in one query."""
    return list(import_job_list(user=user)[:limit])
