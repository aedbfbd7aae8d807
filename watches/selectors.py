"""Reads of watches and notifications: a user's own only, and of notifications only
those whose record the user may still see, by its kind's rule
(`accounts.permissions.RECORD_RULES`): a partner watching a referral is never shown
that another agency's exchange or action on it was recorded."""

from django.apps import apps
from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.permissions import RECORD_RULES, user_can, visible_to

from .models import Notification, Watch


def watch_for(*, user: User, key: str) -> Watch | None:
    return Watch.objects.filter(user=user, key=key).first()


def watch_list(*, user: User) -> QuerySet[Watch]:
    return Watch.objects.filter(user=user)


def notifications_visible(*, user: User) -> QuerySet[Notification]:
    """The user's notifications of records they may see, newest first, in one query:
    of the kinds they see whole, every one (the kinds they do not see are left out),
    of the others (a partner's referrals) those of the records their rule lets them
    see, but for a change of what only those who see them whole see (its MoPI review).
    A kind whose records are seen only through another's (a referral's occupants) is
    not shown to those who do not see it whole."""
    unseen: list[str] = []
    scoped = Q(pk__in=[])
    for label, rule in RECORD_RULES.items():
        if user_can(user, rule.view) and user_can(user, rule.view_all):
            continue
        unseen.append(label)
        if user_can(user, rule.view) and rule.partner_sees is not None:
            seen = visible_to(user, apps.get_model(label)._default_manager.all())
            scoped |= Q(record_type=label, record_id__in=seen.values("pk"), seen_whole_only=False)
    mine = Notification.objects.filter(user=user)
    return mine.filter(~Q(record_type__in=unseen) | scoped) if unseen else mine


# The header shows up to this many unread notifications, then "99+": a count that reads
# no more rows than that on every page, however many a busy number brought.
UNREAD_SHOWN = 99


def notifications_unread_count(*, user: User) -> int:
    """How many of the user's notifications they may see are unread, up to
    UNREAD_SHOWN + 1: the header's count."""
    unread = notifications_visible(user=user).filter(read_at=None).order_by()
    return len(unread.values_list("pk", flat=True)[: UNREAD_SHOWN + 1])


def notifications_unread(*, user: User, limit: int) -> list[Notification]:
    """The user's newest unread notifications they may see, at most `limit`, with their
    watches: the home page's news."""
    unread = notifications_visible(user=user).filter(read_at=None).select_related("watch")
    return list(unread[:limit])
