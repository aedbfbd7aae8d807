"""MoPI review on the record pages and in the lists (records.reviews): the record's
retention row, and the flag of a review overdue, for those who may see them only (never a
partner: the MoPI fields are the police's, `accounts.permissions.RECORD_RULES`)."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from accounts.permissions import police_only_fields
from records.models import RetainedRecord
from records.reviews import may_review

register = template.Library()

OVERDUE_TAG = '<strong class="govuk-tag govuk-tag--red app-nowrap">Review overdue</strong>'


def sees_retention(user: Any, record: RetainedRecord) -> bool:
    return user.is_authenticated and "next_review_on" not in police_only_fields(user, record)


def overdue_flag(record: RetainedRecord, *, user: Any) -> SafeString:
    """The "Review overdue" tag, when the record's review is overdue and `user` sees it."""
    if record.review_overdue and sees_retention(user, record):
        return mark_safe(OVERDUE_TAG)  # noqa: S308  (a constant)
    return mark_safe("")


@register.simple_tag(takes_context=True)
def review_flag(context: template.Context, record: RetainedRecord) -> SafeString:
    return overdue_flag(record, user=context["request"].user)


@register.inclusion_tag("records/includes/retention_row.html", takes_context=True)
def retention_row(context: template.Context, record: RetainedRecord) -> dict[str, Any]:
    """The record's "Next MoPI review" summary row: the date, the reason it is kept, the
    flag when overdue and, for those who review, the link to review it."""
    user = context["request"].user
    shown = sees_retention(user, record)
    return {
        "shown": shown,
        "record": record,
        "overdue": shown and record.review_overdue,
        "review_url": reverse("reviews:review", args=[record.review_kind, record.pk])
        if shown and may_review(user, record)
        else "",
    }
