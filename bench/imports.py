"""Import speed and memory on PostgreSQL: `import_csv` against `COPY` of the same file.

Not a test (timings vary by machine): a script whose figures go in bench/README.md
and in reviews of changes to the import runner or a kind's batch service. `make bench`
runs it too. From the project's folder:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.imports

DATABASE_URL names a PostgreSQL server and a role that may create databases; the
benchmark creates a scratch database of its own there (dropped at the end), migrates
it, writes its own CSV files and imports them, each import in a child process so that
its peak resident memory (RSS) is that import's alone:

1. `lines`, 20,000 rows, into an empty database (target 15,000 rows/s);
2. `line_numbers`, 80,000 rows using 60,000 distinct numbers (target 10,000 rows/s);
3. the same two files again, every row unchanged (target 30,000 rows/s);
4. `line_numbers` files of 20,000 and 200,000 new rows: peak RSS of the larger within
   100 MB of the smaller (memory does not grow with the file);
5. `persons`, then `arrests`, `charges`, `sentences` and `seizures`, 20,000 rows each,
   naming those people and lines (targets as for lines: 15,000 rows/s first, 30,000
   unchanged; `persons` and `arrests` are imported again unchanged);
6. `police-uk`: a street-level crime file of 200,000 rows with police.uk's mix (one row
   in forty a drug offence, the rest skipped), and one of 100,000 rows that are all
   drug offences, first and again unchanged (target 25,000 rows/s, memory flat);
7. watches: `line_numbers` files of 80,000 new attributions, one while nobody watches
   anything, one with 1,000 of its numbers watched (by 50 officers): the statements a
   block costs (the same plus at most one, the notifications' insert) and the speed.

Each file is also loaded by PostgreSQL `COPY` into a bare table of text columns, the
floor any import of it can reach; the ratio says how far above the floor the import is.
`--lines`, `--numbers`, `--records`, `--police-uk-rows` and `--memory-rows` change the sizes
(smaller for a quick look); `--only police-uk` runs the steps of that kind alone
(`--only watches`: the lines, then step 7). `--database` names the scratch database.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.scratch import admin_command, scratch_database_url

ROOT = Path(__file__).resolve().parent.parent

FORCES = ["Merseyside Police", "GMP", "london", "West Yorkshire", "South Yorkshire Police"]
AREAS = ["York", "Selby;York", "Harrogate", "Scarborough;Ryedale", "craven", "Hambleton"]
LINES_HEADER = "reference,name,origin_force,command_areas,first_identified,closed_on"
NUMBERS_HEADER = "line_reference,number,attributed_from,attributed_to"
MEMORY_GROWTH_LIMIT_MB = 100
# The other kinds (interfaces.md §2) and how many columns each file has.
RECORD_HEADERS = {
    "persons": "reference,surname,forenames,date_of_birth,gender",
    "arrests": "reference,person_reference,arrested_on,command_area,line_reference",
    "charges": "reference,person_reference,charged_on,offence,line_reference",
    "sentences": "reference,person_reference,sentenced_on,custody_months,line_reference",
    "seizures": "reference,seized_on,cash_gbp,drug,grams,line_reference",
}
DRUGS = ["Cocaine", "crack cocaine", "Heroin", "Cannabis", "MDMA"]
POLICE_UK_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context"
)
CRIME_TYPES = ["Violence and sexual offences", "Anti-social behaviour", "Criminal damage and arson"]


# --- The files ------------------------------------------------------------------------


def reference(n: int) -> str:
    return f"CL-{n:06d}"


def day(n: int) -> str:
    return f"{2015 + n % 10}-{(n % 12) + 1:02d}-{(n % 28) + 1:02d}"


def write_lines(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(LINES_HEADER + "\n")
        for n in range(rows):
            closed = f"{2026}-{(n % 12) + 1:02d}-01" if n % 3 == 0 else ""
            out.write(
                f"{reference(n)},Brand {n},{FORCES[n % 5]},{AREAS[n % 6]},{day(n)},{closed}\n"
            )


def mobile(n: int) -> str:
    """A valid UK mobile number, spelled one of the ways officers type them."""
    digits = f"{7710000000 + n * 7919 % 89999999:010d}"  # 07710 to 07799: all valid
    spelling = n % 4
    if spelling == 0:
        return f"0{digits[:4]} {digits[4:]}"
    if spelling == 1:
        return f"+44 {digits[:4]} {digits[4:]}"
    if spelling == 2:
        return f"0{digits}"
    return f"0044{digits}"


def write_numbers(path: Path, rows: int, *, lines: int, distinct: int, offset: int = 0) -> None:
    """`rows` attributions of `distinct` numbers to `lines` lines, none overlapping.

    Row n attributes number n % distinct to line n % lines; a number used twice
    serves different lines (numbers pass from one line to the next), or the same
    line in a later year. `offset` starts the numbers elsewhere (a file of new rows).
    """
    with path.open("w", encoding="utf-8") as out:
        out.write(NUMBERS_HEADER + "\n")
        for n in range(rows):
            number = mobile(offset + n % distinct)
            use = n // distinct  # 0 for the first use of the number, 1 for the second...
            year = 2016 + use % 10
            start = f"{year}-{(n % 12) + 1:02d}-{(n % 27) + 1:02d}"
            # Open-ended only for the number's last use, so that no two uses overlap.
            end = f"{year}-12-31" if n % 2 or n + distinct < rows else ""
            out.write(f"{reference(n % lines)},{number},{start},{end}\n")


def record_row(kind: str, n: int, *, lines: int) -> str:
    person, line = f"P-{n:06d}", reference(n % lines)
    if kind == "persons":
        return f"{person},Surname{n % 997},Forename{n % 89},{1970 + n % 35}-{n % 12 + 1:02d}-15,"
    if kind == "arrests":
        return f"AR-{n:06d},{person},{day(n)},{AREAS[n % 6].split(';')[0]},{line}"
    if kind == "charges":
        return f"CH-{n:06d},{person},{day(n)},Possession with intent to supply,{line}"
    if kind == "sentences":
        return f"SE-{n:06d},{person},{day(n)},{n % 120},{line}"
    cash = f"{n % 5000}.{n % 100:02d}" if n % 3 else ""
    drug = "" if n % 3 == 1 else DRUGS[n % 5]
    grams = f"{n % 400 + 1}.5" if drug else ""
    return f"SZ-{n:06d},{day(n)},{cash},{drug},{grams},{line}"


def write_records(path: Path, kind: str, rows: int, *, lines: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(RECORD_HEADERS[kind] + "\n")
        for n in range(rows):
            out.write(record_row(kind, n, lines=lines) + "\n")


def write_police_uk(path: Path, rows: int, *, drugs_every: int, offset: int = 0) -> None:
    """A street-level crime file: every `drugs_every`th row a drug offence; Crime IDs
    from `offset` on."""
    with path.open("w", encoding="utf-8") as out:
        out.write(POLICE_UK_HEADER + "\n")
        for n in range(rows):
            crime = "Drugs" if n % drugs_every == 0 else CRIME_TYPES[n % 3]
            crime_id = f"{offset + n:064x}" if crime != "Anti-social behaviour" else ""
            month = f"{2019 + n % 3}-{n % 12 + 1:02d}"
            out.write(
                f"{crime_id},{month},North Yorkshire Police,North Yorkshire Police,"
                f"-1.{n % 999999:06d},54.{n % 999983:06d},On or near Street {n % 5000},"
                f"E0102{n % 10000:04d},York {n % 300:03d}A,{crime},Under investigation,\n"
            )


# --- Running an import in a child process -------------------------------------------------


@dataclass
class Measure:
    label: str
    rows: int
    seconds: float
    summary: str
    peak_rss_mb: float
    target: float | None = None
    copy_seconds: float | None = None
    statements: int | None = None
    blocks: int | None = None
    cpu_seconds: float | None = None

    @property
    def rate(self) -> float:
        return self.rows / self.seconds

    @property
    def ratio(self) -> float | None:
        return self.seconds / self.copy_seconds if self.copy_seconds else None


def child(kind: str, path: str, *, count: bool = False) -> None:
    """Runs one import (in a fresh process) and prints its figures as JSON; with `count`,
    the statements it issued too (Django's record of them: a little slower)."""
    import contextlib

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from imports.kinds import get_kind
    from imports.runner import import_csv

    captured = CaptureQueriesContext(connection) if count else contextlib.nullcontext()
    with open(path, "rb") as source, captured:
        started, cpu_started = time.perf_counter(), time.process_time()
        result = import_csv(kind=kind, source=source, source_name=Path(path).name)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
    if not result.ok:
        sys.exit("\n".join(result.error_lines(path)[:10]))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures = {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "summary": result.summary,
        "peak_kb": peak_kb,
    }
    if isinstance(captured, CaptureQueriesContext):
        figures["statements"] = len(captured)
        figures["block_size"] = get_kind(kind).block_size
    print(json.dumps(figures))


def run_import(
    label: str, kind: str, path: Path, rows: int, target: float | None, *, count: bool = False
) -> Measure:
    output = subprocess.run(  # noqa: S603  (our own interpreter and script)
        [
            sys.executable,
            "-m",
            "bench.imports",
            "child-counted" if count else "child",
            kind,
            str(path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=os.environ,
    )
    if output.returncode != 0:
        sys.exit(f"{label} failed:\n{output.stderr}")
    figures = json.loads(output.stdout.strip().splitlines()[-1])
    return Measure(
        label=label,
        rows=rows,
        seconds=figures["seconds"],
        summary=figures["summary"],
        peak_rss_mb=figures["peak_kb"] / 1024,
        target=target,
        statements=figures.get("statements"),
        cpu_seconds=figures.get("cpu_seconds"),
        blocks=-(-rows // figures["block_size"]) if "block_size" in figures else None,
    )


def copy_seconds(path: Path, columns: int) -> float:
    """`COPY` of the file into a bare table of text columns: the floor for this file."""
    from django.db import connection

    names = ", ".join(f"c{n} text" for n in range(columns))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute(f"CREATE UNLOGGED TABLE bench_copy ({names})")
        started = time.perf_counter()
        with (
            path.open("rb") as source,
            cursor.cursor.copy("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
        ):
            while chunk := source.read(1 << 20):
                copy.write(chunk)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_copy")
    return elapsed


def report(measures: list[Measure]) -> None:
    print()
    print(
        f"{'step':<44} {'rows':>8} {'s':>7} {'rows/s':>8} {'target':>7} {'RSS MB':>7}"
        f" {'COPY s':>7} {'ratio':>6}"
    )
    for m in measures:
        if m.statements is not None and m.blocks:
            print(
                f"  ({m.label}: {m.statements} statements in {m.blocks} blocks, "
                f"{m.statements / m.blocks:.2f} a block)"
            )
        elif m.cpu_seconds is not None and m.label.startswith("line_numbers, "):
            print(f"  ({m.label}: import process CPU {m.cpu_seconds:.2f} s)")
    for m in measures:
        target = f"{m.target:,.0f}" if m.target else ""
        copy = f"{m.copy_seconds:.2f}" if m.copy_seconds else ""
        ratio = f"{m.ratio:.0f}x" if m.ratio else ""
        met = "" if not m.target else (" ok" if m.rate >= m.target else " MISSED")
        print(
            f"{m.label:<44} {m.rows:>8,} {m.seconds:>7.2f} {m.rate:>8,.0f} {target:>7}"
            f" {m.peak_rss_mb:>7.0f} {copy:>7} {ratio:>6}{met}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--numbers", type=int, default=80_000)
    parser.add_argument("--distinct-numbers", type=int, default=60_000)
    parser.add_argument("--records", type=int, default=20_000, help="rows of each other kind")
    parser.add_argument("--memory-rows", type=int, nargs=2, default=[20_000, 200_000])
    parser.add_argument("--police-uk-rows", type=int, default=100_000)
    parser.add_argument("--only", help="run the steps of this kind alone (police-uk, watches)")
    parser.add_argument("--watched-numbers", type=int, default=1_000)
    parser.add_argument(
        "--watch-rounds", type=int, default=1, help="step 7's pair of imports, alternated"
    )
    parser.add_argument("--database", help="the scratch database's name")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres"
        )
    name = args.database or f"countylines_bench_{os.getpid()}"
    admin_command(server_url, f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = scratch_database_url(server_url, name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"  # DEBUG keeps every query in memory
    try:
        measures = run(args)
    finally:
        from django.db import connections

        connections.close_all()
        admin_command(server_url, f'DROP DATABASE IF EXISTS "{name}"')
    report(measures)
    memory = [m for m in measures if m.label.startswith("memory")]
    if memory:
        small, large = memory
        growth = large.peak_rss_mb - small.peak_rss_mb
        verdict = "ok" if growth <= MEMORY_GROWTH_LIMIT_MB else "MISSED"
        print(
            f"\npeak RSS growth from {small.rows:,} to {large.rows:,} rows: {growth:.0f} MB "
            f"(limit {MEMORY_GROWTH_LIMIT_MB} MB) {verdict}"
        )
    if args.json:
        args.json.write_text(
            json.dumps([m.__dict__ | {"rate": m.rate} for m in measures], indent=2)
        )


def run(args) -> list[Measure]:
    """Migrates the scratch database, writes the files (removed at the end) and imports
    them."""
    with tempfile.TemporaryDirectory(prefix="import-bench-") as folder:
        return run_in(args, Path(folder))


def run_in(args, workdir: Path) -> list[Measure]:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    lines_path = workdir / "lines.csv"
    numbers_path = workdir / "numbers.csv"
    write_lines(lines_path, args.lines)
    write_numbers(numbers_path, args.numbers, lines=args.lines, distinct=args.distinct_numbers)
    small_rows, large_rows = args.memory_rows
    small_path, large_path = workdir / "numbers-small.csv", workdir / "numbers-large.csv"
    # New numbers (an offset past the others), so that every row of both files is created.
    write_numbers(small_path, small_rows, lines=args.lines, distinct=small_rows, offset=10**7)
    write_numbers(large_path, large_rows, lines=args.lines, distinct=large_rows, offset=2 * 10**7)
    record_paths = {}
    for kind in RECORD_HEADERS:
        record_paths[kind] = workdir / f"{kind}.csv"
        write_records(record_paths[kind], kind, args.records, lines=args.lines)
    print(f"files in {workdir}; database {os.environ['DATABASE_URL'].rsplit('/', 1)[1]}")

    steps = [
        ("lines, first import", "lines", lines_path, args.lines, 15_000, 6),
        ("line_numbers, first import", "line_numbers", numbers_path, args.numbers, 10_000, 4),
        ("lines, same file again (unchanged)", "lines", lines_path, args.lines, 30_000, 6),
        (
            "line_numbers, same file again (unchanged)",
            "line_numbers",
            numbers_path,
            args.numbers,
            30_000,
            4,
        ),
        (
            f"memory: line_numbers {small_rows:,} new rows",
            "line_numbers",
            small_path,
            small_rows,
            None,
            4,
        ),
        (
            f"memory: line_numbers {large_rows:,} new rows",
            "line_numbers",
            large_path,
            large_rows,
            None,
            4,
        ),
    ]
    columns_of = {kind: header.count(",") + 1 for kind, header in RECORD_HEADERS.items()}
    steps += [
        (f"{kind}, first import", kind, record_paths[kind], args.records, 15_000, columns_of[kind])
        for kind in RECORD_HEADERS
    ]
    steps += [
        (
            f"{kind}, same file again (unchanged)",
            kind,
            record_paths[kind],
            args.records,
            30_000,
            columns_of[kind],
        )
        for kind in ("persons", "arrests")
    ]
    mixed_path, drugs_path = workdir / "police-uk-mixed.csv", workdir / "police-uk-drugs.csv"
    write_police_uk(mixed_path, 2 * args.police_uk_rows, drugs_every=40)
    write_police_uk(drugs_path, args.police_uk_rows, drugs_every=1, offset=10**9)
    rows = args.police_uk_rows
    steps += [
        ("police-uk, police.uk's mix, first import", "police-uk", mixed_path, 2 * rows, 25_000, 12),
        ("police-uk, all drug offences, first import", "police-uk", drugs_path, rows, 25_000, 12),
        ("police-uk, all drug offences, unchanged", "police-uk", drugs_path, rows, 25_000, 12),
    ]
    if args.only == "watches":
        steps = steps[:1]
    elif args.only:
        steps = [step for step in steps if step[1] == args.only]
    measures = []
    for label, kind, path, rows, target, columns in steps:
        measure = run_import(label, kind, path, rows, target)
        measure.copy_seconds = copy_seconds(path, columns)
        print(f"{label}: {measure.rate:,.0f} rows/s, {measure.summary}", flush=True)
        measures.append(measure)
    if not args.only or args.only == "watches":
        measures += run_watches(args, workdir)
    return measures


def run_watches(args, workdir: Path) -> list[Measure]:
    """Step 7: files of new attributions, imported in turn: one while nothing is watched,
    one after `--watched-numbers` of its numbers are watched (`--watch-rounds` times
    each, alternated: the machine's load moves). The first round counts the statements
    (Django's record of them slows the import: its speed is the other rounds')."""
    from accounts.models import Role, User
    from lines.phone import parse_number
    from watches.models import Notification, Watch
    from watches.things import number_thing

    rows, watched = args.numbers, args.watched_numbers
    officers = [
        User.objects.create(username=f"watcher-{n}", role=Role.INTELLIGENCE_OFFICER)
        for n in range(50)
    ]
    step = max(rows // watched, 1)
    measures = []
    for round_ in range(args.watch_rounds):
        unwatched_offset, watched_offset = (3 + 2 * round_) * 10**7, (4 + 2 * round_) * 10**7
        unwatched_path = workdir / f"numbers-unwatched-{round_}.csv"
        watched_path = workdir / f"numbers-watched-{round_}.csv"
        write_numbers(
            unwatched_path, rows, lines=args.lines, distinct=rows, offset=unwatched_offset
        )
        write_numbers(watched_path, rows, lines=args.lines, distinct=rows, offset=watched_offset)
        Watch.objects.all().delete()  # nothing watched: the block's lookup finds nothing
        counted = round_ == 0
        label = f"line_numbers, {rows:,} new, nothing watched"
        measures.append(_watches_step(label, unwatched_path, rows, counted))
        watched_rows = range(0, rows, step)[:watched]
        numbers = [parse_number(mobile(watched_offset + n)).e164 for n in watched_rows]
        Watch.objects.bulk_create(
            Watch(user=officers[n % len(officers)], key=number_thing(e164), label=e164)
            for n, e164 in enumerate(numbers)
        )
        label = f"line_numbers, {rows:,} new, {len(numbers):,} numbers watched"
        measures.append(_watches_step(label, watched_path, rows, counted))
    print(f"notifications written: {Notification.objects.count():,}")
    return measures


def _watches_step(label: str, path: Path, rows: int, counted: bool) -> Measure:
    label += ", statements counted" if counted else ""
    measure = run_import(label, "line_numbers", path, rows, 10_000, count=counted)
    measure.copy_seconds = copy_seconds(path, 4)
    print(f"{label}: {measure.rate:,.0f} rows/s, {measure.summary}", flush=True)
    return measure


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] in ("child", "child-counted"):
        child(sys.argv[2], sys.argv[3], count=sys.argv[1] == "child-counted")
    else:
        main()
