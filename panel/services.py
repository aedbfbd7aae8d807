"""Writes of the panel's own inputs and reports: recorded drug offences (the `police-uk`
import), drug-related deaths (the `deaths` import and form), chart annotations, and the
reports managers prepare, refresh, write paragraphs for and publish."""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import Action, audit_event_record
from core.batch import BatchResult
from records.single import record_create, record_update
from records.upserts import KeyedRecords, LinksTo, upsert_by_reference
from reference.models import Drug

from .models import ChartAnnotation, DrugDeath, PanelReport, RecordedDrugOffence, StatisticsSnapshot
from .periods import Period
from .report import SECTIONS
from .selectors import snapshot_of
from .snapshots import snapshot_request

Rows = Sequence[Mapping[str, Any]]

DRUG_OFFENCES = KeyedRecords(
    RecordedDrugOffence,
    key_column="Crime ID",
    column_names=(
        ("month", "Month"),
        ("reported_by", "Reported by"),
        ("falls_within", "Falls within"),
        ("longitude", "Longitude"),
        ("latitude", "Latitude"),
        ("location", "Location"),
        ("lsoa_code", "LSOA code"),
        ("lsoa_name", "LSOA name"),
        ("last_outcome", "Last outcome category"),
    ),
    # Published open data, anonymised: the import's own audit event records the file.
    audited=False,
)
DEATHS = KeyedRecords(
    DrugDeath,
    links=(LinksTo("substances", "substances"),),
    past_dates=(("date_of_death", "date of death"),),
)


def drug_offence_upsert_many(
    *, user: User | None, rows: Rows, audit_detail: Mapping[str, Any] | None = None
) -> BatchResult:
    return upsert_by_reference(DRUG_OFFENCES, user=user, rows=rows, audit_detail=audit_detail)


def drug_death_upsert_many(
    *, user: User | None, rows: Rows, audit_detail: Mapping[str, Any] | None = None
) -> BatchResult:
    return upsert_by_reference(DEATHS, user=user, rows=rows, audit_detail=audit_detail)


@transaction.atomic
def drug_death_create(
    *, user: User, reference: str, substances: Iterable[Drug] = (), **fields: Any
) -> DrugDeath:
    return record_create(
        DrugDeath,
        user=user,
        reference=reference,
        noun="death",
        many_to_many={"substances": list(substances)},
        **fields,
    )


@transaction.atomic
def drug_death_update(
    *,
    death: DrugDeath,
    user: User,
    expected_version: int | None = None,
    substances: Iterable[Drug] | None = None,
    **fields: Any,
) -> bool:
    changed = record_update(
        death,
        user=user,
        fields=fields,
        allowed=(*DEATHS.fields, "substances"),
        expected_version=expected_version,
        many_to_many={} if substances is None else {"substances": substances},
    )
    return bool(changed)


ANNOTATION_FIELDS = ("name", "starts_on", "ends_on", "note")


@transaction.atomic
def annotation_create(*, user: User, **fields: Any) -> ChartAnnotation:
    return record_create(ChartAnnotation, user=user, **fields)


@transaction.atomic
def annotation_update(
    *, annotation: ChartAnnotation, user: User, expected_version: int | None = None, **fields: Any
) -> bool:
    """Whether anything changed (raises EditConflict over a newer version, as every record
    form)."""
    changed = record_update(
        annotation,
        user=user,
        fields=fields,
        allowed=ANNOTATION_FIELDS,
        expected_version=expected_version,
    )
    return bool(changed)


# --- Reports ---------------------------------------------------------------------------------


@transaction.atomic
def report_create(*, user: User, period: Period, as_at: datetime.date) -> PanelReport:
    """A report of `period` as at `as_at`; its figures are computed now if they have not
    been (in the background where a worker runs)."""
    report = record_create(
        PanelReport,
        user=user,
        period_kind=period.kind,
        start=period.start,
        end=period.end,
        as_at=as_at,
        title=f"Police, Fire and Crime Panel report: {period.name}",
    )
    snapshot = snapshot_of(start=period.start, end=period.end, as_at=as_at)
    if snapshot is None or snapshot.status != StatisticsSnapshot.Status.READY:
        snapshot_request(period=period, as_at=as_at)
    return report


def _refuse_if_published(report: PanelReport) -> None:
    if report.is_published:
        raise ValidationError("This report is published: its figures and text stay as they are")


@transaction.atomic
def report_refresh(*, report: PanelReport, user: User) -> StatisticsSnapshot:
    """Compute the report's figures again (a manager's "refresh now")."""
    _refuse_if_published(report)
    audit_event_record(action=Action.UPDATE, user=user, obj=report, detail={"refreshed": True})
    return snapshot_request(period=report.period, as_at=report.as_at)


@transaction.atomic
def report_paragraphs_update(
    *,
    report: PanelReport,
    user: User,
    paragraphs: dict[str, str],
    expected_version: int | None = None,
) -> bool:
    """The managers' own text, by section."""
    _refuse_if_published(report)
    known = {key for key, _title in SECTIONS}
    cleaned = {key: text.strip() for key, text in paragraphs.items() if key in known and text}
    changed = record_update(
        report,
        user=user,
        fields={"paragraphs": cleaned},
        allowed=("paragraphs",),
        expected_version=expected_version,
    )
    return bool(changed)


@transaction.atomic
def report_publish(*, report: PanelReport, user: User) -> None:
    """Freeze the report: its figures and text are kept as they are now."""
    _refuse_if_published(report)
    snapshot = snapshot_of(start=report.start, end=report.end, as_at=report.as_at)
    if (
        snapshot is None
        or snapshot.status != StatisticsSnapshot.Status.READY
        or snapshot.computed_at is None
    ):
        raise ValidationError("Wait for the figures to be computed before publishing")
    report.published_at = timezone.now()
    report.published_by = user
    report.published_figures = snapshot.figures
    report.published_previous = snapshot.previous_figures
    report.published_computed_at = snapshot.computed_at
    report.version += 1
    report.save()
    audit_event_record(
        action=Action.UPDATE,
        user=user,
        obj=report,
        detail={"published": True, "computed_at": snapshot.computed_at.isoformat()},
    )
