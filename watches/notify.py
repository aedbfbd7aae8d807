"""The hook every write calls: tell the watchers of the things a block of records
mentions.

A write (one record on a screen, a block of an import, and whatever comes later: call
data, the API, line packages) says what it touched as `Mention`s: a watched thing's
key (`watches.things`), the record that mentions it, the page that shows that record
and what happened, in words without personal data ("New arrest"). `watchers_notify`
then costs, whatever the number of mentions and of watches:

- one query finding the watches of those things (other users' only: nobody is told of
  their own change);
- one insert of the notifications, only when there are any;
- for watchers who asked for e-mails, a task queued once the transaction commits
  (`watches.tasks`): nothing is sent for a write that is rolled back (a dry run).

Whether the watcher may see the record is decided when the notification is read
(`watches.selectors`), by the record's rule, as every read is. A change of fields only
those who see every record of its kind may see (a referral's lines or MoPI review,
`police_only` in its rule) is told to them alone: another watcher would learn of a change
their page of the record does not show.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction

from accounts.models import User
from accounts.permissions import RECORD_RULES
from core.bulk import insert_rows

from .models import Notification, Watch
from .tasks import notification_emails_send


@dataclass(frozen=True)
class Mention:
    """`thing` (a key) appears in the record `record_type` #`record_id`, shown on the
    page of `page_type` #`page_id` (the record itself when not given)."""

    thing: str
    record_type: str
    record_id: int
    event: str
    page_type: str = ""
    page_id: int | None = None
    # Told only to those who see every record of its kind (a change of police-only fields).
    seen_whole_only: bool = False

    def url(self) -> str:
        """The page showing the record, worked out only for mentions someone watches."""
        label = self.page_type or self.record_type
        pk = self.page_id if self.page_id is not None else self.record_id
        model = apps.get_model(label)
        return str(model(pk=pk).get_absolute_url())


def event_words(model: type[models.Model], *, created: bool) -> str:
    """What happened to a record of `model`, in words: "New arrest", "Arrest changed"."""
    noun = str(getattr(model, "watch_noun", "") or model._meta.verbose_name)
    return f"New {noun}" if created else f"{noun[:1].upper()}{noun[1:]} changed"


def hidden_change(model: type[models.Model], changed: Iterable[str]) -> bool:
    """Whether a change of the fields `changed` of a record of `model` is of fields that
    only those who see every record of its kind see (its rule's `police_only`)."""
    rule = RECORD_RULES.get(model._meta.label_lower)
    hidden = set(rule.police_only) if rule is not None else set()
    changed = set(changed)
    return bool(changed) and changed <= hidden


def record_mentions(
    model: type[models.Model],
    pk: int,
    values: Mapping[str, Any],
    *,
    created: bool,
    changed: Iterable[str] = (),
) -> list[Mention]:
    """What a record of `model` with `values` (by attribute name) mentions, declared by
    its kind's `watched_in` and `watch_page` (watches.things); nothing for a kind that
    declares none. `changed`: the fields a change changed (`hidden_change`)."""
    watched_in = getattr(model, "watched_in", None)
    if watched_in is None:
        return []
    keys = list(watched_in(pk, values))
    if not keys:
        return []
    page_type, page_id = "", None
    watch_page = getattr(model, "watch_page", None)
    if watch_page is not None:
        page_type, page_id = watch_page(pk, values)
    event = event_words(model, created=created)
    label = model._meta.label_lower
    hidden = not created and hidden_change(model, changed)
    return [Mention(key, label, pk, event, page_type, page_id, hidden) for key in keys]


def instance_mentions(
    obj: models.Model, *, created: bool, changed: Iterable[str] = ()
) -> list[Mention]:
    """`record_mentions` of a saved record (its `watched_values()` when it has other
    values to give than its fields': a number's E.164 form)."""
    watched_values = getattr(obj, "watched_values", None)
    if watched_values is not None:
        values = watched_values()
    else:
        values = {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}
    return record_mentions(type(obj), obj.pk, values, created=created, changed=changed)


def watchers_notify(*, user: User | AnonymousUser | None, mentions: Iterable[Mention]) -> int:
    """Notify the watchers of what `mentions` name, but `user` (who made the change).
    Returns how many notifications were written. See the module's docstring."""
    by_thing: dict[str, list[Mention]] = {}
    for mention in mentions:
        by_thing.setdefault(mention.thing, []).append(mention)
    if not by_thing:
        return 0
    watches = Watch.objects.filter(key__any=list(by_thing)).order_by()
    if user is not None and user.is_authenticated:
        watches = watches.exclude(user_id=user.pk)
    rows = []
    emailed: set[int] = set()
    seen: set[tuple[int, str, int, str]] = set()
    urls: dict[Mention, str] = {}
    for watch_id, user_id, key, email in watches.values_list("pk", "user_id", "key", "email"):
        for mention in by_thing[key]:
            # A record that mentions two things a user watches is one notification.
            once = (user_id, mention.record_type, mention.record_id, mention.event)
            if once in seen:
                continue
            seen.add(once)
            if mention not in urls:
                urls[mention] = mention.url()
            rows.append(
                (
                    user_id,
                    watch_id,
                    mention.event,
                    mention.record_type,
                    mention.record_id,
                    urls[mention],
                    email,
                    mention.seen_whole_only,
                )
            )
            if email:
                emailed.add(user_id)
    if not rows:
        return 0
    insert_rows(
        Notification,
        ("user", "watch", "event", "record_type", "record_id", "url", "email", "seen_whole_only"),
        rows,
    )
    if emailed:
        user_ids = sorted(emailed)
        transaction.on_commit(lambda: notification_emails_send.delay(user_ids=user_ids))
    return len(rows)
