"""Which import jobs a user may see: their own uploads; administrators see all."""

from django.db.models import QuerySet

from accounts.access import get_object_in_scope
from accounts.permissions import Capability, user_can

from .models import ImportJob


def import_job_list(*, user) -> QuerySet[ImportJob]:
    # The uploaded file can be 20 MB: never load it to list or poll jobs.
    jobs = ImportJob.objects.defer("content").select_related("uploaded_by")
    if user_can(user, Capability.ADMINISTER):
        return jobs
    return jobs.filter(uploaded_by=user)


def get_import_job_for_user(user, pk) -> ImportJob:
    """The job `pk` if `user` may see it, else 404 (audited when it exists)."""
    return get_object_in_scope(user=user, visible=import_job_list(user=user), pk=pk)
