"""Call data: the phone billing / call data records a force obtains for a number.

- A `Source` is one disclosure (a communications data authorisation's return): recorded
  before its rows are imported, kept after they are purged, so the audit of what was
  held and when it went stays readable.
- A `CallEvent` is one row of a disclosure: a call, SMS or MMS from one party to another.
  Each source keeps its own rows (its evidence): the key includes the source, and two
  sources may hold the same event. On PostgreSQL the table is partitioned by the month of
  `started_at` (`core.partitions`); on SQLite it is one table.
- A `ContactMonth` is the events between a subscriber number and one other party in a
  month, counted once however many sources hold them: the analyses read it instead of
  the rows where they can. The calls import maintains it in the same transaction as
  the rows; the purge recomputes the pairs it touches.

Parties are stored as the import normalises them: a subscriber number in E.164
(`+447700900001`), or kept as written when it is `withheld` or a short code (3–6
digits), which is never a subscriber (`is_subscriber`). The handset fields (IMEI, IMSI,
cell) are those of the party that made the call or sent the message: the `from` party.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse


def is_subscriber(party: str) -> bool:
    """Whether a stored party is a subscriber number (E.164), not `withheld` or a short code."""
    return party.startswith("+")


class EventKind(models.TextChoices):
    CALL = "call", "Call"
    SMS = "sms", "SMS"
    MMS = "mms", "MMS"


# What a person may set on a source (the screens, `call_source_create`); the counts and
# the purge date are the import's and the purge's to keep.
SOURCE_FIELDS = (
    "authorisation",
    "description",
    "numbers",
    "covers_from",
    "covers_to",
    "retain_until",
)


class Source(models.Model):
    """One disclosure of call data, recorded before its rows are imported."""

    reference = models.CharField(max_length=60, unique=True)
    # The communications data authorisation it was obtained under (IPA 2016).
    authorisation = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # What the disclosure covers, as the authorisation says: numbers (E.164) and dates.
    numbers = models.JSONField(default=list, blank=True)
    covers_from = models.DateField(null=True, blank=True)
    covers_to = models.DateField(null=True, blank=True)
    # Its rows are purged after this date (the retention the authorisation allows).
    retain_until = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Kept up to date by the imports and the purge.
    events = models.PositiveBigIntegerField(default=0)
    first_at = models.DateTimeField(null=True, blank=True)
    last_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("calls:source_detail", args=[self.pk])


class CallEvent(models.Model):
    """One row of a disclosure. Key: (source, from, to, started_at, kind)."""

    pk = models.CompositePrimaryKey("source", "from_number", "to_number", "started_at", "kind")
    # No index of its own: the primary key's leads with it.
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+", db_index=False)
    from_number = models.CharField(max_length=20)
    to_number = models.CharField(max_length=20)
    # The partition column on PostgreSQL: every query names a period of it, to prune.
    started_at = models.DateTimeField()
    kind = models.CharField(max_length=4, choices=EventKind.choices)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    # NULL when the row does not say (COPY writes \N); the IMEI index leaves those out.
    imei = models.CharField(max_length=16, null=True, blank=True)  # noqa: DJ001
    imsi = models.CharField(max_length=15, null=True, blank=True)  # noqa: DJ001
    cell_id = models.CharField(max_length=40, null=True, blank=True)  # noqa: DJ001

    class Meta:
        indexes = [
            # "All events of a number in a period", from either side.
            models.Index(fields=["from_number", "started_at"], name="calls_event_from_idx"),
            models.Index(fields=["to_number", "started_at"], name="calls_event_to_idx"),
            # Which numbers a handset carried (handset continuity, successors).
            models.Index(
                fields=["imei", "started_at"],
                name="calls_event_imei_idx",
                condition=models.Q(imei__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.kind} {self.from_number} → {self.to_number} at {self.started_at:%Y-%m-%d %H:%M}"
        )


class ContactMonth(models.Model):
    """The events between subscriber `number` and `contact` (any party) in one month
    (UTC, the partitions' months), each event counted once whatever sources hold it.
    Every event between two subscribers is counted on both rows (a→b and b→a)."""

    number = models.CharField(max_length=20)
    contact = models.CharField(max_length=20)
    month = models.DateField()  # its first day
    calls = models.PositiveIntegerField(default=0)
    sms = models.PositiveIntegerField(default=0)
    mms = models.PositiveIntegerField(default=0)
    # Events `number` made or sent (the rest it received).
    outgoing = models.PositiveIntegerField(default=0)
    call_seconds = models.PositiveBigIntegerField(default=0)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["number", "contact", "month"], name="calls_contactmonth_unique"
            )
        ]
        indexes = [models.Index(fields=["month", "number"], name="calls_contactmonth_month_idx")]

    def __str__(self) -> str:
        return f"{self.number} – {self.contact} in {self.month:%Y-%m}"

    @property
    def events(self) -> int:
        return self.calls + self.sms + self.mms


class CallDataVersion(models.Model):
    """One row whose number every writer of call rows or contact pairs raises in the
    transaction that writes (calls/versions.py): what is kept in the cache from the call
    data is kept under it, so that nothing read before a change is shown after it."""

    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"call data version {self.version}"
