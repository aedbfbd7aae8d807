"""The demo disclosure of call data: three months of billing for two demo lines' numbers,
loaded by `manage.py seed_demo` through the `calls` import (calls/demo/seed.py).

The story an analyst finds in it:

- "Loco" (NYP-CL-2021-022): its number goes quiet in mid-April 2023 and, the next day, a
  new number starts on the same handset (IMEI), texting the same customers.
- "Tank" (NYP-CL-2021-023): its number goes quiet in early April and, three days later, a
  new number on a new handset reaches most of its old customers.
- Around them, what real billing holds: each line's daily "marketing" text to 20 or more
  customers within minutes, customers calling and texting, a rival number texting a few of
  Tank's customers among its own, the "Bravo" line's number reaching three of them too,
  calls from withheld numbers and texts from a network short code.

Neither new number is attributed to its line: finding them is the analyst's work (the
line page's Call data tab ranks them first). Every number is from Ofcom's drama range
(07700 900xxx) and none is already a line's or a person's (`taken`); times are UK time
with their offset, as a network writes them. Deterministic: the same rows every time.
"""

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from lines.demo import demo_lines_plan
from lines.demo.plan import DRAMA_RANGE
from lines.phone import normalise_number

from ..columns import FILE_COLUMNS

SEED = 20230401
UK = ZoneInfo("Europe/London")
SOURCE_REFERENCE = "NYP-CDR-2023-0042"
AUTHORISATION = "NYP/CDA/2023/1187"
DESCRIPTION = (
    "Billing (calls, SMS, MMS) 1 March to 31 May 2023 for the deal lines Loco and Tank's "
    "numbers, the handsets that carried them and the regular customers' numbers."
)
COVERS_FROM = datetime.date(2023, 3, 1)
COVERS_TO = datetime.date(2023, 5, 31)
# How long the force may keep the rows after the authorisation (the purge's date).
RETAIN_YEARS = 6
COLUMNS = FILE_COLUMNS
SAME_HANDSET_LINE = "NYP-CL-2021-022"  # Loco
NEW_HANDSET_LINE = "NYP-CL-2021-023"  # Tank
OTHER_LINE = "NYP-CL-2021-021"  # Bravo, whose number touches Tank's customers
NETWORK_SHORT_CODE = "2222"  # top-up confirmations


@dataclass(frozen=True)
class Phone:
    """One number in use for a spell, on one handset, with the customers it deals to."""

    number: str  # E.164
    imei: str
    imsi: str
    first_day: datetime.date
    last_day: datetime.date
    customers: tuple[str, ...]
    cell_area: int


@dataclass(frozen=True)
class DemoCalls:
    lines: dict[str, str]  # line reference -> the number that goes quiet (E.164)
    successors: dict[str, str]  # line reference -> the new number that takes over
    rival: str
    phones: tuple[Phone, ...]
    rows: tuple[tuple[str, ...], ...]  # COLUMNS, `source` first


def demo_calls_plan(*, taken: set[str]) -> DemoCalls:
    """The demo disclosure's world and rows; `taken` are the numbers (E.164) already in
    use in the demo (the lines' and people's), none of which is given a new role."""
    plan = demo_lines_plan()
    current = {
        line.reference: normalise_number(plan.numbers[line.attributions[-1].number])
        for line in plan.lines
        if line.reference in (SAME_HANDSET_LINE, NEW_HANDSET_LINE, OTHER_LINE)
        and line.attributions[-1].attributed_to is None
    }
    if len(current) != 3:
        raise ValueError("The demo call data needs Loco, Tank and Bravo with a number in use.")
    rng = random.Random(SEED)  # noqa: S311  (a repeatable demo, not a secret)
    free = [
        number
        for number in (normalise_number(f"{DRAMA_RANGE}{n:03d}") for n in range(1000))
        if number not in taken and number not in current.values()
    ]
    rng.shuffle(free)
    loco_next, tank_next, rival = free[0], free[1], free[2]
    customers = free[3:80]
    loco_base = tuple(customers[:40])
    tank_base = tuple(customers[35:70])  # five customers buy from both lines
    rival_own = tuple(customers[70:77])
    loco_handset = "356938035643809"
    day = datetime.date
    phones = (
        Phone(current[SAME_HANDSET_LINE], loco_handset, "234150000004411",
              COVERS_FROM, day(2023, 4, 15), loco_base, 1201),
        Phone(loco_next, loco_handset, "234150000007725",
              day(2023, 4, 16), COVERS_TO, tuple(rng.sample(loco_base, 33)), 1201),
        Phone(current[NEW_HANDSET_LINE], "353918052261247", "234100000019306",
              COVERS_FROM, day(2023, 4, 5), tank_base, 1410),
        Phone(tank_next, "359872104488312", "234100000023185",
              day(2023, 4, 8), COVERS_TO, tuple(rng.sample(tank_base, 27)), 1410),
        # A rival texting four of Tank's customers among its own (as many again of
        # Tank's as rival_own's, so its bursts still reach twenty).
        Phone(rival, "861234030098765", "234300000051120",
              day(2023, 4, 12), COVERS_TO,
              (*rng.sample(tank_base, 4), *rival_own, *free[80:100]), 1333),
        # Bravo's number, in use before and after: three of Tank's customers among its own.
        Phone(current[OTHER_LINE], "354410117700221", "234150000031874",
              COVERS_FROM, COVERS_TO, (*tank_base[:3], *free[100:120]), 1290),
    )  # fmt: skip
    rows = tuple(_rows(phones, rng))
    return DemoCalls(
        lines={
            SAME_HANDSET_LINE: current[SAME_HANDSET_LINE],
            NEW_HANDSET_LINE: current[NEW_HANDSET_LINE],
        },
        successors={SAME_HANDSET_LINE: loco_next, NEW_HANDSET_LINE: tank_next},
        rival=rival,
        phones=phones,
        rows=rows,
    )


def _rows(phones: tuple[Phone, ...], rng: random.Random) -> Iterator[tuple[str, ...]]:
    """Day by day, each phone's marketing text (most days), its trade, and the noise."""
    seen: set[tuple[str, str, datetime.datetime, str]] = set()

    def row(a: str, b: str, at: datetime.datetime, kind: str, duration: int | None,
            phone: Phone | None) -> tuple[str, ...] | None:  # fmt: skip
        at = at.replace(microsecond=0)
        if (a, b, at, kind) in seen:
            return None
        seen.add((a, b, at, kind))
        sender = phone if phone is not None and phone.number == a else None
        return (
            SOURCE_REFERENCE,
            _national(a),
            _national(b),
            at.isoformat(),
            kind,
            "" if duration is None else str(duration),
            sender.imei if sender else "",
            sender.imsi if sender else "",
            f"234-15-{sender.cell_area}-{rng.randrange(10000, 99999)}" if sender else "",
        )

    day = COVERS_FROM
    while day <= COVERS_TO:
        made: list[tuple[str, ...] | None] = []
        for phone in phones:
            if not phone.first_day <= day <= phone.last_day:
                continue
            if rng.random() < 0.4:
                # The marketing text: one message to many customers within minutes.
                sent = datetime.datetime.combine(day, datetime.time(10, rng.randrange(60)), UK)
                recipients = rng.sample(phone.customers, k=min(len(phone.customers), 22))
                for offset, customer in enumerate(recipients):
                    at = sent + datetime.timedelta(seconds=offset * 17)
                    made.append(row(phone.number, customer, at, "sms", None, phone))
            for _ in range(rng.randrange(3, 7)):
                # The trade: customers asking, the line answering or ringing back.
                customer = rng.choice(phone.customers)
                at = datetime.datetime.combine(day, datetime.time(rng.randrange(11, 24)), UK)
                at += datetime.timedelta(seconds=rng.randrange(3600))
                kind = "call" if rng.random() < 0.4 else "sms"
                duration = rng.randrange(8, 95) if kind == "call" else None
                if rng.random() < 0.7:
                    made.append(row(customer, phone.number, at, kind, duration, phone))
                else:
                    made.append(row(phone.number, customer, at, kind, duration, phone))
            if rng.random() < 0.1:
                at = datetime.datetime.combine(day, datetime.time(rng.randrange(0, 6)), UK)
                made.append(row("withheld", phone.number, at, "call", rng.randrange(0, 40), None))
            if day.day in (1, 15):
                at = datetime.datetime.combine(day, datetime.time(9, 2), UK)
                made.append(row(NETWORK_SHORT_CODE, phone.number, at, "sms", None, None))
        yield from sorted((r for r in made if r is not None), key=lambda r: r[3])
        day += datetime.timedelta(days=1)


def _national(e164: str) -> str:
    """Parties written as a network's file has them: subscribers in national form,
    `withheld` and short codes as they are."""
    return "0" + e164[3:] if e164.startswith("+44") else e164


def demo_calls_csv(world: DemoCalls) -> str:
    """The disclosure as the file the `calls` import reads."""
    lines = [",".join(COLUMNS)]
    lines += [",".join(row) for row in world.rows]
    return "\n".join(lines) + "\n"
