"""Synthetic data at a large force's scale, for `manage.py seed_scale` and `make bench`.

At factor 1: 20,000 lines using 60,000 numbers in 80,000 attributions, with 40,000
intelligence entries; 100,000 persons (a third with an alias), with 100,000 addresses,
60,000 numbers of the lines' and 50,000 roles on lines; 300,000 arrests, 150,000
charges, 60,000 sentences,
100,000 seizures, 2,000,000 recorded drug offences, 20,000 cuckooing referrals with
100,000 exchanges and actions, 10,000 drug-related deaths and 1,000,000 audit events,
spread over the ten years to the end of last year, across every command area and
origin force; and 10,000,000 rows of call data over the last two of those years
(bench/scale_calls.py). Written with `core.bulk.insert_rows` (COPY on PostgreSQL), a block at a
time, so that memory stays flat: a few minutes, not hours.

Deterministic (a seeded random generator): two databases seeded with the same factor
hold the same records. Never for production data: the references start `SCALE-`.
"""

import datetime
import hashlib
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction

from core.bulk import insert_rows
from core.references import reference_key

BLOCK = 20_000
MARKER = "SCALE-CL-0000000"  # the first scale line: its presence says "already seeded"
# The first scale person: with an address once the people had addresses, numbers, roles
# and aliases, and the lines intelligence (a seed older than that is topped up).
PERSON_MARKER = "SCALE-P-0000000"
YEARS = 10
SURNAMES = ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies")
FORENAMES = ("Jayden", "Liam", "Kai", "Tyler", "Connor", "Ellie", "Chloe", "Mason")
ALIASES = ("Smudge", "Little T", "Kaz", "Bugsy", "Ghost", "Dizzy", "Snoop", "Tiny Man")
INWARD = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a postcode's inward code may have
STREETS = (
    "Example Street",
    "Walmgate",
    "Tower Street",
    "Lawrence Street",
    "Heworth Road",
    "Tang Hall Lane",
    "Burton Stone Lane",
    "Acomb Road",
    "Front Street",
    "Hull Road",
    "Bishopthorpe Road",
    "Clifton Green",
    "Haxby Road",
    "Fulford Road",
    "Gale Lane",
)


@dataclass(frozen=True)
class Sizes:
    lines: int
    numbers: int
    attributions: int
    persons: int
    arrests: int
    charges: int
    sentences: int
    seizures: int
    drug_offences: int
    referrals: int
    exchanges: int
    actions: int
    deaths: int
    audit_events: int
    intelligence: int
    person_addresses: int
    person_numbers: int
    line_roles: int

    @classmethod
    def at(cls, factor: float) -> "Sizes":
        def scaled(count: int) -> int:
            return max(1, round(count * factor))

        return cls(
            lines=scaled(20_000),
            numbers=scaled(60_000),
            attributions=scaled(80_000),
            persons=scaled(100_000),
            arrests=scaled(300_000),
            charges=scaled(150_000),
            sentences=scaled(60_000),
            seizures=scaled(100_000),
            drug_offences=scaled(2_000_000),
            referrals=scaled(20_000),
            exchanges=scaled(50_000),
            actions=scaled(50_000),
            deaths=scaled(10_000),
            audit_events=scaled(1_000_000),
            intelligence=scaled(40_000),
            person_addresses=scaled(100_000),
            person_numbers=scaled(60_000),
            line_roles=scaled(50_000),
        )


def already_seeded() -> bool:
    from lines.models import Line

    return Line.objects.filter(reference_key=reference_key(MARKER)).exists()


def seeded_before_people_had_addresses() -> bool:
    """Scale data from before people had aliases, addresses, numbers and roles, and lines
    intelligence: what `seed_scale` adds to it (`top_up`)."""
    from persons.models import PersonAddress

    marker = reference_key(PERSON_MARKER)
    return (
        already_seeded() and not PersonAddress.objects.filter(person__reference_key=marker).exists()
    )


def seed_scale(factor: float, *, progress: Callable[[str, int, int], None]) -> Sizes:
    """Fill the database; `progress(table, done, total)` is told after every block."""
    sizes = Sizes.at(factor)
    seeder = _Seeder(sizes, progress)
    with transaction.atomic():
        seeder.run()
        seeder.call_data(factor)
    _analyze()
    return sizes


def calls_top_up(factor: float, *, progress: Callable[[str, int, int], None]) -> None:
    """Add the call data (bench/scale_calls.py) to a seed written before it had any."""
    seeder = _Seeder(Sizes.at(factor), progress)
    with transaction.atomic():
        seeder.call_data(factor)
    _analyze()


def top_up(factor: float, *, progress: Callable[[str, int, int], None]) -> Sizes:
    """Add to an older seed at `factor` what a new one has besides: the people's aliases
    (their names' search keys with them), addresses, numbers and roles on lines, and the
    lines' intelligence; the same records a new seed writes."""
    sizes = Sizes.at(factor)
    seeder = _Seeder(sizes, progress)
    with transaction.atomic():
        seeder.ids["lines"] = seeder.scale_ids("lines.Line", "SCALE-CL-")
        seeder.ids["phone numbers"] = list(
            _model("lines.PhoneNumber")
            .objects.filter(e164__startswith="+4477")
            .order_by("pk")
            .values_list("pk", flat=True)[: sizes.numbers]
        )
        seeder.ids["persons"] = seeder.scale_ids("persons.Person", "SCALE-P-")
        seeder.aliases()
        seeder.intelligence()
        seeder.person_records()
    _analyze()
    return sizes


def _model(label: str):
    from django.apps import apps

    return apps.get_model(label)


def _analyze() -> None:
    """As autovacuum would, before anything is measured: the planner's statistics, and
    the GIN indexes' pending lists merged (a search reads a long one row by row).
    VACUUM cannot run in a transaction (a test's): ANALYZE alone there."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


class _Seeder:
    def __init__(self, sizes: Sizes, progress) -> None:
        from accounts.models import Agency, Role, User
        from reference.models import CommandArea, Drug, Force

        self.sizes, self.progress = sizes, progress
        self.rng = random.Random(20_000)  # noqa: S311  (synthetic data)
        today = datetime.date.today()
        self.end = datetime.date(today.year - 1, 12, 31)
        self.start = datetime.date(self.end.year - YEARS + 1, 1, 1)
        self.days = (self.end - self.start).days + 1
        self.forces = list(Force.objects.values_list("pk", flat=True))
        self.areas = list(CommandArea.objects.values_list("pk", flat=True))
        self.drugs = list(Drug.objects.values_list("pk", flat=True))
        self.agencies = list(Agency.objects.exclude(kind="police").values_list("pk", flat=True))
        self.police = Agency.objects.get(kind="police", name="North Yorkshire Police")
        self.recorder, _ = User.objects.get_or_create(
            username="scale-officer",
            defaults={
                "role": Role.INTELLIGENCE_OFFICER,
                "agency": self.police,
                "first_name": "Scale",
                "last_name": "Officer",
            },
        )
        self.ids: dict[str, list[int]] = {}

    def day(self) -> datetime.date:
        return self.start + datetime.timedelta(days=self.rng.randrange(self.days))

    def insert(self, table: str, model, fields, rows: Iterator[tuple], total: int, *, ids=False):
        done, block, kept = 0, [], []
        for row in rows:
            block.append(row)
            if len(block) == BLOCK:
                kept += insert_rows(model, fields, block, returning_ids=ids)
                done += len(block)
                block = []
                self.progress(table, done, total)
        kept += insert_rows(model, fields, block, returning_ids=ids)
        self.progress(table, total, total)
        if ids:
            self.ids[table] = kept
        return kept

    def scale_ids(self, label: str, prefix: str) -> list[int]:
        """The ids of a kind's scale records, in the order they were seeded."""
        records = _model(label).objects.filter(reference_key__startswith=prefix.lower())
        return list(records.order_by("reference_key").values_list("pk", flat=True))

    def call_data(self, factor: float) -> None:
        from .scale_calls import seed_call_data

        seed_call_data(factor, end=self.end, recorder=self.recorder, progress=self.progress)

    def run(self) -> None:
        self.lines()
        self.numbers()
        self.intelligence()
        self.persons()
        self.person_records()
        self.enforcement()
        self.drug_offences()
        self.safeguarding()
        self.deaths()
        self.audit_events()

    # --- The tables ---------------------------------------------------------------------

    def lines(self) -> None:
        from lines.models import Line

        def rows():
            for n in range(self.sizes.lines):
                identified = self.day()
                closed = (
                    identified + datetime.timedelta(days=self.rng.randrange(30, 700))
                    if n % 5
                    else None
                )
                reference = f"SCALE-CL-{n:07d}"
                yield (
                    reference,
                    reference_key(reference),
                    f"Brand {n % 4000}",
                    self.forces[n % len(self.forces)],
                    identified,
                    closed,
                    "type_1" if closed else "",
                    ("", "low", "medium", "high")[n % 4],
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
        ids = self.insert("lines", Line, fields, rows(), self.sizes.lines, ids=True)
        links = (
            (pk, self.areas[(index + extra) % len(self.areas)])
            for index, pk in enumerate(ids)
            for extra in range(1 + index % 2)
        )
        self.insert(
            "line command areas",
            Line.command_areas.through,
            ("line", "commandarea"),
            links,
            len(ids) + len(ids) // 2,
        )

    def numbers(self) -> None:
        from lines.models import LineNumber, PhoneNumber
        from lines.phone import national_format
        from lines.services.counts import numbers_counts_refresh

        e164s = (f"+4477{n:08d}" for n in range(self.sizes.numbers))
        number_ids = self.insert(
            "phone numbers",
            PhoneNumber,
            ("e164", "national"),
            ((e164, national_format(e164)) for e164 in e164s),
            self.sizes.numbers,
            ids=True,
        )
        lines = self.ids["lines"]

        def rows():
            # Each number's uses are by different lines or at different times: no overlap.
            for n in range(self.sizes.attributions):
                number = number_ids[n % len(number_ids)]
                line = lines[(n * 7 + n // len(number_ids)) % len(lines)]
                start = self.start + datetime.timedelta(days=(n * 37) % (self.days - 400))
                end = start + datetime.timedelta(days=90 + n % 200) if n % 4 else None
                yield (line, number, start, end)

        self.insert(
            "attributions",
            LineNumber,
            ("line", "number", "attributed_from", "attributed_to"),
            rows(),
            self.sizes.attributions,
        )
        numbers_counts_refresh(line_ids=lines)

    def intelligence(self) -> None:
        from lines.models import IntelligenceEntry

        lines, recorder = self.ids["lines"], self.recorder.pk
        gradings = [(e, a, h) for e in "123" for a in "ABCDE" for h in "PC"]

        def rows():
            for n in range(self.sizes.intelligence):
                evaluation, assessment, handling = gradings[n % len(gradings)]
                yield (
                    lines[(n * 3) % len(lines)],
                    f"Runners seen at a cuckooed address on street {n % 300 + 1}; "
                    "deal line texts sent after midnight.",
                    evaluation,
                    assessment,
                    handling,
                    "Not to be shared outside the police" if handling == "C" else "",
                    recorder,
                    self._moment(n),
                    self._moment(n).date(),
                )

        self.insert(
            "intelligence",
            IntelligenceEntry,
            (
                "line",
                "text",
                "source_evaluation",
                "assessment",
                "handling_code",
                "handling_conditions",
                "recorded_by",
                "recorded_at",
                "intelligence_date",
            ),
            rows(),
            self.sizes.intelligence,
        )

    def _moment(self, n: int) -> datetime.datetime:
        day = self.start + datetime.timedelta(days=(n * 53) % self.days)
        return datetime.datetime.combine(day, datetime.time(n % 24), tzinfo=datetime.UTC)

    @staticmethod
    def person_names(n: int) -> tuple[str, str, str]:
        """The surname, forenames and aliases of the nth scale person."""
        surname = f"{SURNAMES[n % 8]}{'' if n % 3 else 'son'}-{n % 997}"
        alias = f"{ALIASES[n % len(ALIASES)]}" if n % 3 == 1 else ""
        return surname, FORENAMES[(n // 8) % 8], alias

    def persons(self) -> None:
        from persons.models import Person

        def rows():
            for n in range(self.sizes.persons):
                surname, given, aliases = self.person_names(n)
                reference = f"SCALE-P-{n:07d}"
                born = datetime.date(1960, 1, 1) + datetime.timedelta(days=n * 7 % 18_000)
                values = {"surname": surname, "forenames": given, "aliases": aliases}
                derived = Person.derive(values)
                yield (
                    reference,
                    reference_key(reference),
                    surname,
                    given,
                    aliases,
                    born,
                    n % 17 == 0,
                    n % 11 == 0,
                    derived["names_key"],
                    derived["typo_words"],
                )

        fields = (
            "reference",
            "reference_key",
            "surname",
            "forenames",
            "aliases",
            "date_of_birth",
            "vulnerable_adult",
            "exploited",
            "names_key",
            "typo_words",
        )
        self.insert("persons", Person, fields, rows(), self.sizes.persons, ids=True)

    def aliases(self) -> None:
        """An older seed's people given the aliases a new seed gives them."""
        from core.bulk import update_rows
        from persons.models import Person

        persons = self.ids["persons"]
        block = []
        for n, pk in enumerate(persons):
            surname, given, aliases = self.person_names(n)
            if not aliases:
                continue
            derived = Person.derive({"surname": surname, "forenames": given, "aliases": aliases})
            block.append((pk, aliases, derived["names_key"], derived["typo_words"]))
            if len(block) == BLOCK:
                update_rows(Person, ("aliases", "names_key", "typo_words"), block, touch=False)
                block = []
        update_rows(Person, ("aliases", "names_key", "typo_words"), block, touch=False)
        self.progress("aliases", len(persons), len(persons))

    def person_records(self) -> None:
        """People's addresses (one each), numbers (the lines' numbers: a number search
        finds lines and people) and roles on lines, with their grading."""
        from persons.models import LineRole, LineRoleKind, PersonAddress, PersonNumber

        persons, lines = self.ids["persons"], self.ids["lines"]
        numbers = self.ids["phone numbers"]
        size = self.sizes

        def addresses():
            for n in range(size.person_addresses):
                street = f"{n % 300 + 1} {STREETS[n % len(STREETS)]}"
                inward = f"{n % 9 + 1}{INWARD[n % 20]}{INWARD[n // 20 % 20]}"
                postcode = f"YO{n % 30 + 1} {inward}"
                moved_in = self.start + datetime.timedelta(days=(n * 11) % self.days)
                yield (persons[n % len(persons)], f"{street}\nYork", postcode, moved_in)

        self.insert(
            "person addresses",
            PersonAddress,
            ("person", "address", "postcode", "lived_from"),
            addresses(),
            size.person_addresses,
        )

        def person_numbers():
            for n in range(size.person_numbers):
                used_from = self.start + datetime.timedelta(days=(n * 29) % (self.days - 400))
                yield (
                    persons[(n * 3) % len(persons)],
                    numbers[n % len(numbers)],
                    used_from,
                    used_from + datetime.timedelta(days=60 + n % 300) if n % 3 else None,
                )

        self.insert(
            "person numbers",
            PersonNumber,
            ("person", "number", "used_from", "used_to"),
            person_numbers(),
            size.person_numbers,
        )
        kinds = [kind for kind, _label in LineRoleKind.choices]
        gradings = [(e, a, h) for e in "123" for a in "ABC" for h in "PC"]
        recorder = self.recorder.pk

        def roles():
            for n in range(size.line_roles):
                started = self.start + datetime.timedelta(days=(n * 17) % (self.days - 400))
                evaluation, assessment, handling = gradings[n % len(gradings)]
                yield (
                    persons[(n * 7) % len(persons)],
                    lines[(n * 5) % len(lines)],
                    kinds[n % len(kinds)],
                    started,
                    started + datetime.timedelta(days=30 + n % 400) if n % 2 else None,
                    evaluation,
                    assessment,
                    handling,
                    recorder,
                )

        self.insert(
            "roles on lines",
            LineRole,
            (
                "person",
                "line",
                "role",
                "started_on",
                "ended_on",
                "source_evaluation",
                "assessment",
                "handling_code",
                "recorded_by",
            ),
            roles(),
            size.line_roles,
        )

    def enforcement(self) -> None:
        from operations.models import Arrest, Charge, DrugTest, Seizure, Sentence

        persons, lines = self.ids["persons"], self.ids["lines"]
        tests = [choice for choice, _label in DrugTest.choices]

        def person(n: int) -> int:
            return persons[(n * 13) % len(persons)]

        def line(n: int) -> int | None:
            return lines[n % len(lines)] if n % 3 else None

        def arrests():
            for n in range(self.sizes.arrests):
                reference = f"SCALE-AR-{n:07d}"
                test = tests[n % len(tests)]
                yield (
                    reference,
                    reference_key(reference),
                    person(n),
                    self.day(),
                    self.areas[n % len(self.areas)],
                    line(n),
                    test,
                    test in DrugTest.positive() and n % 2 == 0,
                )

        self.insert(
            "arrests",
            Arrest,
            (
                "reference",
                "reference_key",
                "person",
                "arrested_on",
                "command_area",
                "line",
                "drug_test",
                "treatment_referral",
            ),
            arrests(),
            self.sizes.arrests,
        )

        def charges():
            for n in range(self.sizes.charges):
                reference = f"SCALE-CH-{n:07d}"
                yield (
                    reference,
                    reference_key(reference),
                    person(n),
                    self.day(),
                    "Possession with intent to supply a controlled drug of class A",
                    line(n),
                )

        self.insert(
            "charges",
            Charge,
            ("reference", "reference_key", "person", "charged_on", "offence", "line"),
            charges(),
            self.sizes.charges,
        )

        def sentences():
            for n in range(self.sizes.sentences):
                reference = f"SCALE-SE-{n:07d}"
                yield (
                    reference,
                    reference_key(reference),
                    person(n),
                    self.day(),
                    n % 120,
                    line(n),
                )

        self.insert(
            "sentences",
            Sentence,
            ("reference", "reference_key", "person", "sentenced_on", "custody_months", "line"),
            sentences(),
            self.sizes.sentences,
        )

        def seizures():
            for n in range(self.sizes.seizures):
                reference = f"SCALE-SZ-{n:07d}"
                drug = self.drugs[n % len(self.drugs)] if n % 3 else None
                cash = Decimal(f"{n % 9000}.{n % 100:02d}") if n % 3 != 1 or drug is None else None
                yield (
                    reference,
                    reference_key(reference),
                    self.day(),
                    cash,
                    drug,
                    Decimal(f"{n % 500 + 1}.25") if drug else None,
                    line(n),
                )

        self.insert(
            "seizures",
            Seizure,
            ("reference", "reference_key", "seized_on", "cash_gbp", "drug", "grams", "line"),
            seizures(),
            self.sizes.seizures,
        )

    def drug_offences(self) -> None:
        from panel.models import RecordedDrugOffence
        from reference.models import Force

        force = Force.objects.get(name="North Yorkshire Police").pk
        months = YEARS * 12

        def rows():
            for n in range(self.sizes.drug_offences):
                crime_id = hashlib.blake2b(n.to_bytes(8, "big"), digest_size=32).hexdigest()
                index = n % months
                month = datetime.date(self.start.year + index // 12, index % 12 + 1, 1)
                yield (
                    crime_id,
                    crime_id,
                    month,
                    force,
                    force,
                    f"On or near Street {n % 5000}",
                    f"E0102{n % 10000:04d}",
                    "Under investigation",
                )

        self.insert(
            "recorded drug offences",
            RecordedDrugOffence,
            (
                "reference",
                "reference_key",
                "month",
                "reported_by",
                "falls_within",
                "location",
                "lsoa_code",
                "last_outcome",
            ),
            rows(),
            self.sizes.drug_offences,
        )

    def safeguarding(self) -> None:
        from safeguarding.models import (
            InformationExchange,
            Referral,
            ReferralShare,
            SafeguardingAction,
            ShareStatus,
        )

        lines = self.ids["lines"]

        def referrals():
            for n in range(self.sizes.referrals):
                reference = f"SCALE-BG-{n:07d}"
                referred = self.day()
                closed = referred + datetime.timedelta(days=30 + n % 300) if n % 3 else None
                yield (
                    reference,
                    reference_key(reference),
                    f"{n % 200 + 1} Example Street",
                    "York",
                    f"YO{n % 30 + 1} {n % 9 + 1}AB",
                    self.areas[n % len(self.areas)],
                    referred,
                    self.agencies[n % len(self.agencies)],
                    ("low", "medium", "high")[n % 3],
                    closed,
                    "no_longer_cuckooed" if closed else "",
                )

        referral_fields = (
            "reference",
            "reference_key",
            "address",
            "town",
            "postcode",
            "command_area",
            "referred_on",
            "referring_agency",
            "risk_level",
            "closed_on",
            "closure_reason",
        )
        ids = self.insert(
            "referrals", Referral, referral_fields, referrals(), self.sizes.referrals, ids=True
        )
        agencies = self.agencies

        def shares():
            for index, pk in enumerate(ids):
                yield (pk, agencies[index % len(agencies)], ShareStatus.CONFIRMED)
                if index % 4 == 0:
                    yield (pk, agencies[(index + 1) % len(agencies)], ShareStatus.CONFIRMED)

        self.insert(
            "referral shares",
            ReferralShare,
            ("referral", "agency", "status"),
            shares(),
            len(ids) + len(ids) // 4,
        )
        self.insert(
            "suspected lines",
            Referral.suspected_lines.through,
            ("referral", "line"),
            ((pk, lines[index % len(lines)]) for index, pk in enumerate(ids) if index % 2),
            len(ids) // 2,
        )
        recorder = self.recorder.pk

        def exchanges():
            for n in range(self.sizes.exchanges):
                yield (
                    ids[n % len(ids)],
                    self.police.pk,
                    self.day(),
                    "Address, occupants and the line suspected.",
                    "cda_1998_s115",
                    "P",
                    recorder,
                )

        exchange_ids = self.insert(
            "exchanges",
            InformationExchange,
            (
                "referral",
                "from_agency",
                "shared_on",
                "summary",
                "lawful_basis",
                "handling_code",
                "recorded_by",
            ),
            exchanges(),
            self.sizes.exchanges,
            ids=True,
        )
        self.insert(
            "exchange recipients",
            InformationExchange.to_agencies.through,
            ("informationexchange", "agency"),
            ((pk, agencies[index % len(agencies)]) for index, pk in enumerate(exchange_ids)),
            len(exchange_ids),
        )

        def actions():
            for n in range(self.sizes.actions):
                agreed = self.day()
                due = agreed + datetime.timedelta(days=7 + n % 60)
                yield (
                    ids[n % len(ids)],
                    ("welfare_visit", "target_hardening", "rehousing")[n % 3],
                    agencies[n % len(agencies)],
                    agreed,
                    due,
                    due if n % 4 else None,
                )

        self.insert(
            "actions",
            SafeguardingAction,
            ("referral", "kind", "owner_agency", "agreed_on", "due_on", "done_on"),
            actions(),
            self.sizes.actions,
        )

    def deaths(self) -> None:
        from panel.models import DrugDeath

        def rows():
            for n in range(self.sizes.deaths):
                reference = f"SCALE-DRD-{n:07d}"
                yield (
                    reference,
                    reference_key(reference),
                    self.day(),
                    self.areas[n % len(self.areas)],
                )

        ids = self.insert(
            "deaths",
            DrugDeath,
            ("reference", "reference_key", "date_of_death", "command_area"),
            rows(),
            self.sizes.deaths,
            ids=True,
        )
        drugs = self.drugs
        self.insert(
            "death substances",
            DrugDeath.substances.through,
            ("drugdeath", "drug"),
            (
                (pk, drugs[(index + extra) % len(drugs)])
                for index, pk in enumerate(ids)
                for extra in range(1 + index % 2)
            ),
            len(ids) + len(ids) // 2,
        )

    def audit_events(self) -> None:
        from django.utils import timezone

        from audit.models import AuditEvent
        from audit.services import EVENT_COLUMNS

        now = timezone.now()
        lines = self.ids["lines"]
        actions = ("view", "search", "update", "create", "export", "login")
        user, username = self.recorder.pk, self.recorder.username

        def rows():
            for n in range(self.sizes.audit_events):
                yield (
                    now - datetime.timedelta(minutes=n % (60 * 24 * 730)),
                    actions[n % len(actions)],
                    user,
                    username,
                    "North Yorkshire Police",
                    "lines.line",
                    str(lines[n % len(lines)]),
                    f"SCALE-CL-{n % len(lines):07d}",
                    "10.0.0.1",
                    "",
                    "/lines/",
                    {},
                )

        self.insert(
            "audit events",
            AuditEvent,
            EVENT_COLUMNS,
            rows(),
            self.sizes.audit_events,
        )
