"""`make bench`: the service at a large force's scale, on PostgreSQL, in figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.run

On the server of DATABASE_URL it keeps two databases, `countylines_bench_1` (factor 1:
20,000 lines, 300,000 arrests, 2,000,000 recorded drug offences…, `manage.py seed_scale`)
and `countylines_bench_0_1` (factor 0.1), seeded the first time and reused after. Then:

- statistics: a calendar year and ten years through `panel.statistics`, against
  hand-written SQL computing the same figures in as few statements as it can; the
  Celery snapshot task end to end;
- import: `bench/imports.py` (every kind) with a `police-uk` file of 1,000,000 rows;
- pages: each page 200 times through the whole URL stack as a signed-in user (the PDF
  and the Word document 10 times), p50 / p95 server time and queries, and the queries
  again at factor 0.1; a search is measured as it is made: its form posted, then the
  page it is sent on to (bench/pages.py `Page`);
- throughput: gunicorn with 2 workers under `wrk` for 20 s on the lines list and the
  number search;
- call data: `bench/calls.py` (the import of 1,000,000 rows into the 10,000,000 of the
  seed and its purge, the analyses with their partition pruning, the line page's Call
  data tab).

Prints a table and writes `bench/results.json` (name, value, unit, baseline, ratio).
Targets (issue 11) are printed beside each figure.

`--pages` measures the pages alone on the database DATABASE_URL names (seeded at factor
1 if empty), as a change to a page is measured before and after on one seeded database.

`--calls` (`make bench BENCH_ARGS=--calls`) measures the call data alone (bench/calls.py):
its import, purge and analyses and the line page's Call data tab, on the factor-1
database (seeded if empty or topped up with call data).

`--smoke` (`make bench BENCH_ARGS=--smoke`, run by CI) runs every measurement briefly on
a database of its own, seeded afresh at factor 0.002 and dropped at the end: a change
that breaks a measured page, an import, the statistics' agreement with the SQL or the
served application fails it. It prints the figures, writes no results and applies no
target (at that size they mean nothing).
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.pages import Page, time_page
from bench.scratch import admin_command, ensure_database, scratch_database_url

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
PAGE_REPEAT = 200
# `--search`: the five searches alone, enough times for a p95, in a minute or two.
SEARCH_REPEAT = 50
PDF_REPEAT = 10
PYTHON = sys.executable


# --- In a child process, on one database ---------------------------------------------------


def child(
    factor: float, repeat: int, *, pages_only: bool = False, search_only: bool = False
) -> None:
    """Seed (if needed) and measure statistics and pages (`pages_only`: the pages;
    `search_only`: the search box's), each page `repeat` times; print JSON on the last
    line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"  # DEBUG keeps every query in memory
    os.environ["ENVIRONMENT_BANNER"] = ""
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    call_command("seed_scale", factor=factor, if_empty=True, verbosity=0)
    seeded = time.monotonic() - started
    figures = [] if pages_only or search_only else measure_statistics()
    context = page_context()
    figures += measure_pages(context, repeat=repeat, search_only=search_only)
    session = session_cookie(context["officer"])
    print(json.dumps({"figures": figures, "seed_seconds": seeded, "session": session}))


def measure_statistics() -> list[dict]:
    import datetime

    from panel.periods import Kind, Period
    from panel.statistics import panel_statistics
    from panel.tasks import snapshot_compute_task

    end_year = datetime.date.today().year - 1
    year = Period(Kind.YEAR, datetime.date(end_year, 1, 1), datetime.date(end_year, 12, 31))
    decade = Period(Kind.CUSTOM, datetime.date(end_year - 9, 1, 1), year.end)
    figures = []
    for label, period in (("a calendar year", year), ("ten years", decade)):
        service = best_of(3, lambda p=period: panel_statistics(start=p.start, end=p.end))
        baseline = best_of(3, lambda p=period: baseline_statistics(p.start, p.end, p.end))
        check_baseline(period)
        figures.append(
            {
                "name": f"statistics: {label}",
                "value": round(service * 1000, 1),
                "unit": "ms",
                "baseline": round(baseline * 1000, 1),
                "ratio": round(service / baseline, 2),
                "target": "≤ 500 ms and ≤ 1.5 × baseline" if period is year else "≤ 3,000 ms",
            }
        )
    started = time.perf_counter()
    snapshot_compute_task.apply(
        args=(year.kind, year.start.isoformat(), year.end.isoformat(), year.end.isoformat())
    )
    figures.append(
        {
            "name": "statistics: snapshot task, a year and the year before",
            "value": round((time.perf_counter() - started) * 1000, 1),
            "unit": "ms",
        }
    )
    return figures


def best_of(times: int, run) -> float:
    results = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        results.append(time.perf_counter() - started)
    return min(results)


def baseline_statistics(start, end, as_at) -> dict:
    """The §3 figures in hand-written SQL: the floor the service is measured against."""
    from django.db import connection

    from lines.models import Line, LineNumber
    from operations.models import Arrest, Charge, Operation, Seizure, Sentence
    from panel.models import DrugDeath, RecordedDrugOffence
    from persons.models import Person
    from reference.models import CommandArea, Drug, Force
    from safeguarding.models import InformationExchange, Referral, SafeguardingAction

    t = {
        "person": Person._meta.db_table,
        "line": Line._meta.db_table,
        "areas": Line.command_areas.through._meta.db_table,
        "area": CommandArea._meta.db_table,
        "force": Force._meta.db_table,
        "number": LineNumber._meta.db_table,
        "arrest": Arrest._meta.db_table,
        "charge": Charge._meta.db_table,
        "sentence": Sentence._meta.db_table,
        "seizure": Seizure._meta.db_table,
        "drug": Drug._meta.db_table,
        "offence": RecordedDrugOffence._meta.db_table,
        "death": DrugDeath._meta.db_table,
        "substances": DrugDeath.substances.through._meta.db_table,
        "referral": Referral._meta.db_table,
        "operation": Operation._meta.db_table,
        "exchange": InformationExchange._meta.db_table,
        "action": SafeguardingAction._meta.db_table,
        "agency": InformationExchange._meta.get_field("from_agency").related_model._meta.db_table,
    }
    p = {"start": start, "end": end, "as_at": as_at}
    statements = {
        "lines": f"""
            WITH identified AS (
                SELECT id, closed_on FROM {t["line"]} WHERE first_identified BETWEEN %(start)s AND %(end)s
            )
            SELECT (SELECT count(*) FROM identified),
                   (SELECT count(*) FROM identified WHERE closed_on IS NULL OR closed_on > %(as_at)s),
                   (SELECT count(*) FROM {t["line"]} WHERE first_identified <= %(end)s
                        AND (closed_on IS NULL OR closed_on > %(end)s)),
                   (SELECT count(*) FROM {t["line"]} WHERE closed_on BETWEEN %(start)s AND %(end)s),
                   (SELECT count(DISTINCT n.number_id) FROM {t["number"]} n JOIN identified i
                        ON i.id = n.line_id WHERE n.attributed_from <= %(as_at)s)""",
        "by_area": f"""
            SELECT a.name, count(*) FROM {t["line"]} l JOIN {t["areas"]} la ON la.line_id = l.id
            JOIN {t["area"]} a ON a.id = la.commandarea_id
            WHERE l.first_identified BETWEEN %(start)s AND %(end)s GROUP BY a.name""",
        "by_force": f"""
            SELECT f.name, count(*) FROM {t["line"]} l JOIN {t["force"]} f ON f.id = l.origin_force_id
            WHERE l.first_identified BETWEEN %(start)s AND %(end)s GROUP BY f.name""",
        "enforcement": f"""
            SELECT (SELECT count(*) FROM {t["arrest"]} WHERE arrested_on BETWEEN %(start)s AND %(end)s),
                   (SELECT count(DISTINCT person_id) FROM {t["arrest"]}
                        WHERE arrested_on BETWEEN %(start)s AND %(end)s),
                   (SELECT count(DISTINCT person_id) FROM {t["charge"]}
                        WHERE charged_on BETWEEN %(start)s AND %(end)s),
                   (SELECT count(DISTINCT person_id) FROM {t["sentence"]}
                        WHERE sentenced_on BETWEEN %(start)s AND %(end)s),
                   (SELECT coalesce(sum(custody_months), 0) FROM {t["sentence"]}
                        WHERE sentenced_on BETWEEN %(start)s AND %(end)s),
                   (SELECT coalesce(sum(cash_gbp), 0) FROM {t["seizure"]}
                        WHERE seized_on BETWEEN %(start)s AND %(end)s)""",
        "drug_seizures": f"""
            SELECT d.name, count(*), sum(s.grams) FROM {t["seizure"]} s JOIN {t["drug"]} d ON d.id = s.drug_id
            WHERE s.seized_on BETWEEN %(start)s AND %(end)s GROUP BY d.name""",
        "offences": f"""
            SELECT month, count(*) FROM {t["offence"]} WHERE month BETWEEN %(start)s AND %(end)s
            GROUP BY month""",
        "deaths": f"""
            SELECT NULL, count(*) FROM {t["death"]} WHERE date_of_death BETWEEN %(start)s AND %(end)s
            UNION ALL
            SELECT d.name, count(DISTINCT x.id) FROM {t["death"]} x JOIN {t["substances"]} s
                ON s.drugdeath_id = x.id JOIN {t["drug"]} d ON d.id = s.drug_id
            WHERE x.date_of_death BETWEEN %(start)s AND %(end)s GROUP BY d.name""",
        # What the service adds to §3, so that both compute the same.
        "arrest_extras": f"""
            SELECT count(*) FILTER (WHERE a.drug_test <> 'not_tested'),
                   count(*) FILTER (WHERE a.drug_test IN ('cocaine', 'opiates', 'both')),
                   count(*) FILTER (WHERE a.treatment_referral),
                   count(DISTINCT a.person_id) FILTER (WHERE p.vulnerable_adult),
                   count(DISTINCT a.person_id) FILTER (
                       WHERE date_part('year', age(a.arrested_on, p.date_of_birth)) < 18)
            FROM {t["arrest"]} a JOIN {t["person"]} p ON p.id = a.person_id
            WHERE a.arrested_on BETWEEN %(start)s AND %(end)s""",
        "drug_tests": f"""
            SELECT drug_test, count(*) FROM {t["arrest"]}
            WHERE arrested_on BETWEEN %(start)s AND %(end)s AND drug_test <> 'not_tested'
            GROUP BY drug_test""",
        "offences_by_force": f"""
            SELECT f.name, count(*) FROM {t["offence"]} o JOIN {t["force"]} f ON f.id = o.falls_within_id
            WHERE o.month BETWEEN %(start)s AND %(end)s GROUP BY f.name""",
        "lines_by_year": f"""
            SELECT extract(year FROM l.first_identified), f.name, count(*) FROM {t["line"]} l
            JOIN {t["force"]} f ON f.id = l.origin_force_id
            WHERE l.first_identified BETWEEN %(start)s AND %(end)s GROUP BY 1, 2""",
        "safeguarding": f"""
            SELECT count(*) FILTER (WHERE referred_on BETWEEN %(start)s AND %(end)s),
                   count(*) FILTER (WHERE closed_on BETWEEN %(start)s AND %(end)s),
                   count(*) FILTER (WHERE referred_on <= %(end)s
                        AND (closed_on IS NULL OR closed_on > %(end)s)),
                   count(DISTINCT address || '|' || postcode) FILTER (
                        WHERE referred_on BETWEEN %(start)s AND %(end)s
                        AND NOT (address = '' AND postcode = ''))
            FROM {t["referral"]}""",
        # What the paper's sentences need beyond §3.
        "by_place": f"""
            SELECT coalesce(nullif(f.place, ''), f.short_name), count(*) FROM {t["line"]} l
            JOIN {t["force"]} f ON f.id = l.origin_force_id
            WHERE l.first_identified BETWEEN %(start)s AND %(end)s GROUP BY 1""",
        "charged_by_month": f"""
            SELECT date_trunc('month', charged_on), count(DISTINCT person_id) FROM {t["charge"]}
            WHERE charged_on BETWEEN %(start)s AND %(end)s GROUP BY 1""",
        "intensification": f"""
            SELECT o.reference,
                   (SELECT count(*) FROM {t["arrest"]} a WHERE a.operation_id = o.id),
                   (SELECT count(DISTINCT a.person_id) FROM {t["arrest"]} a
                        WHERE a.operation_id = o.id),
                   (SELECT coalesce(sum(s.cash_gbp), 0) FROM {t["seizure"]} s
                        WHERE s.operation_id = o.id AND s.seized_on >= o.started_on
                        AND s.seized_on < o.started_on + 7)
            FROM {t["operation"]} o
            WHERE o.kind = 'intensification' AND o.started_on BETWEEN %(start)s AND %(end)s""",
        "funding": f"""
            SELECT funding_source, sum(funding_amount), count(*) FROM {t["operation"]}
            WHERE started_on BETWEEN %(start)s AND %(end)s AND funding_amount IS NOT NULL
                AND funding_source <> '' GROUP BY 1""",
        "deaths_by_month": f"""
            SELECT date_trunc('month', date_of_death), count(*), max(date_of_death)
            FROM {t["death"]} WHERE date_of_death BETWEEN %(start)s AND %(end)s GROUP BY 1""",
        "exchanges": f"""
            SELECT g.name, count(*) FROM {t["exchange"]} e JOIN {t["agency"]} g
                ON g.id = e.from_agency_id
            WHERE e.shared_on BETWEEN %(start)s AND %(end)s GROUP BY 1""",
        "actions": f"""
            SELECT count(*) FILTER (WHERE done_on BETWEEN %(start)s AND %(end)s),
                   count(*) FILTER (WHERE agreed_on <= %(end)s AND due_on < %(end)s
                        AND (done_on IS NULL OR done_on > %(end)s))
            FROM {t["action"]}""",
    }
    results = {}
    with connection.cursor() as cursor:
        for name, sql in statements.items():
            cursor.execute(sql, p)
            results[name] = cursor.fetchall()
    return results


def check_baseline(period) -> None:
    """The baseline computes the same figures as the service (else it is no baseline)."""
    from panel.statistics import panel_statistics

    service = panel_statistics(start=period.start, end=period.end)
    sql = baseline_statistics(period.start, period.end, period.end)
    lines = sql["lines"][0]
    assert (
        service["lines"]["identified"],
        service["lines"]["identified_still_active"],
        service["lines"]["active_at_end"],
        service["lines"]["closed"],
        service["lines"]["numbers_used"],
    ) == lines, (service["lines"], lines)
    assert service["lines"]["by_command_area"] == dict(sql["by_area"])
    assert service["enforcement"]["arrests"] == sql["enforcement"][0][0]
    assert service["enforcement"]["children_arrested"] == sql["arrest_extras"][0][4]
    assert service["enforcement"]["drug_tests"] == dict(sql["drug_tests"])
    assert service["drug_offences"]["total"] == sum(count for _m, count in sql["offences"])
    assert service["drug_deaths"]["total"] == sql["deaths"][0][1]
    safeguarding = service["safeguarding"]
    assert (
        safeguarding["referrals_opened"],
        safeguarding["referrals_closed"],
        safeguarding["open_at_end"],
        safeguarding["addresses"],
    ) == sql["safeguarding"][0]
    assert service["lines"]["by_origin_place"] == dict(sql["by_place"])
    assert sum(service["enforcement"]["persons_charged_by_month"].values()) == sum(
        count for _month, count in sql["charged_by_month"]
    )
    assert len(service["enforcement"]["intensification"]) == len(sql["intensification"])
    assert len(service["funding"]["by_source"]) == len(sql["funding"])
    assert sum(service["drug_deaths"]["by_month"].values()) == service["drug_deaths"]["total"]
    assert service["safeguarding"]["exchanges_by_agency"] == dict(sql["exchanges"])
    assert (safeguarding["actions_done"], safeguarding["actions_overdue"]) == sql["actions"][0]


def page_context() -> dict:
    import datetime

    from accounts.models import Agency, Role, User
    from bench.calls import subjects
    from lines.models import Line
    from panel.models import PanelReport
    from panel.periods import Kind, Period
    from panel.snapshots import snapshot_compute

    police = Agency.objects.get(name="North Yorkshire Police")
    council = Agency.objects.get(name="City of York Council")

    def user(username, role, agency):
        found, _ = User.objects.get_or_create(
            username=username,
            defaults={"role": role, "agency": agency, "first_name": "Bench", "last_name": role},
        )
        return found

    end_year = datetime.date.today().year - 1
    year = Period(Kind.YEAR, datetime.date(end_year, 1, 1), datetime.date(end_year, 12, 31))
    report = PanelReport.objects.filter(start=year.start, end=year.end).first()
    if report is None:
        report = PanelReport.objects.create(
            period_kind=year.kind, start=year.start, end=year.end, as_at=year.end, title="Bench"
        )
    snapshot_compute(period=year, as_at=year.end)
    busiest = Line.objects.order_by("-numbers_count", "pk").first()
    number = busiest.attributions.select_related("number").first().number.national
    return {
        "deal_line": subject["line"].pk if (subject := subjects()) else None,
        "officer": user("bench-officer", Role.INTELLIGENCE_OFFICER, police),
        "manager": user("bench-manager", Role.MANAGER, police),
        "partner": user("bench-partner", Role.PARTNER, council),
        "busiest": busiest.pk,
        "number": number,
        "report": report.pk,
    }


def pages(context: dict) -> list[Page]:
    from django.urls import reverse

    from reference.models import CommandArea

    area = CommandArea.objects.get(name="York").pk
    lines = reverse("lines:line_list")
    numbers = reverse("lines:number_search")
    return [
        # The home pages: the officer's sections (news, active lines, reviews due,
        # imports), the manager's with the quarter's figures as the first visit counted
        # them (kept ten minutes: web/home.py).
        Page("home: intelligence officer", "officer", "/", shows='data-testid="home-reviews-due"'),
        Page("home: manager", "manager", "/", shows='data-testid="home-quarter-figures"'),
        Page("lines list", "officer", lines),
        Page(
            "lines list: area + status + dates",
            "officer",
            lines,
            {
                "command_areas": area,
                "status": "closed",
                "identified_from-day": "1",
                "identified_from-month": "1",
                "identified_from-year": "2018",
                "identified_to-day": "31",
                "identified_to-month": "12",
                "identified_to-year": "2022",
            },
            posted=True,
        ),
        Page(
            "number search: hit",
            "officer",
            numbers,
            {"number": context["number"]},
            posted=True,
            shows='data-testid="number-known"',
        ),
        Page(
            "number search: miss",
            "officer",
            numbers,
            {"number": "07958 123456"},
            posted=True,
            shows='data-testid="number-not-known"',
        ),
        Page(
            "line page: the busiest line",
            "officer",
            reverse("lines:line_detail", args=[context["busiest"]]),
        ),
        # A line of the call data, its Call data tab listing the successor candidates
        # (a tiny seed may have none).
        *(
            [
                Page(
                    "line page: a deal line, with its Call data tab",
                    "officer",
                    reverse("lines:line_detail", args=[context["deal_line"]]),
                    shows='id="call-data"',
                )
            ]
            if context["deal_line"]
            else []
        ),
        Page(
            "people: part of a name",
            "officer",
            reverse("persons:person_list"),
            {"q": "smithson-1"},
            posted=True,
        ),
        Page("referrals list, as a partner", "partner", reverse("safeguarding:referral_list")),
        *search_pages(),
        Page(
            "audit log: search by action",
            "manager",
            reverse("audit:event_list"),
            {"action": "export"},
            posted=True,
        ),
        Page(
            "panel report page",
            "manager",
            reverse("panel:report_detail", args=[context["report"]]),
        ),
        Page(
            "panel report PDF",
            "manager",
            reverse("panel:report_pdf", args=[context["report"]]),
            shows="%PDF-",
        ),
        Page(
            "panel report Word document",
            "manager",
            reverse("panel:report_docx", args=[context["report"]]),
            shows="word/document.xml",  # a name in the zip's directory
        ),
    ]


def search_pages() -> list[Page]:
    """The search box over the scale data (bench/scale.py): a name with one typo (the
    Jones of every hyphenated Jones-n), part of a number, a postcode, a reference; a
    street as a partner, over the referrals shared with their agency."""
    from django.urls import reverse

    search = reverse("search:search")
    shows = 'data-testid="search-total"'
    return [
        Page(f"search: {label}", role, search, {"q": text}, posted=True, shows=shows)
        for label, role, text in (
            ("a name with one typo", "officer", "Jnoes"),
            ("part of a number", "officer", "0770001234"),
            ("a postcode", "officer", "YO1 1AA"),
            ("a reference", "officer", "SCALE-CL-0012345"),
            ("a street, as a partner", "partner", "Example Street"),
        )
    ]


# The page every user opens first, many times a day.
HOME_TARGET = "p95 ≤ 50 ms"
# The report's documents are drawn afresh at each download: their own targets.
DOCUMENT_TARGETS = {
    "panel report PDF": "p95 ≤ 3,000 ms",
    "panel report Word document": "p95 ≤ 2,000 ms",
}
SEARCH_TARGET = "p95 ≤ 100 ms"


def measure_pages(context: dict, *, repeat: int, search_only: bool = False) -> list[dict]:
    from django.test import Client

    clients = {}
    for role in ("officer", "manager", "partner"):
        clients[role] = Client()
        clients[role].force_login(context[role])
    figures = []
    for page in search_pages() if search_only else pages(context):
        target = DOCUMENT_TARGETS.get(page.label, "p95 ≤ 150 ms")
        if page.label.startswith("search:"):
            target = SEARCH_TARGET
        if page.label.startswith("home:"):
            target = HOME_TARGET
        document = page.label in DOCUMENT_TARGETS
        timed = time_page(
            clients[page.role], page, repeat=min(repeat, PDF_REPEAT) if document else repeat
        )
        figure = {
            "name": f"page: {page.label}" + (" (POST + page)" if page.posted else ""),
            "value": round(timed.p50, 1),
            "p95": round(timed.p95, 1),
            "unit": "ms",
            "queries": timed.queries,
            "target": target,
        }
        if page.posted:
            figure |= {"post_ms": round(timed.post_p50, 1), "post_queries": timed.post_queries}
        figures.append(figure)
    return figures


def session_cookie(user) -> str:
    """A signed-in session for `wrk`, as the sign-in form would leave."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.middleware import SIGNED_IN_AT

    session = SessionStore()
    session[SIGNED_IN_AT] = time.time()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # the passwords' one
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


# --- The parent: databases, imports, throughput, the table ------------------------------------


def run_child(
    url: str, factor: float, *, repeat: int, pages_only: bool = False, search_only: bool = False
) -> dict:
    env = dict(os.environ, DATABASE_URL=url)
    what = "search" if search_only else "pages" if pages_only else "all"
    result = subprocess.run(
        [PYTHON, "-m", "bench.run", "child", str(factor), str(repeat), what],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(result.stderr[-2000:])
    if result.returncode:
        sys.exit(f"The measurements at factor {factor} failed.")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_imports(server_url: str, sizes: list[str], *, quiet: bool = False) -> list[dict]:
    """bench/imports.py at `sizes`; `quiet`, its own report (against the full size's
    targets) is shown only if it fails."""
    out = ROOT / "bench" / ".imports.json"
    result = subprocess.run(
        [PYTHON, "-m", "bench.imports", *sizes, "--json", str(out)],
        env=dict(os.environ, DATABASE_URL=server_url),
        cwd=ROOT,
        capture_output=quiet,
        text=True,
        check=False,
    )
    if result.returncode:
        if quiet:
            sys.stderr.write(result.stdout[-2000:] + result.stderr[-2000:])
        sys.exit("The imports failed.")
    figures = []
    for measure in json.loads(out.read_text()):
        ratio = (
            measure["seconds"] / measure["copy_seconds"] if measure.get("copy_seconds") else None
        )
        figures.append(
            {
                "name": f"import: {measure['label']}",
                "value": round(measure["rate"]),
                "unit": "rows/s",
                "peak_rss_mb": round(measure["peak_rss_mb"]),
                "baseline": round(measure["rows"] / measure["copy_seconds"])
                if measure.get("copy_seconds")
                else None,
                "ratio": round(ratio, 1) if ratio else None,
                "target": f"≥ {measure['target']:,.0f} rows/s" if measure.get("target") else None,
            }
        )
    out.unlink()
    return figures


def measure_throughput(url: str, session: str, *, seconds: int) -> list[dict]:
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("wrk is missing: `make bench` installs it (scripts/install-system-packages wrk).")
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        ENVIRONMENT_BANNER="",
    )
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            "127.0.0.1:8765",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    figures = []
    try:
        wait_until_serving("http://127.0.0.1:8765/health/", server)
        targets = [
            ("lines list", "/lines/", None),
            ("number search", "/lines/numbers/?number=07958+123456", "≥ 200 requests/s"),
        ]
        for label, path, target in targets:
            page = page_for_session(f"http://127.0.0.1:8765{path}", session)
            output = subprocess.run(
                [
                    wrk,
                    "-t2",
                    "-c8",
                    f"-d{seconds}s",
                    "--latency",
                    "-H",
                    f"Cookie: sessionid={session}",
                    page,
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
            p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
            p99_ms = float(p99[1]) * {"us": 0.001, "ms": 1, "s": 1000}[p99[2]]
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
            socket_errors = re.search(r"Socket errors: (.*)", output)
            figures.append(
                {
                    "name": f"throughput: {label}",
                    "value": round(rate),
                    "unit": "requests/s",
                    "p99_ms": round(p99_ms, 1),
                    "errors": int(errors[1]) if errors else 0,
                    "socket_errors": socket_errors[1] if socket_errors else "",
                    "target": target,
                }
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return figures


def wait_until_serving(url: str, server: subprocess.Popen) -> None:
    import urllib.request

    for _ in range(120):
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped (exit code {server.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310  (our own server)
                return
        except OSError:
            time.sleep(0.25)
    sys.exit(f"gunicorn did not answer {url} within 30 s.")


def page_for_session(url: str, session: str) -> str:
    """The address wrk is to load for `url`: the page answers 200 to the session wrk will
    use (not a redirect to sign in). A search for a number is held in the session and
    answered with a redirect to a URL carrying a reference to it (records/held_search.py):
    that URL, the one a browser loads, is the page measured."""
    import urllib.request
    from urllib.parse import urljoin

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    for _ in range(2):
        request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"})  # noqa: S310
        try:
            status, location = opener.open(request, timeout=10).status, None
        except urllib.error.HTTPError as error:
            status, location = error.code, error.headers.get("Location")
        if status == 303 and location and "/sign-in/" not in location:
            url = urljoin(url, location)
            continue
        break
    if status != 200:
        sys.exit(f"{url} answered {status} to the benchmark's session, not 200.")
    return url


def report(figures: list[dict], *, targets: bool = True) -> None:
    print(
        f"\n{'measurement':<56} {'value':>10} {'unit':<10} {'p95/p99':>8} {'queries':>8} "
        f"{'baseline':>10} {'ratio':>6}" + ("  target" if targets else "")
    )
    for figure in figures:
        extra = figure.get("p95", figure.get("p99_ms", ""))
        queries = figure.get("queries", "")
        small = figure.get("queries_at_0_1")
        if small is not None:
            queries = f"{queries}={small}" if small == queries else f"{queries}≠{small}"
        baseline = figure.get("baseline")
        target = f"  {figure.get('target') or ''}" if targets else ""
        print(
            f"{figure['name'][:56]:<56} {figure['value']:>10,} {figure['unit']:<10} "
            f"{extra!s:>8} {queries!s:>8} {'' if baseline is None else f'{baseline:,}':>10} "
            f"{figure.get('ratio') or '':>6}{target}"
        )


# `--police-uk-rows` 500,000: the mixed file is twice as long, 1,000,000 rows.
IMPORT_SIZES = ["--police-uk-rows", "500000"]
THROUGHPUT_SECONDS = 20
# The smoke run: every measurement of the full run, on data a thousandth of its size.
SMOKE_FACTOR = 0.002
SMOKE_IMPORT_SIZES = [
    *("--lines", "200", "--numbers", "400", "--distinct-numbers", "300", "--records", "200"),
    *("--memory-rows", "200", "400", "--police-uk-rows", "500"),
]
SMOKE_THROUGHPUT_SECONDS = 1


def full(server_url: str) -> None:
    started = time.monotonic()
    large = ensure_database(server_url, "countylines_bench_1")
    small = ensure_database(server_url, "countylines_bench_0_1")
    print("Factor 1 (seeded the first time: a few minutes)…", flush=True)
    at_1 = run_child(large, 1.0, repeat=PAGE_REPEAT)
    print("Factor 0.1…", flush=True)
    at_0_1 = run_child(small, 0.1, repeat=3)  # for its queries
    figures = at_1["figures"]
    small_queries = {f["name"]: f.get("queries") for f in at_0_1["figures"]}
    for figure in figures:
        if "queries" in figure:
            figure["queries_at_0_1"] = small_queries.get(figure["name"])
    print("Imports…", flush=True)
    figures += measure_imports(server_url, IMPORT_SIZES)
    print("Throughput…", flush=True)
    figures += measure_throughput(large, at_1["session"], seconds=THROUGHPUT_SECONDS)
    print("Call data…", flush=True)
    figures += measure_calls(server_url)
    figures.append(
        {
            "name": "bench: seeding factor 1 (0 when already seeded)",
            "value": round(at_1["seed_seconds"]),
            "unit": "s",
        }
    )
    figures.append(
        {"name": "bench: whole run", "value": round(time.monotonic() - started), "unit": "s"}
    )
    report(figures)
    RESULTS.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")


def measure_calls(server_url: str) -> list[dict]:
    """bench/calls.py on the factor-1 database (it prints its own table as it goes)."""
    out = ROOT / "bench" / ".calls.json"
    result = subprocess.run(
        [PYTHON, "-m", "bench.calls", "--json", str(out)],
        env=dict(os.environ, DATABASE_URL=server_url),
        cwd=ROOT,
        check=False,
    )
    if result.returncode:
        sys.exit("The call data measurements failed.")
    figures = json.loads(out.read_text())
    out.unlink()
    return figures


def smoke(server_url: str) -> None:
    """Every measurement of the full run, briefly, on a database of its own seeded afresh
    at a tiny factor (dropped at the end): each page, import and load answers as it
    should, or the run fails. The figures say nothing at this size; no target applies."""
    started = time.monotonic()
    phases = []  # what each part of the run took: the smoke run's own cost, in CI

    def phase_done(name: str, since: float) -> float:
        now = time.monotonic()
        phases.append({"name": f"bench: {name}", "value": round(now - since), "unit": "s"})
        return now

    name = f"countylines_bench_smoke_{os.getpid()}"
    admin_command(server_url, f'CREATE DATABASE "{name}"')
    try:
        url = scratch_database_url(server_url, name)
        print(f"Factor {SMOKE_FACTOR}, seeded afresh…", flush=True)
        result = run_child(url, SMOKE_FACTOR, repeat=1)
        figures = result["figures"]
        mark = phase_done("migrate, seed, statistics and pages", started)
        print("Imports…", flush=True)
        figures += measure_imports(server_url, SMOKE_IMPORT_SIZES, quiet=True)
        mark = phase_done("imports (a database of their own, migrated)", mark)
        print("Throughput…", flush=True)
        throughput = measure_throughput(url, result["session"], seconds=SMOKE_THROUGHPUT_SECONDS)
        phase_done("throughput (gunicorn started, wrk)", mark)
    finally:
        admin_command(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    figures += throughput + phases
    figures.append(
        {"name": "bench: the smoke run", "value": round(time.monotonic() - started), "unit": "s"}
    )
    report(figures, targets=False)
    failed = [f["name"] for f in throughput if f["errors"] or f["socket_errors"]]
    if failed:
        sys.exit(f"Answered other than 2xx or 3xx, or failed to connect: {', '.join(failed)}")
    print("\nThe smoke run passed: every measurement ran and answered as it should.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"every measurement briefly, at factor {SMOKE_FACTOR} in a database of its own",
    )
    parser.add_argument(
        "--pages",
        action="store_true",
        help="the pages alone, on the database DATABASE_URL names (seeded if empty)",
    )
    parser.add_argument(
        "--search",
        action="store_true",
        help="the search box's pages alone, on the database DATABASE_URL names (seeded if empty)",
    )
    parser.add_argument(
        "--calls",
        action="store_true",
        help="the call data alone (bench/calls.py): import, purge, analyses, line page",
    )
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server: postgres://postgres@127.0.0.1:5432/postgres"
        )
    if args.search:
        report(run_child(server_url, 1.0, repeat=SEARCH_REPEAT, search_only=True)["figures"])
    elif args.pages:
        report(run_child(server_url, 1.0, repeat=PAGE_REPEAT, pages_only=True)["figures"])
    elif args.calls:
        measure_calls(server_url)
    elif args.smoke:
        smoke(server_url)
    else:
        full(server_url)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "child":
        what = sys.argv[4]
        child(
            float(sys.argv[2]),
            int(sys.argv[3]),
            pages_only=what == "pages",
            search_only=what == "search",
        )
    else:
        main()
