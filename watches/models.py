"""What a user watches and what they are told about it."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Watch(models.Model):
    """A user's wish to be told when `key` (watches.things) appears in a new or changed
    record. `label` is the thing as the user saw it when they started ("07700 900664");
    `url` the page they started from."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=300)
    label = models.CharField(max_length=200)
    url = models.CharField(max_length=300, blank=True)
    email = models.BooleanField("e-mail me", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["key", "user"], name="watch_key_user")]

    def __str__(self) -> str:
        return self.label


class Notification(models.Model):
    """That a record mentioning a watched thing was created or changed. `record_type`
    and `record_id` name the record (its kind's rule decides whether the user may still
    see it: watches.selectors); `url` is the page that shows it; `event` says what
    happened without a word of personal data ("New arrest")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    watch = models.ForeignKey(Watch, on_delete=models.SET_NULL, null=True, related_name="+")
    event = models.CharField(max_length=200)
    record_type = models.CharField(max_length=100)
    record_id = models.BigIntegerField()
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Whether the watcher asked for an e-mail, and when it went (watches.emails).
    email = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # A change of fields only those who see every record of its kind see (watches.notify):
    # shown to them alone, whoever else may see the record.
    seen_whole_only = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "-created_at"],
                name="notification_unread",
                condition=Q(read_at__isnull=True),
            ),
            models.Index(fields=["user", "-created_at", "-id"], name="notification_user"),
        ]

    def __str__(self) -> str:
        return self.event
