"""Call data at a large force's scale, for `manage.py seed_scale` (bench/scale.py).

At factor 1: 10,000,000 call rows over the 24 months to the end of last year, in 40
disclosures (sources `SCALE-CD-…`). The world they describe:

- 500 deal-line episodes: a number of a scale line, while it was attributed to the line
  (the scale seed's attributions starting in the period), sending its daily "marketing"
  text to 20–60 of the line's 100–400 customers within ten minutes, and 10–40 calls and
  texts a day with them (most from the customers);
- when the number's attribution ends within the period, half the time a successor takes
  over a day or three later: a number attributed to no line, on the same handset (IMEI)
  or a new one, reaching most of the old customers; a rival number now and then, texting
  a few of a line's customers among its own;
- ordinary subscribers (the customers among them) calling and texting each other, calls
  from withheld numbers and texts from short codes, which fill each day to its share.

Rows are written with PostgreSQL `COPY` in text form, a day at a time: at ten million
rows the shared row converter of `core.bulk` (a Python value per field) would take
longer than the rest of the seed. Then `ContactMonth` is built from the rows by the
one function that also serves the purge, `calls.contact_months.contact_months_recompute`,
a month at a time. Deterministic (a seeded generator), like the rest of the seed.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection

from calls.columns import FILE_COLUMNS
from core.partitions import month_add

MONTHS = 24
SOURCE_PREFIX = "SCALE-CD-"
SOURCE_MARKER = f"{SOURCE_PREFIX}0001"  # its presence says "call data already seeded"
# Parties, none of them a number of the scale lines (those are +4477…).
CUSTOMERS = "+4479{:08d}"
ORDINARY = "+4478{:08d}"
SUCCESSORS = "+447400{:06d}"
SHORT_CODES = ("150", "2222", "61016", "88802", "84424")
# The file's columns as the table names them.
COPY_COLUMNS = ("source_id", *FILE_COLUMNS[1:])
NULL = "\\N"
# A deal line's rows on an ordinary day: its marketing text to 20–60 customers and 10–40
# calls and texts with them.
DEAL_ROWS_A_DAY = 65


@dataclass(frozen=True)
class CallSizes:
    rows: int
    episodes: int  # deal-line numbers' spells of use
    sources: int
    customers: int  # the pool the lines' customers are drawn from
    ordinary: int  # other subscribers

    @classmethod
    def at(cls, factor: float) -> "CallSizes":
        def scaled(count: int) -> int:
            return max(1, round(count * factor))

        return cls(
            rows=scaled(10_000_000),
            episodes=scaled(500),
            sources=scaled(40),
            customers=max(500, scaled(150_000)),
            ordinary=max(500, scaled(200_000)),
        )


@dataclass
class Episode:
    """A deal number's spell of use: its days in the period, its customers and handset."""

    number: str
    first_day: int  # index of the day in the period
    last_day: int
    customers: list[str]
    imei: str
    imsi: str
    source: int
    line: int | None = None  # the scale line it is attributed to (None: a successor, a rival)
    burst_hour: int = 11


@dataclass
class SourceTally:
    events: int = 0
    first: datetime.datetime | None = None
    last: datetime.datetime | None = None
    numbers: set[str] = field(default_factory=set)


def call_data_seeded() -> bool:
    from calls.models import Source

    return Source.objects.filter(reference=SOURCE_MARKER).exists()


def seed_call_data(
    factor: float, *, end: datetime.date, recorder, progress: Callable[[str, int, int], None]
) -> CallSizes:
    """Write the call data of `factor` for the 24 months to `end` (the last day of a
    month), in the caller's transaction, and its monthly contact pairs."""
    sizes = CallSizes.at(factor)
    _CallWorld(sizes, end=end, recorder=recorder, progress=progress).run()
    return sizes


class _CallWorld:
    def __init__(self, sizes: CallSizes, *, end: datetime.date, recorder, progress) -> None:
        self.sizes, self.recorder, self.progress = sizes, recorder, progress
        self.rng = random.Random(23_000)  # noqa: S311  (synthetic data)
        self.last_month = end.replace(day=1)
        self.first_month = month_add(self.last_month, 1 - MONTHS)
        self.start = self.first_month
        self.days = (end - self.start).days + 1
        self.tallies = [SourceTally() for _ in range(sizes.sources)]

    def run(self) -> None:
        from calls.models import CallEvent, Source
        from core.partitions import partition_months_create

        episodes = self.episodes()
        sources = self.sources_create()
        partition_months_create(
            CallEvent._meta.db_table,
            [month_add(self.first_month, n) for n in range(MONTHS)],
        )
        self.rows_copy(episodes, sources)
        for source, tally in zip(sources, self.tallies, strict=True):
            Source.objects.filter(pk=source).update(
                events=tally.events,
                first_at=tally.first,
                last_at=tally.last,
                numbers=sorted(tally.numbers)[:200],
            )
        self.contact_months()

    # --- The world ----------------------------------------------------------------------

    def episodes(self) -> list[Episode]:
        """The scale lines' numbers in use during the period, their successors and rivals."""
        from lines.models import LineNumber

        end = self.start + datetime.timedelta(days=self.days - 1)
        attributions = list(
            LineNumber.objects.filter(
                number__e164__startswith="+4477",
                line__reference_key__startswith="scale-cl-",
                attributed_from__gte=self.start,
                attributed_from__lte=end - datetime.timedelta(days=30),
            )
            .order_by("pk")
            .values_list("line_id", "number__e164", "attributed_from", "attributed_to")
        )
        step = max(1, len(attributions) // self.sizes.episodes)
        chosen = attributions[::step][: self.sizes.episodes]
        rng, episodes, extra = self.rng, [], 0
        for index, (line, number, attributed_from, attributed_to) in enumerate(chosen):
            first = (attributed_from - self.start).days
            quiet = attributed_to is not None and attributed_to < end
            last = (attributed_to - self.start).days if quiet else min(first + 180, self.days - 1)
            base = self.customers_of(line)
            imei = f"3566{index:011d}"
            episode = Episode(
                number=number,
                first_day=first,
                last_day=last,
                customers=base,
                imei=imei,
                imsi=f"23415{index:010d}",
                source=index % self.sizes.sources,
                line=line,
                burst_hour=rng.randrange(9, 14),
            )
            episodes.append(episode)
            if quiet and index % 2 == 0 and last + 4 < self.days:
                # The line swapped: a new number reaching most of the old customers.
                kept = rng.sample(base, k=len(base) * rng.randrange(60, 90) // 100)
                same_handset = index % 4 == 0
                episodes.append(
                    Episode(
                        number=SUCCESSORS.format(extra),
                        first_day=last + rng.randrange(1, 4),
                        last_day=min(last + rng.randrange(60, 120), self.days - 1),
                        customers=kept + self.fresh_customers(rng.randrange(10, 40)),
                        imei=imei if same_handset else f"3567{index:011d}",
                        imsi=f"23420{extra:010d}",
                        source=episode.source,
                    )
                )
                extra += 1
            if index % 10 == 5:
                # A rival, texting a few of the line's customers among its own.
                start = rng.randrange(max(1, self.days - 90))
                episodes.append(
                    Episode(
                        number=SUCCESSORS.format(extra),
                        first_day=start,
                        last_day=min(start + rng.randrange(30, 90), self.days - 1),
                        customers=rng.sample(base, k=max(1, len(base) // 10))
                        + self.fresh_customers(rng.randrange(80, 200)),
                        imei=f"3568{index:011d}",
                        imsi=f"23420{extra:010d}",
                        source=episode.source,
                        burst_hour=rng.randrange(9, 14),
                    )
                )
                extra += 1
        return episodes

    def customers_of(self, line: int) -> list[str]:
        """A line's customer base: the same for each of its numbers."""
        rng = random.Random(line)  # noqa: S311  (synthetic data)
        count = min(rng.randrange(100, 400), self.sizes.customers)
        return [CUSTOMERS.format(n) for n in rng.sample(range(self.sizes.customers), k=count)]

    def fresh_customers(self, count: int) -> list[str]:
        picks = self.rng.sample(range(self.sizes.customers), k=min(count, self.sizes.customers))
        return [CUSTOMERS.format(n) for n in picks]

    def sources_create(self) -> list[int]:
        from calls.models import Source

        first = self.start
        last = self.start + datetime.timedelta(days=self.days - 1)
        sources = Source.objects.bulk_create(
            Source(
                reference=f"{SOURCE_PREFIX}{n + 1:04d}",
                authorisation=f"SCALE-CDA-{n + 1:04d}",
                description="Billing for deal-line numbers and their customers (synthetic).",
                covers_from=first,
                covers_to=last,
                retain_until=last + datetime.timedelta(days=365 * 6),
                recorded_by=self.recorder,
            )
            for n in range(self.sizes.sources)
        )
        return [source.pk for source in sources]

    # --- The rows -----------------------------------------------------------------------

    def rows_copy(self, episodes: list[Episode], sources: list[int]) -> None:
        from calls.models import CallEvent

        by_day: list[list[Episode]] = [[] for _ in range(self.days)]
        for episode in episodes:
            for day in range(episode.first_day, episode.last_day + 1):
                by_day[day].append(episode)
        per_day, extra_rows = divmod(self.sizes.rows, self.days)
        table = CallEvent._meta.db_table
        done = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                sql = f"COPY {table} ({', '.join(COPY_COLUMNS)}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for day in range(self.days):
                        rows = self.day_rows(
                            day, by_day[day], per_day + (day < extra_rows), sources
                        )
                        copy.write("".join(_copy_text(row) for row in rows))
                        done += len(rows)
                        if day % 30 == 29 or day == self.days - 1:
                            self.progress("call events", done, self.sizes.rows)
                return
            # SQLite (the tests' small factors): the same rows, inserted.
            placeholders = ", ".join(["%s"] * len(COPY_COLUMNS))
            names = ", ".join(COPY_COLUMNS)
            sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608
            adapt = connection.ops.adapt_datetimefield_value
            for day in range(self.days):
                rows = self.day_rows(day, by_day[day], per_day + (day < extra_rows), sources)
                cursor.executemany(sql, [(*row[:3], adapt(row[3]), *row[4:]) for row in rows])
                done += len(rows)
            self.progress("call events", done, self.sizes.rows)

    def day_rows(
        self, day: int, active: list[Episode], budget: int, sources: list[int]
    ) -> list[tuple]:
        """The day's rows (COPY_COLUMNS): the deal lines' first, the rest ordinary."""
        rng = self.rng
        midnight = datetime.datetime.combine(
            self.start + datetime.timedelta(days=day), datetime.time(), tzinfo=datetime.UTC
        )
        seen: set[tuple[str, str, int, str]] = set()
        lines: list[tuple] = []

        def add(source, a, b, second, kind, duration, imei, imsi, cell) -> None:
            while (a, b, second, kind) in seen:
                second += 1
            seen.add((a, b, second, kind))
            moment = midnight + datetime.timedelta(seconds=second)
            lines.append((source, a, b, moment, kind, duration, imei, imsi, cell))

        # A busy day (many lines at once) thins every line's traffic rather than
        # silencing some: the deal lines keep at most four fifths of the day's rows.
        load = min(1.0, budget * 0.8 / max(1, len(active) * DEAL_ROWS_A_DAY))
        for episode in active:
            self.tallies[episode.source].numbers.add(episode.number)
            cell = f"234-15-{600 + episode.source}-{rng.randrange(1000, 9999)}"
            # The morning's marketing text: one message to many customers in ten minutes.
            second = episode.burst_hour * 3600 + rng.randrange(3600)
            burst = max(20, round(rng.randrange(20, 61) * load))
            recipients = rng.sample(episode.customers, k=min(len(episode.customers), burst))
            for offset, customer in enumerate(recipients):
                at = second + offset * 590 // len(recipients)
                add(episode.source, episode.number, customer, at, "sms", None, episode.imei,
                    episode.imsi, cell)  # fmt: skip
            # The day's trade: customers asking, the line answering.
            for _ in range(round(rng.randrange(10, 41) * load)):
                customer = rng.choice(episode.customers)
                at = (8 * 3600 + rng.randrange(18 * 3600)) % 86_400
                kind = "call" if rng.random() < 0.4 else "sms"
                duration = rng.randrange(8, 120) if kind == "call" else None
                if rng.random() < 0.75:
                    add(episode.source, customer, episode.number, at, kind, duration,
                        None, None, None)  # fmt: skip
                else:
                    add(episode.source, episode.number, customer, at, kind, duration,
                        episode.imei, episode.imsi, cell)  # fmt: skip
        del lines[budget:]
        while len(lines) < budget:
            self.ordinary_event(add, rng)
        for source, _a, _b, moment, *_rest in lines:
            tally = self.tallies[source]
            tally.events += 1
            if tally.first is None or moment < tally.first:
                tally.first = moment
            if tally.last is None or moment > tally.last:
                tally.last = moment
        return [(sources[source], *rest) for source, *rest in lines]

    def ordinary_event(self, add, rng: random.Random) -> None:
        """One event of everyday life: between subscribers (customers among them), from a
        withheld number, from or to a short code."""
        sizes = self.sizes
        source = rng.randrange(sizes.sources)
        at = rng.randrange(86_400)
        a_index = rng.randrange(sizes.ordinary + sizes.customers)
        a = _party(a_index, sizes.ordinary)
        roll = rng.random()
        if roll < 0.05:
            add(source, "withheld", a, at, "call", rng.randrange(0, 300), None, None, None)
            return
        if roll < 0.08:
            add(source, rng.choice(SHORT_CODES), a, at, "sms", None, None, None, None)
            return
        b = _party(rng.randrange(sizes.ordinary + sizes.customers), sizes.ordinary)
        if roll < 0.10:
            b = rng.choice(SHORT_CODES)
        kind = "call" if roll < 0.45 else ("mms" if roll > 0.98 else "sms")
        duration = rng.randrange(5, 900) if kind == "call" else None
        add(source, a, b, at, kind, duration, f"3548{a_index:011d}", f"23410{a_index:010d}",
            f"234-10-{a_index % 500}-{a_index % 7919}")  # fmt: skip

    def contact_months(self) -> None:
        """The monthly contact pairs from the rows, a month at a time (each a bounded
        aggregate rather than one over ten million rows)."""
        from calls.contact_months import contact_months_recompute

        for n in range(MONTHS):
            month = month_add(self.first_month, n)
            contact_months_recompute(first_month=month, last_month=month)
            self.progress("contact months", n + 1, MONTHS)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE calls_callevent")
                cursor.execute("ANALYZE calls_contactmonth")


def _party(index: int, ordinary: int) -> str:
    return ORDINARY.format(index) if index < ordinary else CUSTOMERS.format(index - ordinary)


def _copy_text(row: tuple) -> str:
    """A row in COPY's text format (no value here holds a tab, newline or backslash)."""
    source, a, b, moment, kind, duration, imei, imsi, cell = row
    return (
        f"{source}\t{a}\t{b}\t{moment.isoformat()}\t{kind}\t"
        f"{NULL if duration is None else duration}\t{imei or NULL}\t{imsi or NULL}\t"
        f"{cell or NULL}\n"
    )
