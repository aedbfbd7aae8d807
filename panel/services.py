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
from records.versions import check_version
from reference.models import Drug

from .drafts import entries_after_edit, moved, order_of, order_stored, stored, written_fingerprint
from .models import (
    TITLE_BLOCK_FIELDS,
    ChartAnnotation,
    DrugDeath,
    PanelReport,
    RecordedDrugOffence,
    StatisticsSnapshot,
)
from .periods import Period
from .report import SECTIONS
from .selectors import drafted_sections, report_figures, section_draft, snapshot_of
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


DEFAULT_TITLE = "Drug offences and County Lines"


@transaction.atomic
def report_create(
    *,
    user: User,
    period: Period,
    as_at: datetime.date,
    title_block: Mapping[str, Any] | None = None,
) -> PanelReport:
    """A report of `period` as at `as_at`, with its title block (`TITLE_BLOCK_FIELDS`);
    its figures are computed now if they have not been (in the background where a
    worker runs)."""
    title_block = {name: value for name, value in (title_block or {}).items() if value}
    unknown = set(title_block) - set(TITLE_BLOCK_FIELDS)
    if unknown:
        raise TypeError(f"A title block has no {sorted(unknown)}")
    report = record_create(
        PanelReport,
        user=user,
        period_kind=period.kind,
        start=period.start,
        end=period.end,
        as_at=as_at,
        **{"title": DEFAULT_TITLE, **title_block},
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
def report_title_block_update(
    *, report: PanelReport, user: User, expected_version: int | None = None, **fields: Any
) -> bool:
    """The report's title block: Panel, meeting, agenda item, title, force, author,
    marking."""
    _refuse_if_published(report)
    changed = record_update(
        report,
        user=user,
        fields=fields,
        allowed=TITLE_BLOCK_FIELDS,
        expected_version=expected_version,
    )
    return bool(changed)


def _section_keys() -> list[str]:
    return [key for key, _title in SECTIONS]


def _known_section(key: str) -> None:
    if key not in _section_keys():
        raise ValidationError(f"The report has no section {key!r}")


@transaction.atomic
def report_section_update(
    *,
    report: PanelReport,
    user: User,
    key: str,
    texts: Sequence[str],
    accepted: Iterable[int] = (),
    own_text: str | None = None,
    written: str | None = None,
    expected_version: int | None = None,
) -> bool:
    """A section's sentences as the manager rewrote them: `texts` one for each sentence
    of the section's form (`panel.drafts.draft_sentences`), "" to leave it out;
    `accepted`, the sentences whose changed figures they accept; `own_text`, their own
    paragraphs after them. `written` is the fingerprint of the sentences the form was
    shown with (`written_fingerprint`): if the figures have been computed again since,
    the sentences are not the same and the form is refused, to be read again."""
    _refuse_if_published(report)
    _known_section(key)
    check_version(report, expected_version)
    report.refresh_from_db(fields=["drafts", "paragraphs"])
    figures = report_figures(report)
    if not figures.ready:
        raise ValidationError("Wait for the figures to be computed before changing the text")
    draft = section_draft(report, figures, key)
    if draft is None:
        raise ValidationError(f"The report has no section {key!r}")
    sentences = draft.sentences
    if (written is not None and written != written_fingerprint(sentences)) or len(sentences) != len(
        texts
    ):
        raise ValidationError(
            "The figures were computed again while you were writing: the sentences below "
            "are written from the new figures. Check them, then save again"
        )
    fields: dict[str, Any] = {
        "drafts": {
            **report.drafts,
            key: stored(entries_after_edit(sentences, texts, set(accepted))),
        }
    }
    if own_text is not None:
        paragraphs = {k: v for k, v in report.paragraphs.items() if k != key}
        if own_text.strip():
            paragraphs[key] = own_text.strip()
        fields["paragraphs"] = paragraphs
    changed = record_update(report, user=user, fields=fields, allowed=("drafts", "paragraphs"))
    return bool(changed)


class Arrange:
    UP = "up"
    DOWN = "down"
    LEAVE_OUT = "leave_out"
    PUT_BACK = "put_back"
    ALL = (UP, DOWN, LEAVE_OUT, PUT_BACK)


@transaction.atomic
def report_section_arrange(
    *,
    report: PanelReport,
    user: User,
    key: str,
    action: str,
    expected_version: int | None = None,
) -> bool:
    """Moves a section up or down among those shown, leaves it out or puts it back."""
    _refuse_if_published(report)
    _known_section(key)
    if action not in Arrange.ALL:
        raise ValidationError(f"Unknown action {action!r}")
    check_version(report, expected_version)
    report.refresh_from_db(fields=["section_order", "sections_left_out"])
    keys = _section_keys()
    order = [k for k in order_of(report.section_order) if k in keys]
    order += [k for k in keys if k not in order]
    left_out = [k for k in report.sections_left_out if k != key]
    if action == Arrange.LEAVE_OUT:
        left_out.append(key)
    elif action in (Arrange.UP, Arrange.DOWN):
        # One place among the sections shown: past any left out between them.
        shown = [k for k in order if k not in left_out]
        shown = moved(shown, key, -1 if action == Arrange.UP else 1)
        slots = iter(shown)
        order = [k if k in left_out else next(slots) for k in order]
    changed = record_update(
        report,
        user=user,
        fields={"section_order": order_stored(order), "sections_left_out": left_out},
        allowed=("section_order", "sections_left_out"),
    )
    return bool(changed)


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
    report.published_sentences = {
        section.key: [str(sentence) for sentence in section.sentences if sentence]
        for section in drafted_sections(report, report_figures(report))
    }
    report.version += 1
    report.save()
    audit_event_record(
        action=Action.UPDATE,
        user=user,
        obj=report,
        detail={"published": True, "computed_at": snapshot.computed_at.isoformat()},
    )
