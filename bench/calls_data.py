"""A `calls` CSV file (interfaces.md §6) of any size, as a disclosure's billing data looks,
for the import's benchmark: `python -m bench.calls_data PATH ROWS [--source REF]`.

Rows over a year from `START`, in time order (as operators deliver them), among a few
hundred numbers of the disclosure's targets and tens of thousands of subscribers they
are in contact with, written the ways the billing files of different operators write
them (`07700 900001`, `+447700900001`, `447700900001` is not one: `0044 7700 900001`);
calls with durations, texts and a few picture messages, calls from withheld numbers and
texts from short codes; the targets' handsets (IMEI, IMSI) and cells on their rows;
times in UTC (`Z`) or UK summer time (`+01:00`). Deterministic for a seed. Needs no
database, so a benchmark writes its file before it starts timing.
"""

import argparse
import csv
import datetime
import random
from pathlib import Path

from calls.columns import FILE_COLUMNS

HEADER = FILE_COLUMNS
START = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
TARGETS = 300
CONTACTS = 40_000
SHORT_CODES = ("150", "2222", "61016", "88802")
SUMMER = datetime.timezone(datetime.timedelta(hours=1))


def _spelling(number: int, style: int) -> str:
    """A UK mobile number (07700 + 6 digits … within a private range) spelt one of the ways
    billing files do."""
    national = f"07{number:09d}"
    if style == 0:
        return national
    if style == 1:
        return f"+44{national[1:]}"
    if style == 2:
        return f"{national[:5]} {national[5:]}"
    return f"0044 {national[1:5]} {national[5:]}"


def call_rows(rows: int, *, source: str = "BENCH-CD-1", seed: int = 23):
    """The file's rows after its header (tuples of the HEADER's cells)."""
    rng = random.Random(seed)  # noqa: S311  (a repeatable file, not a secret)
    targets = [700_900_000 + n for n in range(TARGETS)]
    contacts = [780_000_000 + n * 7 for n in range(CONTACTS)]
    handsets = {
        target: (f"35{rng.randrange(10**12, 10**13):013d}", f"23415{rng.randrange(10**9, 10**10)}")
        for target in targets
    }
    # A year of rows, a few seconds apart on average, in order.
    step = 365 * 24 * 3600 / max(rows, 1)
    moment = START
    for n in range(rows):
        moment += datetime.timedelta(seconds=rng.expovariate(1 / step))
        target = targets[rng.randrange(TARGETS) if rng.random() < 0.5 else n % TARGETS]
        contact = contacts[int(rng.paretovariate(1.2)) % CONTACTS]
        kind = rng.choices(("call", "sms", "mms"), (45, 53, 2))[0]
        style = rng.randrange(4)
        ours, theirs = _spelling(target, style), _spelling(contact, style)
        imei, imsi = handsets[target]
        cell = f"234-15-{rng.randrange(1000, 9999)}-{rng.randrange(10000, 99999)}"
        if rng.random() < 0.55:  # the target calls or sends
            from_number, to_number = ours, theirs
        else:
            from_number, to_number = theirs, ours
            imei = imsi = cell = ""  # the handset data is the caller's: not the target's
            if rng.random() < 0.05:
                from_number = "withheld" if kind == "call" else rng.choice(SHORT_CODES)
        duration = str(int(rng.expovariate(1 / 90))) if kind == "call" else ""
        local = moment.astimezone(SUMMER) if rng.random() < 0.3 else moment
        stamp = local.isoformat(timespec="seconds").replace("+00:00", "Z")
        yield (source, from_number, to_number, stamp, kind, duration, imei, imsi, cell)


def write_calls_csv(path: Path, rows: int, *, source: str = "BENCH-CD-1", seed: int = 23) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(call_rows(rows, source=source, seed=seed))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("rows", type=int)
    parser.add_argument("--source", default="BENCH-CD-1")
    parser.add_argument("--seed", type=int, default=23)
    options = parser.parse_args()
    write_calls_csv(options.path, options.rows, source=options.source, seed=options.seed)


if __name__ == "__main__":
    main()
