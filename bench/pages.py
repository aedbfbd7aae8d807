"""Server time and queries of the main pages, at two sizes of data, on PostgreSQL.

Not a test (timings vary by machine): a script whose figures go in bench/README.md.
From the project's folder:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.pages

For each size (`--lines 2000 20000`, audit events `--events 300000 2000000`) it creates a
scratch database on the server of DATABASE_URL (dropped at the end), fills it in bulk
(lines into the command areas, four attributions a line, a busiest line of 200 numbers,
audit events of 50 users over two years), then requests each page `--repeat` times
through the whole URL stack as a signed-in user (Django's test client, DEBUG off) and
prints p50 and p95 server time and the number of queries. The CSV export of every line
is timed once, streamed to the end. Targets (issue 7): each page <= 50 ms p50 and
<= 100 ms p95 at the larger size, equal query counts at both sizes, the export in
<= 3 s, the audit log filtered by user, action or date in <= 100 ms.
"""

import argparse
import datetime
import math
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field

from bench.scratch import admin_command, scratch_database_url

BUSIEST_NUMBERS = 200


def fill(lines: int, events: int) -> dict:
    """The data set; returns what the pages are asked for."""
    from django.utils import timezone

    from accounts.models import Agency, Role, User
    from audit.models import AuditEvent
    from audit.services import EVENT_COLUMNS
    from core.bulk import insert_rows
    from core.references import reference_key
    from lines.models import Line, LineNumber, PhoneNumber
    from lines.phone import national_format
    from lines.services.counts import numbers_counts_refresh
    from reference.models import CommandArea, Force

    rng = random.Random(lines)  # noqa: S311  (benchmark data)
    forces = list(Force.objects.values_list("pk", flat=True)[:10])
    areas = list(CommandArea.objects.values_list("pk", flat=True))
    police = Agency.objects.get(name="North Yorkshire Police")
    officer = User.objects.create_user(
        "officer",
        password="x" * 12,
        role=Role.INTELLIGENCE_OFFICER,
        agency=police,
        first_name="Olive",
        last_name="Officer",
    )
    manager = User.objects.create_user(
        "boss",
        password="x" * 12,
        role=Role.MANAGER,
        agency=police,
        first_name="Bea",
        last_name="Boss",
    )
    others = [
        User.objects.create_user(
            f"user{n:02d}",
            password="x" * 12,
            role=Role.INTELLIGENCE_OFFICER,
            agency=police,
            first_name=f"Given{n}",
            last_name=f"Family{n}",
        )
        for n in range(50)
    ]
    start = datetime.date(2016, 1, 1)
    rows = []
    for n in range(lines):
        identified = start + datetime.timedelta(days=rng.randrange(3650))
        closed = identified + datetime.timedelta(days=rng.randrange(30, 400)) if n % 3 else None
        reference = f"NYP-CL-{n:06d}"
        rows.append(
            (
                reference,
                reference_key(reference),
                f"Brand {n}",
                rng.choice(forces),
                identified,
                closed,
                "type_1" if closed else "",
                rng.choice(["", "low", "medium", "high"]),
            )
        )
    fields = (
        "reference",
        "reference_key",
        "name",
        "origin_force",
        "first_identified",
        "closed_on",
        "closure_type",
        "risk_level",
    )
    line_ids = insert_rows(Line, fields, rows, returning_ids=True)
    through = Line.command_areas.through
    insert_rows(
        through,
        ("line", "commandarea"),
        [(pk, area) for pk in line_ids for area in rng.sample(areas, 1 + pk % 2)],
    )
    numbers_needed = lines * 3 + BUSIEST_NUMBERS
    e164s = [f"+447700{n:06d}" for n in range(numbers_needed)]
    number_ids = insert_rows(
        PhoneNumber,
        ("e164", "national"),
        [(e, national_format(e)) for e in e164s],
        returning_ids=True,
    )
    attributions = []
    for index, pk in enumerate(line_ids):
        for use in range(4):
            number = number_ids[(index * 3 + use) % (lines * 3)]
            day = start + datetime.timedelta(days=index % 3000 + use * 200)
            attributions.append((pk, number, day, day + datetime.timedelta(days=150)))
    busiest = line_ids[0]
    for use in range(BUSIEST_NUMBERS):
        day = datetime.date(2000, 1, 1) + datetime.timedelta(days=use * 3)
        attributions.append(
            (busiest, number_ids[lines * 3 + use], day, day + datetime.timedelta(days=1))
        )
    insert_rows(LineNumber, ("line", "number", "attributed_from", "attributed_to"), attributions)
    numbers_counts_refresh(line_ids=line_ids)  # as the services keep it
    now = timezone.now()
    people = [officer, manager, *others]
    block = []
    actions = ["view", "search", "update", "create", "export", "login"]
    for n in range(events):
        user = people[n % len(people)]
        block.append(
            (
                now - datetime.timedelta(minutes=n % (60 * 24 * 730)),
                rng.choice(actions),
                user.pk,
                user.username,
                "North Yorkshire Police",
                "lines.line",
                str(line_ids[n % lines]),
                f"NYP-CL-{n % lines:06d} Brand",
                "10.0.0.1",
                "",
                "/lines/",
                {},
            )
        )
        if len(block) == 50_000:
            insert_rows(AuditEvent, EVENT_COLUMNS, block)
            block = []
    insert_rows(AuditEvent, EVENT_COLUMNS, block)
    from django.db import connection

    # As autovacuum leaves a table in production: statistics, and the visibility map
    # that lets a deep page's keys be read from the index alone.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {
        "officer": officer,
        "manager": manager,
        "busiest": busiest,
        "area": areas[0],
        "number": national_format(e164s[5]),
        "someone": others[7],
    }


@dataclass(frozen=True)
class Page:
    """A page as a user reaches it. A search or filter submitted from its form is `posted`:
    the form is posted, answered with a 303 to the page holding the search (personal terms
    held in the session, records/held_search.py), and that page is loaded; the two
    requests are measured together. Anything else is loaded from a link (GET, a 200)."""

    label: str
    role: str
    url: str
    params: dict = field(default_factory=dict)
    posted: bool = False
    shows: str = ""  # text the page shown must hold (else it is not the page meant)


def pages(data: dict) -> list[Page]:
    from django.urls import reverse

    lines = reverse("lines:line_list")
    audit = reverse("audit:event_list")
    numbers = reverse("lines:number_search")
    return [
        Page("home: intelligence officer", "officer", "/", shows='data-testid="home-reviews-due"'),
        # The quarter's figures counted by the first request, then kept for ten minutes.
        Page("home: manager", "manager", "/", shows='data-testid="home-quarter-figures"'),
        Page("lines list", "officer", lines),
        Page(
            "lines list: area + status + dates",
            "officer",
            lines,
            {
                "command_areas": data["area"],
                "status": "closed",
                "identified_from-day": "1",
                "identified_from-month": "1",
                "identified_from-year": "2018",
                "identified_to-day": "31",
                "identified_to-month": "12",
                "identified_to-year": "2023",
            },
            posted=True,
        ),
        Page("lines list: sorted by numbers", "officer", lines, {"sort": "-numbers"}),
        Page("lines list: last page", "officer", lines, {"page": "9999"}),
        Page(
            "line page, 200 numbers",
            "officer",
            reverse("lines:line_detail", args=[data["busiest"]]),
        ),
        Page(
            "number search: known",
            "officer",
            numbers,
            {"number": data["number"]},
            posted=True,
            shows='data-testid="number-known"',
        ),
        Page(
            "number search: not known",
            "officer",
            numbers,
            {"number": "07958 123456"},
            posted=True,
            shows='data-testid="number-not-known"',
        ),
        Page(
            "number search: 6 digits",
            "officer",
            numbers,
            {"number": "700000"},
            posted=True,
            shows='data-testid="number-part"',
        ),
        Page("audit log", "manager", audit),
        Page(
            "audit log: by user",
            "manager",
            audit,
            {"username": data["someone"].username},
            posted=True,
        ),
        Page("audit log: by action", "manager", audit, {"action": "export"}, posted=True),
        Page(
            "audit log: by date",
            "manager",
            audit,
            date_range(datetime.date.today() - datetime.timedelta(days=30)),
            posted=True,
        ),
    ]


def date_range(day: datetime.date) -> dict:
    """The audit log's date filter set to one day (events cover the last two years)."""
    fields = {}
    for name in ("occurred_from", "occurred_to"):
        fields |= {
            f"{name}-day": str(day.day),
            f"{name}-month": str(day.month),
            f"{name}-year": str(day.year),
        }
    return fields


class QueryCounter(list):
    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


@dataclass(frozen=True)
class PageTimes:
    p50: float  # ms, the whole flow: for a posted page, the POST and the page it leads to
    p95: float
    queries: int
    post_p50: float | None = None  # a posted page's POST alone
    post_queries: int | None = None


def visit(client, page: Page, *, check: bool = False) -> tuple[float, float | None]:
    """Reach `page` as a user does, asserting each answer is the one it should be (with
    `check`, that the page shown is the one meant too); the milliseconds the whole took,
    and the POST alone's for a posted page."""
    started = time.perf_counter()
    post = None
    url, params = page.url, page.params
    if page.posted:
        response = client.post(url, params)
        post = (time.perf_counter() - started) * 1000
        # A search is sent on to the page holding it, which the browser loads (GET).
        assert response.status_code in (302, 303), (page.label, "POST", response.status_code)
        url, params = response.url, {}
        if check:
            held_in_session(page, url)
    response = client.get(url, params)
    took = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (page.label, url, response.status_code)
    if check:
        content = response.content
        assert b'class="govuk-error-summary"' not in content, (page.label, "a form error")
        assert page.shows.encode() in content, (page.label, f"without {page.shows}")
    return took, post


def held_in_session(page: Page, url: str) -> None:
    """The URL a search is sent on to holds a reference to each personal term, never the
    term itself (records/held_search.py)."""
    from urllib.parse import parse_qs, urlsplit

    from records.held_search import is_personal, is_reference

    query = parse_qs(urlsplit(url).query)
    for name, value in page.params.items():
        if is_personal(name):
            assert [is_reference(held) for held in query.get(name, [])] == [True], (
                page.label,
                url,
            )
            assert str(value) not in url, (page.label, url)


def time_page(client, page: Page, *, repeat: int) -> PageTimes:
    """How long `client` waits for `page` (server time, through the whole URL stack) over
    `repeat` visits, and how many queries one costs."""
    from django.db import connection

    visit(client, page, check=True)
    # Counted by a wrapper: the test client's request_started signal empties the
    # connection's own log halfway through a request.
    captured = QueryCounter()
    with connection.execute_wrapper(captured):
        visit(client, page)
    post_queries = None
    if page.posted:
        post_captured = QueryCounter()
        with connection.execute_wrapper(post_captured):
            client.post(page.url, page.params)
        post_queries = len(post_captured)
    times, posts = [], []
    for _ in range(repeat):
        took, post = visit(client, page)
        times.append(took)
        posts.append(post)
    times.sort()
    return PageTimes(
        p50=statistics.median(times),
        p95=times[math.ceil(len(times) * 0.95) - 1],  # nearest rank: at most the slowest
        queries=len(captured),
        post_p50=statistics.median(posts) if page.posted else None,
        post_queries=post_queries,
    )


def measure(data: dict, repeat: int) -> list[dict]:
    from django.test import Client

    clients = {}
    for role in ("officer", "manager"):
        client = Client()
        client.force_login(data[role])
        clients[role] = client
    results = []
    for page in pages(data):
        timed = time_page(clients[page.role], page, repeat=repeat)
        label = f"{page.label} (POST + page)" if page.posted else page.label
        results.append(
            {"page": label, "p50": timed.p50, "p95": timed.p95, "queries": timed.queries}
        )
    from django.urls import reverse

    started = time.perf_counter()
    response = clients["officer"].get(reverse("lines:line_export"))
    assert response.status_code == 200, ("CSV export", response.status_code)
    size = sum(len(chunk) for chunk in response.streaming_content)
    results.append(
        {
            "page": f"CSV export of every line ({size / 1e6:.1f} MB)",
            "p50": (time.perf_counter() - started) * 1000,
            "p95": None,
            "queries": None,
        }
    )
    return results


def run_size(server_url: str, lines: int, events: int, repeat: int) -> list[dict]:
    name = f"countylines_pages_{os.getpid()}_{lines}"
    admin_command(server_url, f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = scratch_database_url(server_url, name)
    import django
    from django.conf import settings

    if not settings.configured or not hasattr(run_size, "setup"):
        django.setup()
        run_size.setup = True
    from django.db import connections

    connections["default"].settings_dict["NAME"] = name
    connections.close_all()
    try:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        data = fill(lines, events)
        print(
            f"{lines:,} lines, {events:,} audit events: "
            f"filled in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        return measure(data, repeat)
    finally:
        connections.close_all()
        admin_command(server_url, f'DROP DATABASE IF EXISTS "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, nargs=2, default=[2_000, 20_000])
    parser.add_argument("--events", type=int, nargs=2, default=[300_000, 2_000_000])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["ENVIRONMENT_BANNER"] = ""
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    sizes = list(zip(args.lines, args.events, strict=True))
    results = [run_size(server_url, lines, events, args.repeat) for lines, events in sizes]
    small, large = results
    print(
        f"\n{'page':<58} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}   "
        f"at {sizes[0][0]:,} lines: p50, queries"
    )
    for a, b in zip(small, large, strict=True):
        p95 = f"{b['p95']:.0f}" if b["p95"] is not None else ""
        queries = b["queries"] if b["queries"] is not None else ""
        same = "" if a["queries"] == b["queries"] else "  QUERIES DIFFER"
        print(
            f"{b['page']:<58} {b['p50']:>8.0f} {p95:>8} {queries!s:>8}   "
            f"{a['p50']:.0f}, {a['queries']}{same}"
        )


if __name__ == "__main__":
    main()
