"""The MoPI review screens (records.reviews): the queue of what is due, and the review of one
record, whatever its kind."""

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from accounts.access import deny
from accounts.http import AuthenticatedHttpRequest
from audit.services import audit_form_shown, audit_view
from records.versions import EditConflict

from . import reviews
from .forms import ReviewForm
from .lists import bound_filterset, filtered_list, only_what_is_set


def _sees_retention(view):
    """403 (audited) for a user who sees no kind of record's MoPI fields (a partner)."""

    @functools.wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args, **kwargs):
        if not reviews.kinds_seen_by(request.user):
            raise deny(request, reason="the user sees no record's retention")
        return view(request, *args, **kwargs)

    return wrapped


@_sees_retention
@only_what_is_set
def review_queue(request: AuthenticatedHttpRequest):
    listing = filtered_list(
        request,
        bound_filterset(request, reviews.review_queue),
        noun="record",
        object_type="records.review",
        prepare_rows=lambda rows: rows.__setitem__(
            slice(None), reviews.due_reviews(rows, user=request.user)
        ),
    )
    return render(
        request,
        "records/review_queue.html",
        {"list": listing, "due_within_days": reviews.DUE_WITHIN_DAYS},
    )


def review(request: AuthenticatedHttpRequest, kind: str, pk: int):
    """Keep the record until a date, or dispose of it after a page saying what goes."""
    record = reviews.get_record_to_review(request.user, kind, pk)
    audit_form_shown(request=request, obj=record, form="retention review")
    form = ReviewForm(
        request.POST or None,
        initial={"reason": record.retention_reason, "version": record.version},
    )
    context = {"record": record, "form": form, "noun": record._meta.verbose_name}
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data
        disposing = fields["outcome"] == reviews.Outcome.DISPOSE
        if disposing and not request.POST.get("confirmed"):
            disposal = reviews.disposal_of(record)
            return render(request, "records/review_dispose.html", {**context, "disposal": disposal})
        try:
            reviews.retention_review(
                user=request.user,
                record=record,
                outcome=fields["outcome"],
                reason=fields["reason"],
                retain_until=fields["retain_until"],
                expected_version=form.expected_version,
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
            # The other changes are shown: a consultation of the record.
            audit_view(request=request, obj=record, form="edit conflict")
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if disposing:
                messages.success(request, f"{record} disposed of.")
                return redirect("reviews:queue")
            messages.success(
                request, f"Retention reviewed: kept until {fields['retain_until']:%-d %B %Y}."
            )
            return redirect(record.get_absolute_url())
    return render(request, "records/review_form.html", context)
