"""Starting and stopping watches, and reading notifications: each audited.

A watch names what it watches by key (`watches.things`); which things a user may
watch, and the record a watch is started from, are checked by the view before it calls
these (`watches.views`), as every read is.
"""

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from audit.changes import changes
from audit.services import Action, audit_event_record

from .models import Notification, Watch
from .things import WATCHABLE_RECORDS


@transaction.atomic
def watch_start(*, user: User, key: str, label: str, url: str = "") -> Watch:
    """The user's watch of `key`, started now unless it already was."""
    watch, created = Watch.objects.get_or_create(
        user=user, key=key, defaults={"label": label[:200], "url": url[:300]}
    )
    if created:
        audit_event_record(action=Action.CREATE, user=user, obj=watch, detail={"key": key})
    return watch


@transaction.atomic
def watch_stop(*, user: User, watch: Watch) -> None:
    if watch.user_id != user.pk:
        raise PermissionError("A user stops only their own watches.")
    audit_event_record(action=Action.DELETE, user=user, obj=watch, detail={"key": watch.key})
    watch.delete()


@transaction.atomic
def watch_email_set(*, user: User, watch: Watch, email: bool) -> None:
    """Whether the user is e-mailed when what they watch has news."""
    if watch.user_id != user.pk:
        raise PermissionError("A user changes only their own watches.")
    if watch.email == email:
        return
    watch.email = email
    watch.save(update_fields=["email"])
    audit_event_record(
        action=Action.UPDATE,
        user=user,
        obj=watch,
        detail={"changes": changes({"email": not email}, {"email": email})},
    )


def notification_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_read_all(*, user: User) -> int:
    """Marks every notification of the user read; returns how many were unread."""
    return Notification.objects.filter(user=user, read_at=None).update(read_at=timezone.now())


def watches_forget(*, records: Mapping[str, Iterable[int]]) -> int:
    """Forget records that are gone (`records`: ids by kind, `lines.line`): the
    notifications naming them and the watches of them, which name them by id without a
    foreign key and would otherwise lead to nothing, or to a record given the id later.
    A few statements whatever their number. Returns how many watches ended."""
    named = Q(pk__in=[])
    keys: list[str] = []
    for label, ids in records.items():
        ids = list(ids)
        if not ids:
            continue
        named |= Q(record_type=label, record_id__in=ids)
        keys += [
            key_of(pk)
            for kind_label, key_of in WATCHABLE_RECORDS.values()
            if kind_label == label
            for pk in ids
        ]
    Notification.objects.filter(named).delete()
    if not keys:
        return 0
    ended, _ = Watch.objects.filter(key__in=keys).delete()
    return ended
