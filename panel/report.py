"""A panel report from a snapshot's figures: its sections, each opening with sentences
written from the figures in the report's voice ("In 2021, 26 County Lines were
identified, of which 10 remain active."), a comparison with the period before where
there is one, the managers' own paragraphs, the figures and the tables behind them.

Pure functions of the figures: the page, the PDF and the CSV downloads are all built
from what `report_sections` returns, so they cannot disagree.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .charts import drug_offences_image, lines_by_area_image
from .periods import Period, month_of, parse_month

SECTIONS = (
    ("drug_offences", "Drug offences"),
    ("county_lines", "County Lines"),
    ("enforcement", "Enforcement"),
    ("drug_deaths", "Drug-related deaths"),
    ("safeguarding", "Safeguarding"),
)


@dataclass
class Table:
    name: str  # in the CSV's file name
    caption: str
    header: list[str]
    rows: list[list[Any]]


@dataclass
class Chart:
    number: int
    caption: str
    image: str  # a data: URI of the SVG
    alt: str


@dataclass
class Section:
    key: str
    title: str
    sentences: list[str]
    own_text: str = ""
    chart: Chart | None = None
    tables: list[Table] = field(default_factory=list)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """`1 County Line`, `26 County Lines`, with thousands separators."""
    word = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count:,} {word}"


def _was(count: int) -> str:
    return "was" if count == 1 else "were"


def _list_in_words(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _top(counts: dict[str, int], limit: int = 3) -> list[str]:
    return [name for name, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))][
        :limit
    ]


def _compare(now: int, before: int | None, previous: Period) -> str:
    """`up from 1,960 in 2020`, `down from …`, `as many as in 2020`; "" with nothing to
    compare with (no figure, or none recorded then)."""
    if not before:
        return ""
    if now == before:
        return f"as many as {previous.in_words.lower()}"
    direction = "up" if now > before else "down"
    return f"{direction} from {before:,} {previous.in_words.lower()}"


def _years(years: float) -> str:
    """`103 years`, `0.3 years`, `1 year`."""
    text = f"{years:,.1f}".removesuffix(".0")
    return f"{text} year" if text == "1" else f"{text} years"


def _money(text: str) -> str:
    return f"£{Decimal(text):,.2f}"


def report_sections(
    *,
    period: Period,
    as_at: datetime.date,
    figures: dict,
    previous: dict | None,
    annotations: list[tuple[str, datetime.date, datetime.date]],
    own_text: dict[str, str] | None = None,
) -> list[Section]:
    own_text = own_text or {}
    before = period.previous()
    sections = [
        _drug_offences(period, figures, previous, before, annotations),
        _county_lines(period, as_at, figures, previous, before),
        _enforcement(period, figures),
        _drug_deaths(period, figures, previous, before),
        _safeguarding(period, figures),
    ]
    for section in sections:
        section.own_text = own_text.get(section.key, "")
    return sections


def _drug_offences(period, figures, previous, before, annotations) -> Section:
    offences = figures["drug_offences"]
    total = offences["total"]
    if total:
        comparison = _compare(
            total, previous["drug_offences"]["total"] if previous else None, before
        )
        sentence = f"{period.in_words}, {plural(total, 'drug offence')} {_was(total)} recorded"
        sentences = [f"{sentence}, {comparison}." if comparison else f"{sentence}."]
        busiest = max(offences["by_month"].items(), key=lambda item: (item[1], item[0]))
        month = parse_month(busiest[0])
        sentences.append(f"The most were recorded in {month:%B %Y} ({busiest[1]:,}).")
    else:
        sentences = [f"{period.in_words}, no drug offences have been recorded yet."]
    trend = figures.get("charts", {}).get("drug_offences_by_month", {})
    chart = table = None
    if trend:
        first, last = min(trend), max(trend)
        first_day, last_month = parse_month(first), parse_month(last)
        last_day = month_of(last_month).end
        caption = (
            f"Drug offences recorded between {first_day.day} {first_day:%B %Y} "
            f"and {last_day.day} {last_day:%B %Y}"
        )
        peak = max(trend.values())
        shaded = ", ".join(name for name, _start, _end in annotations) or "no period"
        chart = Chart(
            1,
            caption,
            drug_offences_image(trend, annotations),
            f"Bar chart of drug offences recorded each month, from {first_day:%B %Y} to "
            f"{last_month:%B %Y}, at most {peak:,} in a month; shaded: {shaded}. "
            "The table below gives every month's figure.",
        )
        table = Table(
            "drug-offences-by-month",
            caption,
            ["Month", "Drug offences recorded"],
            [[month, count] for month, count in trend.items()],
        )
    return Section(
        "drug_offences",
        "Drug offences",
        sentences,
        chart=chart,
        tables=[table] if table else [],
    )


def _county_lines(period, as_at, figures, previous, before) -> Section:
    lines = figures["lines"]
    identified, still = lines["identified"], lines["identified_still_active"]
    numbers = lines["numbers_used"]
    if identified:
        using = f", using {plural(numbers, 'different telephone number')}," if numbers else ""
        remain = (
            f"of which {still:,} remain{'s' if still == 1 else ''} active"
            if still
            else "none of which remain active"
        )
        sentences = [
            f"{period.in_words}, {plural(identified, 'County Line')}{using} "
            f"{_was(identified)} identified, {remain}."
        ]
        if previous and previous["lines"]["identified"]:
            earlier = previous["lines"]["identified"]
            sentences.append(
                f"{before.in_words}, {plural(earlier, 'County Line')} {_was(earlier)} identified."
            )
        forces, areas = _top(lines["by_origin_force"]), _top(lines["by_command_area"])
        sentences.append(
            f"Most Lines originated in {_list_in_words(forces)}, into "
            f"{_list_in_words(areas)} (see figure 2)."
        )
    else:
        sentences = [f"{period.in_words}, no County Lines were identified."]
    active = lines["active_at_end"]
    sentences.append(
        f"At the end of the period {plural(active, 'Line')} {_was(active)} active."
        if active
        else "No Line was active at the end of the period."
    )
    by_area = figures.get("charts", {}).get("lines_by_area_and_force", {})
    chart = None
    tables = []
    if by_area:
        chart = Chart(
            2,
            f"County Lines identified {period.in_words.lower()} by NYP command area",
            lines_by_area_image(by_area),
            "Stacked bar chart of the County Lines identified per destination command "
            "area, coloured by origin force. The table below gives the figures.",
        )
        forces = sorted({force for counts in by_area.values() for force in counts})
        tables.append(
            Table(
                "lines-by-area-and-force",
                "County Lines identified, by command area and origin force",
                ["Command area", *forces, "All"],
                [
                    [area, *(counts.get(force, 0) for force in forces), sum(counts.values())]
                    for area, counts in sorted(by_area.items())
                ],
            )
        )
    return Section("county_lines", "County Lines", sentences, chart=chart, tables=tables)


def _enforcement(period, figures) -> Section:
    enforcement = figures["enforcement"]
    sentences = []
    sentenced, years = enforcement["persons_sentenced"], enforcement["custody_years"]
    if sentenced:
        sentences.append(
            f"{period.in_words}, {plural(sentenced, 'individual')} {_was(sentenced)} "
            f"handed {_years(years)} of prison time."
        )
    charged, arrests = enforcement["persons_charged"], enforcement["arrests"]
    if charged:
        sentences.append(f"{plural(charged, 'person', 'people')} {_was(charged)} charged.")
    if arrests:
        people = enforcement["persons_arrested"]
        sentences.append(
            f"{plural(arrests, 'arrest')} {_was(arrests)} made, of "
            f"{plural(people, 'person', 'people')}."
        )
        children = enforcement.get("children_arrested") or 0
        if children:
            sentences.append(
                f"{plural(children, 'child', 'children')} {_was(children)} among those "
                "arrested, and safeguarded."
            )
    cash = Decimal(enforcement["cash_seized_gbp"])
    if cash:
        sentences.append(f"{_money(enforcement['cash_seized_gbp'])} in cash was seized.")
    tests = sum((enforcement.get("drug_tests") or {}).values())
    if tests:
        share = enforcement.get("drug_tests_positive_share") or 0
        referrals = enforcement.get("treatment_referrals") or 0
        sentences.append(
            f"{plural(tests, 'person')} {_was(tests)} drug tested on arrest, "
            f"{share:.0%} positive; {plural(referrals, 'treatment referral')} "
            f"{_was(referrals)} made."
        )
    if not sentences:
        sentences = [f"{period.in_words}, no arrests, charges, sentences or seizures are recorded."]
    seizures = enforcement["drug_seizures"]
    tables = [
        Table(
            "enforcement",
            "Enforcement results",
            ["Measure", "Figure"],
            [
                ["Arrests", arrests],
                ["People arrested", enforcement["persons_arrested"]],
                ["People charged", charged],
                ["People sentenced", sentenced],
                ["Years of custody", years],
                ["Cash seized", _money(enforcement["cash_seized_gbp"])],
            ],
        )
    ]
    if seizures:
        tables.append(
            Table(
                "drug-seizures",
                "Drugs seized",
                ["Drug", "Seizures", "Grams"],
                [[drug, row["seizures"], row["grams"]] for drug, row in seizures.items()],
            )
        )
    return Section("enforcement", "Enforcement", sentences, tables=tables)


def _drug_deaths(period, figures, previous, before) -> Section:
    deaths = figures["drug_deaths"]
    total = deaths["total"]
    if total:
        comparison = _compare(total, previous["drug_deaths"]["total"] if previous else None, before)
        sentence = (
            f"There {_was(total)} {plural(total, 'drug-related death')} {period.in_words.lower()}"
        )
        sentences = [f"{sentence}, {comparison}." if comparison else f"{sentence}."]
        top = _top(deaths["by_substance"], 2)
        if top:
            least = min(deaths["by_substance"][name] for name in top)
            sentences.append(
                f"{_list_in_words(top)} {'is' if len(top) == 1 else 'are'} linked to at least "
                f"{plural(least, 'death')}; many deaths are linked to several drugs."
            )
    else:
        sentences = [f"No drug-related deaths are recorded {period.in_words.lower()}."]
    tables = []
    if deaths["by_substance"]:
        tables.append(
            Table(
                "drug-deaths-by-substance",
                "Drug-related deaths by substance implicated",
                ["Substance", "Deaths"],
                [[name, count] for name, count in _sorted_counts(deaths["by_substance"])],
            )
        )
    return Section("drug_deaths", "Drug-related deaths", sentences, tables=tables)


def _safeguarding(period, figures) -> Section:
    figures = figures["safeguarding"]
    opened, closed, still = (
        figures["referrals_opened"],
        figures["referrals_closed"],
        figures["open_at_end"],
    )
    if opened or closed or still:
        sentences = [
            f"{period.in_words}, {plural(opened, 'cuckooing referral')} {_was(opened)} made "
            f"under the Blue Guardian principles and {closed:,} closed; "
            f"{plural(still, 'referral')} {_was(still)} open at the end of the period."
        ]
    else:
        sentences = [f"{period.in_words}, no cuckooing referrals are recorded."]
    table = Table(
        "safeguarding",
        "Cuckooing referrals",
        ["Measure", "Figure"],
        [["Referrals made", opened], ["Referrals closed", closed], ["Open at the end", still]],
    )
    return Section("safeguarding", "Safeguarding", sentences, tables=[table])


def _sorted_counts(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def table_named(sections: list[Section], name: str) -> Table | None:
    for section in sections:
        for table in section.tables:
            if table.name == name:
                return table
    return None
