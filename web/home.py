"""The sections of the home page: what each role looks at first when the day starts.

A section is a template (an include under `templates/core/home/`) fed by a reader: a
function of the user that calls the apps' selectors and returns what the template shows
and what the audit log is told it listed. The home page shows, in `SECTIONS` order, those
whose capability the user has. Another section is one more `HomeSection` here.

Each reader costs a fixed number of queries, whatever the number of records
(tests/web/test_home.py pins them).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from accounts.models import User
from accounts.permissions import Capability, user_can
from imports.selectors import recent_import_jobs
from lines.selectors import active_lines_by_command_area, active_lines_count
from panel.models import StatisticsSnapshot
from panel.selectors import quarter_headlines, reports_in_preparation
from records.reviews import DUE_WITHIN_DAYS, reviews_due
from watches.selectors import notifications_unread

RECENT_IMPORTS = 5
REPORTS_LISTED = 10
NEWS_LISTED = 5


@dataclass(frozen=True)
class Shown:
    """What a section shows (its template's context) and what it lists, for the audit
    log: `listed` is the detail of a `search` event on `object_type` (None: it names no
    record, only figures)."""

    context: dict[str, Any]
    object_type: str = ""
    label: str = ""
    listed: dict[str, Any] | None = None


@dataclass(frozen=True)
class HomeSection:
    key: str
    template: str
    capability: Capability
    read: Callable[[User], Shown]


def _watch_news(user: User) -> Shown:
    notifications = notifications_unread(user=user, limit=NEWS_LISTED)
    return Shown(
        {"notifications": notifications},
        object_type="watches.notification",
        label="Home: news on what you watch",
        listed={"records": [f"{note.record_type}:{note.record_id}" for note in notifications]},
    )


def _active_lines(user: User) -> Shown:
    today = timezone.localdate()
    areas = active_lines_by_command_area(user=user, day=today)
    return Shown(
        {"areas": areas, "total": active_lines_count(user=user, day=today)},
        object_type="lines.line",
        label="Home: active lines by command area",
        listed={"active_by_command_area": {area.area: area.lines for area in areas}},
    )


def _recent_imports(user: User) -> Shown:
    jobs = recent_import_jobs(user=user, limit=RECENT_IMPORTS)
    return Shown(
        {"jobs": jobs},
        object_type="imports.importjob",
        label="Home: recent imports",
        listed={"jobs": [job.pk for job in jobs]},
    )


def _quarter_figures(user: User) -> Shown:
    # Figures only, counted as the panel paper counts them: no record named.
    return Shown({"headlines": quarter_headlines(today=timezone.localdate())})


# A report in preparation is as far along as the figures it is written from.
FIGURES_STATE: dict[str | None, tuple[str, str]] = {
    StatisticsSnapshot.Status.READY: ("Draft: figures ready", "green"),
    StatisticsSnapshot.Status.RUNNING: ("Figures being computed", "blue"),
    StatisticsSnapshot.Status.QUEUED: ("Figures waiting to be computed", "blue"),
    StatisticsSnapshot.Status.FAILED: ("Figures could not be computed", "red"),
    None: ("Figures not computed yet", "grey"),
}


def _reports_in_preparation(user: User) -> Shown:
    reports = reports_in_preparation(user=user, limit=REPORTS_LISTED)
    return Shown(
        {"reports": [(report, *FIGURES_STATE[report.figures_status]) for report in reports]},
        object_type="panel.panelreport",
        label="Home: reports in preparation",
        listed={"reports": [report.pk for report in reports]},
    )


def _reviews_due(user: User) -> Shown:
    due = reviews_due(user=user)
    return Shown(
        {"due": due, "within_days": DUE_WITHIN_DAYS},
        object_type="records.review",
        label="Home: reviews due",
        listed={
            "overdue": due.overdue if due else 0,
            "due_soon": due.due_soon if due else 0,
            "records": [f"{row.kind} {row.reference}" for row in due.oldest] if due else [],
        },
    )


SECTIONS: tuple[HomeSection, ...] = (
    # Those who may watch a number (watches.views) see what came of what they watch.
    HomeSection("watch-news", "watches/home_news.html", Capability.VIEW_LINES, _watch_news),
    HomeSection(
        "active-lines", "core/home/active_lines.html", Capability.VIEW_LINES, _active_lines
    ),
    # Those who review records' retention: they change every line, person and referral.
    HomeSection("reviews-due", "core/home/reviews_due.html", Capability.CHANGE_LINES, _reviews_due),
    HomeSection(
        "recent-imports", "core/home/recent_imports.html", Capability.IMPORT_DATA, _recent_imports
    ),
    HomeSection(
        "quarter-figures",
        "core/home/quarter_figures.html",
        Capability.CHANGE_PANEL_REPORTS,
        _quarter_figures,
    ),
    HomeSection(
        "reports-in-preparation",
        "core/home/reports_in_preparation.html",
        Capability.VIEW_PANEL_REPORTS,
        _reports_in_preparation,
    ),
)


def home_sections(*, user: User) -> list[tuple[HomeSection, Shown]]:
    """The sections `user` may see, in order, each read for them."""
    return [
        (section, section.read(user)) for section in SECTIONS if user_can(user, section.capability)
    ]
