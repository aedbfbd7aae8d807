"""How fast `import_csv` runs and whether its memory grows with the file.

Not a test (timings vary by machine): a script to run when changing the import
runner or the lines services, and to quote in reviews.

    .venv/bin/python benchmarks/import_lines.py                      # SQLite, 1,000 and 10,000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/countylines_bench \\
        .venv/bin/python benchmarks/import_lines.py --rows 1000 10000

It migrates the database it is given (by default a fresh SQLite file in a temporary
directory, so use a scratch PostgreSQL database), writes a `lines` file and a
`line_numbers` file of N rows each, and for each prints rows per second for a first
import, a second import of the same file (all unchanged) and the numbers file, then
the peak Python memory (tracemalloc) of a dry run of a fresh file of the same size.
A streaming import's peak stays flat as N grows.
"""

import argparse
import gc
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER_LINES = "reference,name,origin_force,command_areas,first_identified,closed_on\n"
HEADER_NUMBERS = "line_reference,number,attributed_from,attributed_to\n"
FORCES = ["Merseyside Police", "GMP", "london", "West Yorkshire", "South Yorkshire Police"]
AREAS = ["York", "Selby;York", "Harrogate", "Scarborough;Ryedale", "craven"]


def write_files(directory: Path, rows: int, prefix: str) -> tuple[Path, Path]:
    lines_path = directory / f"{prefix}-lines.csv"
    numbers_path = directory / f"{prefix}-numbers.csv"
    with lines_path.open("w", encoding="utf-8") as lines, numbers_path.open("w") as numbers:
        lines.write(HEADER_LINES)
        numbers.write(HEADER_NUMBERS)
        for n in range(rows):
            reference = f"{prefix}-{n:06d}"
            day = f"2021-{(n % 12) + 1:02d}-{(n % 28) + 1:02d}"
            closed = f"2022-{(n % 12) + 1:02d}-01" if n % 3 == 0 else ""
            lines.write(f"{reference},Brand {n},{FORCES[n % 5]},{AREAS[n % 5]},{day},{closed}\n")
            numbers.write(f"{reference},07712 {n:06d},{day},\n")
    return lines_path, numbers_path


def timed(kind: str, path: Path, rows: int, **options) -> tuple[str, float]:
    from imports.runner import import_csv

    started = time.perf_counter()
    with path.open("rb") as source:
        result = import_csv(kind=kind, source=source, source_name=path.name, **options)
    elapsed = time.perf_counter() - started
    if not result.ok:
        sys.exit("\n".join(result.error_lines(path.name)))
    return result.summary, rows / elapsed


def peak_memory(kind: str, path: Path) -> float:
    from imports.runner import import_csv

    gc.collect()  # start from the same point whatever earlier runs left for the collector
    tracemalloc.start()
    with path.open("rb") as source:
        import_csv(kind=kind, source=source, source_name=path.name, dry_run=True)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="import-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"  # DEBUG keeps every query in memory
    sys.path.insert(0, str(ROOT))

    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}  ({workdir})")
    # One small import first, so that one-off allocations (caches, lazily imported modules)
    # are not counted against the first size measured.
    warm_up, _ = write_files(workdir, 500, "W")
    peak_memory("lines", warm_up)
    print(f"{'rows':>7} {'step':<32} {'rows/s':>8}  result")
    for rows in args.rows:
        lines_path, numbers_path = write_files(workdir, rows, f"A{rows}")
        for label, kind, path in (
            ("lines, first import", "lines", lines_path),
            ("lines, same file again", "lines", lines_path),
            ("line_numbers, first import", "line_numbers", numbers_path),
        ):
            summary, speed = timed(kind, path, rows)
            print(f"{rows:>7} {label:<32} {speed:>8.0f}  {summary}")
        fresh_lines, _ = write_files(workdir, rows, f"B{rows}")
        peak = peak_memory("lines", fresh_lines)
        size = fresh_lines.stat().st_size / 1024 / 1024
        print(
            f"{rows:>7} {'lines, dry run: peak memory':<32} {peak:>7.2f} MB  (file {size:.2f} MB)"
        )


if __name__ == "__main__":
    main()
