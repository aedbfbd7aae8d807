from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import capability_required, deny
from accounts.http import AuthenticatedHttpRequest
from accounts.permissions import Capability
from audit.services import Action, audit_event_record, audit_listed, audit_view
from core.csv_export import csv_response, marked_filename

from .forms import ImportUploadForm
from .kinds import ImportKind, UnknownKind, get_kind, kinds_for
from .models import ImportJob
from .runner import MAX_ERRORS
from .selectors import get_import_job_for_user, import_job_list
from .services import (
    ImportJobStateError,
    import_job_cancel,
    import_job_confirm,
    import_job_create,
)
from .uploads import LimitedUploadHandler, declared_too_large, limit_upload

RECENT_JOBS = 10
# The columns of a check report's CSV: the row is the file's line, as in the page's table.
PROBLEMS_HEADER = ("row", "column", "message")


# The CSRF middleware would read the body, file and all: _upload checks the token once
# the size is known (imports.uploads).
@csrf_exempt
@capability_required(Capability.IMPORT_DATA)
@require_http_methods(["GET", "POST"])
def start(request: AuthenticatedHttpRequest):
    if request.method != "POST":
        return _start_page(request, ImportUploadForm(user=request.user))
    if declared_too_large(request):
        return _too_large(request)
    return _upload(request, limit_upload(request))


@csrf_exempt  # as `start`
@capability_required(Capability.IMPORT_DATA)
@require_http_methods(["GET", "POST"])
def start_large(request: AuthenticatedHttpRequest, kind: str):
    """The upload page of a kind of large files (call data): files up to its own limit,
    written to disk as they come (the proxy lets such bodies through on this path only)."""
    kind_class = _large_kind(request, kind)
    if request.method != "POST":
        form = ImportUploadForm(user=request.user, kind=kind_class)
        return _start_page(request, form, kind=kind_class)
    limit = kind_class.upload_limit()
    if declared_too_large(request, limit):
        return _too_large(request, kind_class)
    return _upload(request, limit_upload(request, limit), kind_class)


def _large_kind(request: AuthenticatedHttpRequest, name: str) -> type[ImportKind]:
    try:
        kind_class = get_kind(name)
    except UnknownKind:
        raise Http404("No such kind of file") from None
    if not kind_class.large_files:
        raise Http404("Files of this kind are uploaded on the import page")
    if not kind_class.allows(request.user):
        raise deny(request, reason=f"missing capability {kind_class.capability}")
    return kind_class


@csrf_protect
def _upload(
    request: AuthenticatedHttpRequest,
    limit: LimitedUploadHandler,
    kind: type[ImportKind] | None = None,
):
    form = ImportUploadForm(request.POST, request.FILES, user=request.user, kind=kind)
    if limit.refused:
        return _too_large(request, kind)
    if form.is_valid():
        job = import_job_create(
            user=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
        )
        return redirect("imports:job_detail", pk=job.pk)
    return _start_page(request, form, kind=kind)


def _too_large(request: AuthenticatedHttpRequest, kind: type[ImportKind] | None = None):
    form = ImportUploadForm({}, {}, user=request.user, too_large=True, kind=kind)
    return _start_page(request, form, status=413, kind=kind)


def _start_page(
    request: AuthenticatedHttpRequest,
    form,
    *,
    status: int = 200,
    kind: type[ImportKind] | None = None,
):
    kinds = [k() for k in ([kind] if kind is not None else kinds_for(request.user))]
    large = [k() for k in kinds_for(request.user) if k.large_files] if kind is None else []
    jobs = list(import_job_list(user=request.user)[:RECENT_JOBS])
    # The recent imports, by file name and who uploaded them: a list of records.
    audit_listed(
        request=request,
        object_type="imports.importjob",
        label="Recent imports",
        jobs=[j.pk for j in jobs],
    )
    context = {
        "form": form,
        "kinds": kinds,
        "jobs": jobs,
        "kind": kinds[0] if kind else None,
        "large_kinds": large,
    }
    return render(request, "imports/job_create.html", context, status=status)


@capability_required(Capability.IMPORT_DATA)
@require_GET
def job_detail(request: AuthenticatedHttpRequest, pk: int):
    job = get_import_job_for_user(request.user, pk)
    # A check report quotes the file's rows and says what the database holds of them.
    audit_view(request=request, obj=job, status=job.status)
    return render(
        request,
        "imports/job_detail.html",
        {"job": job, "error_lines": job.error_lines(), "max_errors": MAX_ERRORS},
    )


@capability_required(Capability.IMPORT_DATA)
@require_GET
def job_problems(request: AuthenticatedHttpRequest, pk: int):
    """The check report's problems as CSV (row, column, message), to work through in a
    spreadsheet beside the file: the report quotes the file's rows, so it is audited."""
    job = get_import_job_for_user(request.user, pk)
    audit_event_record(
        action=Action.EXPORT,
        request=request,
        obj=job,
        detail={"problems": len(job.errors), "status": job.status},
    )
    return csv_response(
        filename=marked_filename(f"problems-{job.file_name.removesuffix('.csv')}"),
        header=PROBLEMS_HEADER,
        rows=([error["line"], error["column"], error["message"]] for error in job.errors),
    )


@capability_required(Capability.IMPORT_DATA)
@require_POST
def job_confirm(request: AuthenticatedHttpRequest, pk: int):
    return _act_on_job(request, pk, import_job_confirm)


@capability_required(Capability.IMPORT_DATA)
@require_POST
def job_cancel(request: AuthenticatedHttpRequest, pk: int):
    return _act_on_job(
        request,
        pk,
        import_job_cancel,
        done="The import of {job} was cancelled. Nothing was imported.",
    )


def _act_on_job(request: AuthenticatedHttpRequest, pk: int, action, *, done: str = ""):
    """Confirm or cancel: the service says whether it may be done now, and why not."""
    job = get_import_job_for_user(request.user, pk)
    try:
        action(job=job, user=request.user)
    except ImportJobStateError as error:
        messages.error(request, str(error))
    else:
        if done:
            messages.success(request, done.format(job=job.file_name))
    return redirect("imports:job_detail", pk=job.pk)


@capability_required(Capability.IMPORT_DATA)
@require_GET
def job_status(request: AuthenticatedHttpRequest, pk: int):
    """Polled by static/js/import-progress.js while the job runs."""
    job = get_import_job_for_user(request.user, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "running": job.status in ImportJob.RUNNING,
            "rows_processed": job.rows_processed,
            "total_rows": job.total_rows,
            "percent": job.percent_done,
            "url": reverse("imports:job_detail", args=[job.pk]),
        }
    )
