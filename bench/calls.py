"""Call data at a large force's scale, on PostgreSQL: the import, the purge, the analyses
and the line page's Call data tab, against the factor-1 database of `make bench`.

Not a test (timings vary by machine): a script whose figures go in bench/README.md.
From the project's folder:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.calls

(`make bench BENCH_ARGS=--calls` runs the same through bench/run.py.) It works on
`countylines_bench_1` on the server of DATABASE_URL, seeded by `manage.py seed_scale` if
it is not (10,000,000 call rows over 24 months, bench/scale_calls.py), and leaves it as
it found it:

1. import: `import_csv` kind `calls` of files of 100,000 and 1,000,000 rows
   (bench/calls_data.py: a year of a disclosure's billing within the seed's months, some
   of its subscribers the seed's too) into the database holding 10,000,000, each in a
   child process for its peak memory (flat: the two alike), beside PostgreSQL `COPY` of
   the same file into a bare table of text columns (the floor); then the 1,000,000-row
   file again (every row unchanged). Targets: ≥ 50,000 rows/s (the goal
   150,000, within 3 × COPY), ≥ 100,000 rows/s the second time;
2. purge: the sources of those files purged through the retention purge's service
   (`calls.services.purge.source_purge`), timed (target: 1,000,000 rows ≤ 60 s), then
   their records deleted, so every run starts from the same database;
3. analyses, each `--repeat` times (p50 / p95): a deal number's profile (≤ 200 ms), the
   common contacts of a line's number and its successor (≤ 300 ms), the successor
   candidates of that line (≤ 1 s), the possible-new-lines scan of one month (≤ 5 s);
   each statement they send that reads the call rows is EXPLAINed: the partitions it
   reads, of all the table's (pruning);
4. the line page with its Call data tab, a deal line with a successor and a quieter
   one: p50 / p95 and queries (equal for both: the count does not grow with the rows).

`--only import|analyses|pages` runs one part; `--rows N` changes the large file's size.
"""

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "countylines_bench_1"
SOURCES = {"BENCH-CALLS-100K": 100_000, "BENCH-CALLS-1M": 1_000_000}
REPEAT = 20
PARTITION = re.compile(r"calls_callevent_(?:p\d{4}_\d{2}|default)")


# --- Setting up ---------------------------------------------------------------------------


def database_ready(server_url: str) -> str:
    """The factor-1 database, migrated and seeded (call data included); its URL."""
    from bench.scratch import ensure_database

    url = ensure_database(server_url, DATABASE)
    env = dict(os.environ, DATABASE_URL=url, DJANGO_DEBUG="false")
    for command in (["migrate", "-v0"], ["seed_scale", "--factor", "1", "--if-empty"]):
        subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True
        )
    return url


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"  # DEBUG keeps every query in memory
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    import django

    django.setup()


def sources_leftover_remove() -> None:
    """The benchmark's sources of an interrupted run: purged and deleted."""
    from calls.models import Source
    from calls.services.purge import source_purge

    for source in Source.objects.filter(reference__in=SOURCES):
        if source.purged_at is None:
            source_purge(source=source, via="bench")
        source.delete()


def source_record(reference: str) -> None:
    from django.core.management import call_command

    call_command(
        "call_source_create",
        reference,
        authorisation="BENCH-CDA",
        retain_until="2099-12-31",
        description="The call data benchmark's file (purged at the end of each run).",
        stdout=open(os.devnull, "w"),  # noqa: SIM115  (closed with the process)
    )


# --- 1 and 2: the import and the purge ----------------------------------------------------


def measure_import(rows_large: int, workdir: Path) -> list[dict]:
    from bench.calls_data import write_calls_csv
    from bench.imports import copy_seconds, run_import
    from calls.models import Source
    from calls.services.purge import source_purge

    sources_leftover_remove()
    sizes = {"BENCH-CALLS-100K": 100_000, "BENCH-CALLS-1M": rows_large}
    figures = []
    for reference, rows in sizes.items():
        path = workdir / f"{reference.lower()}.csv"
        write_calls_csv(path, rows, source=reference)
        source_record(reference)
        copy = copy_seconds(path, columns=9)
        first = run_import(f"calls, {rows:,} rows", "calls", path, rows, None)
        figures.append(import_figure(first, copy, target="≥ 50,000 rows/s, ≤ 3 × COPY"))
        if rows == rows_large:
            again = run_import(f"calls, {rows:,} rows again, unchanged", "calls", path, rows, None)
            figures.append(import_figure(again, copy, target="≥ 100,000 rows/s"))
        source = Source.objects.get(reference=reference)
        started = time.perf_counter()
        purge = source_purge(source=source, via="bench")
        seconds = time.perf_counter() - started
        figures.append(
            {
                "name": f"purge: a source of {rows:,} rows",
                "value": round(seconds, 1),
                "unit": "s",
                "rows_per_s": round(rows / seconds),
                "detail": str(purge),
                "target": "≤ 60 s for 1,000,000 rows",
            }
        )
        Source.objects.filter(pk=source.pk).delete()
        path.unlink()
    return figures


def import_figure(measure, copy: float, *, target: str) -> dict:
    return {
        "name": f"import: {measure.label}",
        "value": round(measure.rate),
        "unit": "rows/s",
        "summary": measure.summary,
        "peak_rss_mb": round(measure.peak_rss_mb),
        "baseline": round(measure.rows / copy),
        "ratio": round(measure.seconds / copy, 1),
        "target": target,
    }


# --- 3: the analyses ----------------------------------------------------------------------


def subjects() -> dict | None:
    """What the analyses are asked about: a deal line of the seed whose number went quiet
    and was followed by a successor (at a small factor there may be none: then the
    busiest deal number's line), that number and the successor, the quietest deal line,
    and the last month; None when the call data has no deal line."""
    from django.db.models import Sum

    from bench.scale_calls import SUCCESSORS
    from calls.models import ContactMonth
    from lines.models import LineNumber

    deal_numbers = ContactMonth.objects.filter(number__startswith="+4477")
    successor = SUCCESSORS.format(0)
    # The number the first successor took over from: the attributed number that texted
    # most the customers it reaches.
    reached = list(
        ContactMonth.objects.filter(number=successor, contact__startswith="+4479")
        .values_list("contact", flat=True)
        .distinct()
    )
    if reached:
        deal_numbers = deal_numbers.filter(contact__in=reached)
    by_texts = deal_numbers.values("number").annotate(texts=Sum("sms")).order_by("-texts")
    if not by_texts.exists():
        return None
    number = by_texts.first()["number"]
    quiet = by_texts.order_by("texts").first()["number"]

    def line_of(e164: str):
        attribution = LineNumber.objects.filter(number__e164=e164).select_related("line")
        return attribution.order_by("-attributed_from").first().line

    return {
        "line": line_of(number),
        "number": number,
        "successor": successor if reached else quiet,
        "quiet_line": line_of(quiet),
        "month": ContactMonth.objects.order_by("-month").values_list("month", flat=True).first(),
    }


def measure_analyses(subject: dict, repeat: int) -> list[dict]:
    import datetime

    from calls import selectors
    from core.partitions import month_add

    month = subject["month"]
    month_end = month_add(month, 1) - datetime.timedelta(days=1)
    analyses: list[tuple[str, Callable[[], object], str]] = [
        (
            "number profile of a deal number",
            lambda: selectors.number_profile(number=subject["number"]),
            "≤ 200 ms",
        ),
        (
            "common contacts of a line's number and its successor",
            lambda: selectors.common_contacts(numbers=[subject["number"], subject["successor"]]),
            "≤ 300 ms",
        ),
        (
            "successor candidates for one line",
            lambda: selectors.successor_candidates(line=subject["line"]),
            "≤ 1,000 ms",
        ),
        (
            "possible new lines, one month",
            lambda: selectors.possible_new_lines(start=month, end=month_end),
            "≤ 5,000 ms",
        ),
    ]
    figures = []
    for label, run, target in analyses:
        statements = captured(run)
        times = timed(run, repeat)
        figures.append(
            {
                "name": f"analysis: {label}",
                "value": round(statistics.median(times), 1),
                "p95": round(percentile_95(times), 1),
                "unit": "ms",
                "queries": len(statements),
                "partitions": partitions_read(statements),
                "target": target,
            }
        )
    return figures


def captured(run: Callable[[], object]) -> list[str]:
    """The statements `run` sends, with their parameters in place."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        run()
    return [query["sql"] for query in context.captured_queries]


def partitions_read(statements: list[str]) -> list[str]:
    """For each statement that reads the call rows: "N of M" partitions in its plan."""
    from django.db import connection

    from calls.models import CallEvent
    from core.partitions import partitions_list

    total = len(partitions_list(CallEvent._meta.db_table))
    found = []
    with connection.cursor() as cursor:
        for sql in statements:
            if "calls_callevent" not in sql or not sql.lstrip().upper().startswith(
                ("SELECT", "WITH")
            ):
                continue
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            found.append(f"{len(set(PARTITION.findall(plan)))} of {total}")
    return found


def timed(run: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def percentile_95(times: list[float]) -> float:
    return sorted(times)[math.ceil(len(times) * 0.95) - 1]  # nearest rank


# --- 4: the line page ---------------------------------------------------------------------


def measure_line_page(subject: dict, repeat: int) -> list[dict]:
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Agency, Role, User
    from bench.pages import Page, time_page

    officer, _ = User.objects.get_or_create(
        username="bench-officer",
        defaults={
            "role": Role.INTELLIGENCE_OFFICER,
            "agency": Agency.objects.get(name="North Yorkshire Police"),
            "first_name": "Bench",
            "last_name": "Officer",
        },
    )
    client = Client()
    client.force_login(officer)
    figures = []
    for label, line in (
        ("a deal line whose number a successor took over", subject["line"]),
        ("the quietest deal line", subject["quiet_line"]),
    ):
        page = Page(
            f"line page with its Call data tab: {label}",
            "officer",
            reverse("lines:line_detail", args=[line.pk]),
            shows='id="call-data"',
        )
        times = time_page(client, page, repeat=repeat)
        figures.append(
            {
                "name": f"page: {page.label}",
                "value": round(times.p50, 1),
                "p95": round(times.p95, 1),
                "unit": "ms",
                "queries": times.queries,
                "target": "p95 ≤ 150 ms, queries the same",
            }
        )
    return figures


# --- The run --------------------------------------------------------------------------------


def report(figures: list[dict]) -> None:
    print()
    print(f"{'measurement':<66} {'value':>12} {'p95':>8} {'queries':>7}  target")
    for f in figures:
        value = f"{f['value']:,} {f['unit']}"
        print(
            f"{f['name']:<66} {value:>12} {f.get('p95', ''):>8} {f.get('queries', ''):>7}"
            f"  {f.get('target', '')}"
        )
        for key in ("baseline", "ratio", "peak_rss_mb", "summary", "partitions", "rows_per_s"):
            if key in f:
                print(f"    {key}: {f[key]}")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("import", "analyses", "pages"))
    parser.add_argument("--rows", type=int, default=1_000_000, help="the large file's rows")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--json", type=Path, help="also write the figures there")
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server: postgres://postgres@127.0.0.1:5432/postgres"
        )
    print(f"Before: {load()}", flush=True)
    url = database_ready(server_url)
    django_setup(url)
    figures: list[dict] = []
    if args.only in (None, "import"):
        with tempfile.TemporaryDirectory() as workdir:
            figures += measure_import(args.rows, Path(workdir))
    if args.only in (None, "analyses", "pages"):
        subject = subjects()
        if subject is None:
            sys.exit("The call data has no deal line: seed at factor 1.")
        if args.only in (None, "analyses"):
            figures += measure_analyses(subject, args.repeat)
        if args.only in (None, "pages"):
            figures += measure_line_page(subject, args.repeat * 3)
    report(figures)
    print(f"\nAfter: {load()}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False, default=str) + "\n")


if __name__ == "__main__":
    main()
