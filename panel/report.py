"""A panel paper from a snapshot's figures: its sections in the order of the paper the
Panel reads (drug offences and the impact of Covid, County Lines, enforcement and
disruption, funding, partnership and safeguarding, drug-related deaths, the drugs
strategy; the appendix tables last), each opening with sentences written from the
figures in the report's voice ("In 2021, 26 County Lines were identified, of which 10
remain active."), then the managers' own paragraphs and the figures.

The sentences say what a Panel member reads without asking: a source that stops before
the period ends (police.uk publishes a month or two late) is compared with the same
months of the period before, and says which months; the year before is quoted as the
report quotes it; origins are places; figures are rounded the way reports round
(`wording`), the exact figures in the appendix. No sentence speaks of months without
data, and none counts nothing ("0 Lines").

Pure functions of the figures: the page, the PDF, the DOCX and the CSV downloads are
all built from what `report_sections` returns, so they cannot disagree.
"""

import datetime
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.rules import day_in_words
from operations.models import FundingSource

from .charts import drug_offences_image, lines_by_area_image
from .periods import Kind, Period, month_key, month_of, months_between, parse_month
from .wording import (
    at_least,
    list_in_words,
    money,
    money_exact,
    month_in_table,
    month_runs,
    months_in_words,
    over,
    over_money,
    over_years,
    places_in_words,
    plural,
    share_fewer_or_more,
    was,
)

SECTIONS = (
    ("drug_offences", "Drug offences and the impact of Covid"),
    ("county_lines", "County Lines"),
    ("enforcement", "Enforcement and disruption"),
    ("funding", "Funding"),
    ("safeguarding", "Partnership and safeguarding"),
    ("drug_deaths", "Drug-related deaths"),
    ("strategy", "Drugs strategy"),
    ("appendix", "Appendix: the figures in full"),
)
TITLES = dict(SECTIONS)

# Figure 1: a month stands out at this share above the median of the months around it.
STANDS_OUT = 1.2
MONTHS_AROUND = 6  # on each side: the twelve months around it
# A place is named among "most Lines" with at least this share of them.
NAMED_SHARE = 0.1
# "only 3 remained active": at most this share of the Lines identified.
ONLY_SHARE = 0.1
FUNDING_WORDS = {
    FundingSource.NATIONAL_SURGE: "national surge funding",
    FundingSource.EXPORTING_FORCE: "contributions from exporting forces",
    FundingSource.FORCE: "the force's own budget",
}


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


@dataclass(frozen=True)
class Context:
    period: Period
    before: Period
    as_at: datetime.date
    figures: dict
    previous: dict | None

    def earlier(self, *keys: str) -> Any:
        """A figure of the period before, or None when there is none to compare with."""
        value: Any = self.previous
        for key in keys:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return value


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
    context = Context(period, period.previous(), as_at, figures, previous)
    appendix: list[Table] = []
    sections = [
        _drug_offences(context, annotations, appendix),
        _county_lines(context, appendix),
        _enforcement(context, appendix),
        _funding(context, appendix),
        _safeguarding(context, appendix),
        _drug_deaths(context, appendix),
        _strategy(context, appendix),
        Section("appendix", TITLES["appendix"], [], tables=appendix),
    ]
    for section in sections:
        section.own_text = own_text.get(section.key, "")
    return sections


# --- Like for like ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """The months of a period one source has data for: all of them, or the first few."""

    months: list[str]  # `YYYY-MM`, the period's months up to the source's last
    complete: bool

    def words(self, period: Period) -> str:
        """`In 2021` when complete; `Between January and October 2021`, `In October 2021`."""
        if self.complete:
            return period.in_words
        first, last = parse_month(self.months[0]), parse_month(self.months[-1])
        if first == last:
            return f"In {first:%B %Y}"
        return f"Between {months_in_words(first, last)}"


def _period_months(period: Period) -> list[str]:
    return [month_key(month) for month in months_between(period.start, period.end)]


def _coverage(period: Period, last: str | None) -> Coverage:
    months = _period_months(period)
    if last is None:
        return Coverage([], False)
    covered = [month for month in months if month <= last]
    return Coverage(covered, covered == months)


def _same_months_before(context: Context, count: int, by_month: dict | None) -> int | None:
    """The figure of the first `count` months of the period before, or None."""
    if by_month is None:
        return None
    months = _period_months(context.before)[:count]
    if len(months) < count:
        return None
    return sum(by_month.get(month, 0) for month in months)


def _compared(now: int, before: int | None, coverage: Coverage, previous: Period) -> str:
    """`, down from 2,234 in 2020`; `, 12% fewer than in the same months of 2020`;
    `, 5% more than in July 2021`; "" with nothing to compare with."""
    if not before:
        return ""
    if not coverage.complete:
        change = share_fewer_or_more(now, before)
        than = "as" if change == "about as many" else "than"
        if previous.kind in (Kind.YEAR, Kind.FINANCIAL_YEAR):
            return f", {change} {than} in the same months of {previous.name}"
        words = Coverage(_period_months(previous)[: len(coverage.months)], False).words(previous)
        return f", {change} {than} {words[0].lower()}{words[1:]}"  # "in July 2021"
    if now == before:
        return f", as many as {previous.in_words.lower()}"
    direction = "up" if now > before else "down"
    return f", {direction} from {before:,} {previous.in_words.lower()}"


# --- Drug offences and the impact of Covid ----------------------------------------------------


def _drug_offences(context: Context, annotations, appendix: list[Table]) -> Section:
    period, offences = context.period, context.figures["drug_offences"]
    if "last_month" in offences:
        coverage = _coverage(period, offences["last_month"])
    else:  # figures computed before sources had a last month: the whole period
        coverage = Coverage(_period_months(period), True)
    counts = {month: offences["by_month"].get(month, 0) for month in coverage.months}
    total = sum(counts.values())
    if total:
        earlier = context.earlier("drug_offences", "by_month")
        if coverage.complete:
            before = context.earlier("drug_offences", "total")
        else:
            before = _same_months_before(context, len(coverage.months), earlier)
        sentences = [
            f"{coverage.words(period)}, {plural(total, 'drug offence')} {was(total)} recorded"
            f"{_compared(total, before, coverage, context.before)}."
        ]
        if len(counts) > 1:
            busiest = max(counts.items(), key=lambda item: (item[1], item[0]))
            sentences.append(
                f"The most were recorded in {parse_month(busiest[0]):%B %Y} ({busiest[1]:,})."
            )
    else:
        sentences = [f"{period.in_words}, no drug offences have been recorded yet."]
    trend = context.figures.get("charts", {}).get("drug_offences_by_month", {})
    chart = None
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
            "The appendix gives every month's figure.",
        )
        sentences += _lockdown_sentences(trend, annotations)
        appendix.append(
            Table(
                "drug-offences-by-month",
                caption,
                ["Month", "Drug offences recorded"],
                [[month_in_table(month), count] for month, count in trend.items()],
            )
        )
    return Section("drug_offences", TITLES["drug_offences"], sentences, chart=chart)


def stand_out_months(trend: dict[str, int]) -> list[str]:
    """The months of Figure 1 whose offences stood out: at least 20% above the median
    of the twelve months around them (six each side, fewer at the ends)."""
    months = list(trend)
    values = list(trend.values())
    standing_out = []
    for index, month in enumerate(months):
        around = (
            values[max(0, index - MONTHS_AROUND) : index]
            + values[index + 1 : index + 1 + MONTHS_AROUND]
        )
        if around and values[index] >= STANDS_OUT * statistics.median(around):
            standing_out.append(month)
    return standing_out


def _lowered(name: str) -> str:
    """`First national lockdown` -> `first national lockdown`; `COVID rules` as it is."""
    if len(name) > 1 and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _lockdown_sentences(trend: dict[str, int], annotations) -> list[str]:
    """Figure 1's text: the shaded periods whose months' offences stood out, or that
    none did (only shaded periods within the figure's months are spoken of)."""
    first_day = parse_month(min(trend))
    last_day = month_of(parse_month(max(trend))).end
    shown = [
        (name, start, end)
        for name, start, end in sorted(annotations, key=lambda item: item[1])
        if start <= last_day and end >= first_day
    ]
    if not shown:
        return []
    spikes = [parse_month(month) for month in stand_out_months(trend)]
    during = []
    for name, start, end in shown:
        months = [month for month in spikes if month <= end and month_of(month).end >= start]
        if months:
            during.append((name, start, months))
    if not during:
        return [
            "Figure 1 shows no month of the shaded periods in which recorded offences stood "
            "out from the months around it."
        ]
    name, start, months = during[0]
    sentences = [
        f"When the {_lowered(name)} began in {start:%B %Y}, there was a spike in recorded "
        f"drug offences ({list_in_words(month_runs(months))})."
    ]
    periods = [
        f"the {_lowered(name)} ({list_in_words(month_runs(months))})"
        for name, _start, months in during
    ]
    sentences.append(
        f"Figure 1 shows {'these spikes' if len(during) > 1 else 'this spike'} in recorded "
        f"offences coinciding with {list_in_words(periods)}: months at least "
        f"{STANDS_OUT - 1:.0%} above the usual level of the months around them."
    )
    return sentences


# --- County Lines -----------------------------------------------------------------------------


def _named(counts: dict[str, int]) -> list[str]:
    """The places with at least a tenth of the Lines, most first (the first always)."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    total = sum(counts.values())
    named = [name for name, count in ordered if count >= NAMED_SHARE * total]
    return named or [name for name, _count in ordered[:1]]


def _still_active(still: int, identified: int, verb: str) -> str:
    if not still:
        return f"none of which {verb}"
    only = "only " if still <= ONLY_SHARE * identified else ""
    singular = verb.replace("remain ", "remains ") if still == 1 else verb
    return f"of which {only}{still:,} {singular}"


def _county_lines(context: Context, appendix: list[Table]) -> Section:
    period, lines = context.period, context.figures["lines"]
    identified, still = lines["identified"], lines["identified_still_active"]
    by_area = context.figures.get("charts", {}).get("lines_by_area_and_force", {})
    sentences = []
    if identified:
        places = lines.get("by_origin_place") or lines["by_origin_force"]
        see = " (see figure 2)" if by_area else ""
        sentences.append(
            f"Most Lines originated in {places_in_words(_named(places))}, into "
            f"{list_in_words(_named(lines['by_command_area']))}{see}."
        )
    earlier = context.earlier("lines")
    if earlier and earlier["identified"]:
        count, numbers = earlier["identified"], earlier["numbers_used"]
        using = f", using {plural(numbers, 'different telephone number')}," if numbers else ""
        remained = _still_active(
            earlier["identified_still_active"], count, "remained active by the end of the year"
        )
        sentences.append(
            f"{context.before.in_words}, {plural(count, 'County Line')}{using} "
            f"{was(count)} identified, {remained}."
        )
    if identified:
        sentences.append(
            f"{period.in_words}, {plural(identified, 'County Line')} {was(identified)} "
            f"identified, {_still_active(still, identified, 'remain active')}."
        )
    else:
        sentences.append(f"{period.in_words}, no County Lines were identified.")
    chart = None
    if by_area:
        chart = Chart(
            2,
            f"County Lines identified {period.in_words.lower()} by NYP command area",
            lines_by_area_image(by_area),
            "Stacked bar chart of the County Lines identified per destination command "
            "area, coloured by origin force. The appendix gives the figures.",
        )
        forces = sorted({force for counts in by_area.values() for force in counts})
        appendix.append(
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
    rows = [
        ["Lines identified", identified],
        [f"Of those, active on {day_in_words(context.as_at)}", still],
        ["Telephone numbers they used", lines["numbers_used"]],
        [
            f"Lines active on {day_in_words(period.end)}, whenever identified",
            lines["active_at_end"],
        ],
        ["Lines closed", lines["closed"]],
    ]
    if earlier:
        rows += [
            [f"Lines identified {context.before.in_words.lower()}", earlier["identified"]],
            [
                f"Of those, active on {day_in_words(context.before.end)}",
                earlier["identified_still_active"],
            ],
            ["Telephone numbers they used", earlier["numbers_used"]],
        ]
    appendix.append(Table("county-lines", "County Lines", ["Measure", "Figure"], rows))
    return Section("county_lines", TITLES["county_lines"], sentences, chart=chart)


# --- Enforcement and disruption ---------------------------------------------------------------


def _length(days: int) -> str:
    """`2 weeks` for 14 days, `1 week`, `10 days`."""
    if days % 7 == 0:
        return plural(days // 7, "week")
    return plural(days, "day")


def _busiest_month(by_month: dict[str, int]) -> tuple[datetime.date, int] | None:
    if not by_month:
        return None
    month, count = max(by_month.items(), key=lambda item: (item[1], item[0]))
    return parse_month(month), count


def _enforcement(context: Context, appendix: list[Table]) -> Section:
    period, enforcement = context.period, context.figures["enforcement"]
    sentenced, years = enforcement["persons_sentenced"], enforcement["custody_years"]
    charged, arrests = enforcement["persons_charged"], enforcement["arrests"]
    single_year = period.start.year == period.end.year
    lead = ""
    if sentenced:
        handed = f"handed {over_years(years)} of prison time" if years else "sentenced"
        lead = f"{plural(sentenced, 'individual')} {was(sentenced)} {handed}"
    clauses = []
    busiest = _busiest_month(enforcement.get("persons_charged_by_month") or {})
    if busiest:
        month, count = busiest
        if (period.start.year, period.start.month) == (period.end.year, period.end.month):
            named = ""  # a month's paper: "In October 2021, … 18 charged"
        else:
            named = f"in {month:%B}" if single_year else f"in {month:%B %Y}"
        clauses.append((f"{count:,}", "charged", named))
    operations = [op for op in enforcement.get("intensification") or [] if op["arrests"]]
    with_cash = False
    for operation in operations:
        over_its = f"over {_length(operation['days'])}" if operation["days"] else "during"
        where = f"{over_its} of intensive County Lines disruption ({operation['name']})"
        cash = Decimal(operation["cash_seized_first_week_gbp"])
        if cash:
            with_cash = True
            where += f" in which {over_money(cash)} was seized in the first week alone"
        clauses.append((f"{operation['arrests']:,}", "arrested", where))
    sentences = []
    if lead and clauses:
        rest = list_in_words([" ".join(filter(None, clause)) for clause in clauses])
        sentences.append(f"{period.in_words}, {lead}, with a further {rest}.")
    elif lead:
        sentences.append(f"{period.in_words}, {lead}.")
    elif clauses:
        full = [
            f"{count} {'person was' if count == '1' else 'people were'} {verb} {when}".strip()
            for count, verb, when in clauses
        ]
        sentences.append(f"{period.in_words}, {list_in_words(full)}.")
    in_operations = sum(op["arrests"] for op in operations)
    if arrests > in_operations:
        sentences.append(
            f"In all, {plural(arrests, 'arrest')} {was(arrests)} made {period.in_words.lower()}."
            if in_operations
            else f"{period.in_words}, {plural(arrests, 'arrest')} {was(arrests)} made."
        )
    children = enforcement.get("children_arrested") or 0
    if children:
        sentences.append(
            f"{plural(children, 'child', 'children')} {was(children)} among those "
            "arrested, and safeguarded."
        )
    cash = Decimal(enforcement["cash_seized_gbp"])
    if cash and not with_cash:
        sentences.append(f"{over_money(cash).capitalize()} in cash was seized.")
    if not sentences:
        sentences = [f"{period.in_words}, no arrests, charges, sentences or seizures are recorded."]
    rows = [
        ["Arrests", arrests],
        ["People arrested", enforcement["persons_arrested"]],
        ["People charged", charged],
    ]
    if busiest:
        rows.append([f"People charged in {busiest[0]:%B %Y}", busiest[1]])
    rows += [
        ["People sentenced", sentenced],
        ["Years of custody", years],
        ["Cash seized", money_exact(enforcement["cash_seized_gbp"])],
    ]
    appendix.append(Table("enforcement", "Enforcement results", ["Measure", "Figure"], rows))
    if operations:
        appendix.append(
            Table(
                "intensification-operations",
                "Intensification operations",
                ["Operation", "Started", "Days", "Arrests", "People arrested", "Cash, week 1"],
                [
                    [
                        f"{op['reference']} {op['name']}",
                        op["started_on"],
                        op["days"] or "",
                        op["arrests"],
                        op["persons_arrested"],
                        money_exact(op["cash_seized_first_week_gbp"]),
                    ]
                    for op in operations
                ],
            )
        )
    seizures = enforcement["drug_seizures"]
    if seizures:
        appendix.append(
            Table(
                "drug-seizures",
                "Drugs seized",
                ["Drug", "Seizures", "Grams"],
                [[drug, row["seizures"], row["grams"]] for drug, row in seizures.items()],
            )
        )
    return Section("enforcement", TITLES["enforcement"], sentences)


# --- Funding ----------------------------------------------------------------------------------


def _funding(context: Context, appendix: list[Table]) -> Section:
    by_source = (context.figures.get("funding") or {}).get("by_source") or {}
    amounts = sorted(
        ((source, Decimal(row["gbp"]), row["operations"]) for source, row in by_source.items()),
        key=lambda item: (-item[1], item[0]),
    )
    amounts = [item for item in amounts if item[1]]
    if amounts:
        parts = [
            f"{money(amount)} of {FUNDING_WORDS.get(source, source)}"
            for source, amount, _count in amounts
        ]
        sentences = [
            f"{context.period.in_words}, County Lines operations were funded by "
            f"{list_in_words(parts)}."
        ]
        appendix.append(
            Table(
                "funding",
                "Funding of operations",
                ["Source", "Operations", "Amount"],
                [
                    [FundingSource(source).label, count, money_exact(amount)]
                    for source, amount, count in amounts
                ],
            )
        )
    else:
        sentences = [f"No funding is recorded against the operations of {context.period.name}."]
    return Section("funding", TITLES["funding"], sentences)


# --- Partnership and safeguarding -------------------------------------------------------------


def _safeguarding(context: Context, appendix: list[Table]) -> Section:
    period, figures = context.period, context.figures["safeguarding"]
    opened, closed, still = (
        figures["referrals_opened"],
        figures["referrals_closed"],
        figures["open_at_end"],
    )
    exchanges = figures.get("exchanges_by_agency") or {}
    addresses = figures.get("addresses") or 0
    sentences = []
    if opened or closed or still:
        parts = []
        if opened:
            about = f", about {plural(addresses, 'address', 'addresses')}," if addresses else ""
            parts.append(
                f"{plural(opened, 'cuckooing referral')}{about} {was(opened)} made under the "
                "Blue Guardian principles"
            )
        else:
            parts.append("no new cuckooing referrals were made")
        if closed:
            parts.append(f"{closed:,} {was(closed)} closed")
        sentence = f"{period.in_words}, {' and '.join(parts)}"
        if still:
            sentence += f"; {still:,} {was(still)} open at the end of the period"
        sentences.append(f"{sentence}.")
    else:
        sentences.append(f"{period.in_words}, no cuckooing referrals are recorded.")
    total = sum(exchanges.values())
    if len(exchanges) == 1:
        ((name, count),) = exchanges.items()
        sentences.append(f"{name} shared information with partners {plural(count, 'time')}.")
    elif total:
        agencies = [f"{name} {count:,}" for name, count in _sorted_counts(exchanges)]
        sentences.append(
            f"Partners exchanged information {plural(total, 'time')}: {list_in_words(agencies)}."
        )
    done, overdue = figures.get("actions_done") or 0, figures.get("actions_overdue") or 0
    if done:
        overdue_part = f"; {overdue:,} {was(overdue)} overdue at the end of the period"
        sentences.append(
            f"Partners completed {plural(done, 'safeguarding action')}"
            f"{overdue_part if overdue else ''}."
        )
    elif overdue:
        sentences.append(
            f"{plural(overdue, 'safeguarding action')} {was(overdue)} overdue at the end of "
            "the period."
        )
    appendix.append(
        Table(
            "safeguarding",
            "Cuckooing referrals and the partnership",
            ["Measure", "Figure"],
            [
                ["Referrals made", opened],
                ["Referrals closed", closed],
                ["Open at the end", still],
                ["Addresses referred", addresses],
                *[[f"Information exchanges: {name}", count] for name, count in exchanges.items()],
                ["Actions completed", done],
                ["Actions overdue at the end", overdue],
            ],
        )
    )
    return Section("safeguarding", TITLES["safeguarding"], sentences)


# --- Drug-related deaths ----------------------------------------------------------------------


def _drug_deaths(context: Context, appendix: list[Table]) -> Section:
    period, deaths = context.period, context.figures["drug_deaths"]
    last = deaths.get("last_recorded")
    coverage = _coverage(period, last[:7] if last else None)
    if "by_month" in deaths:
        total = sum(deaths["by_month"].get(month, 0) for month in coverage.months)
    else:  # figures computed before deaths were counted per month: the whole period
        total, coverage = deaths["total"], Coverage(_period_months(period), True)
    if total:
        if coverage.complete:
            before = context.earlier("drug_deaths", "total")
        else:
            before = _same_months_before(
                context, len(coverage.months), context.earlier("drug_deaths", "by_month")
            )
        when = period.in_words.lower() if coverage.complete else coverage.words(period)
        counted = f"{over(total)} drug-related death{'' if total == 1 else 's'}"
        if coverage.complete:
            sentence = f"There {was(total)} {counted} {when}"
        else:
            sentence = f"{when}, there {was(total)} {counted}"
        sentences = [f"{sentence}{_compared(total, before, coverage, context.before)}."]
        top = [name for name, _count in _sorted_counts(deaths["by_substance"])[:2]]
        if top:
            least = min(deaths["by_substance"][name] for name in top)
            sentences.append(
                f"{list_in_words(top)} {'is' if len(top) == 1 else 'are each'} linked to "
                f"{at_least(least)} {'death' if least == 1 else 'deaths'}; many deaths are "
                "linked to several drugs."
            )
    else:
        sentences = [f"No drug-related deaths are recorded {period.in_words.lower()}."]
    if deaths["by_substance"]:
        appendix.append(
            Table(
                "drug-deaths-by-substance",
                f"Drug-related deaths by substance implicated ({deaths['total']:,} deaths)",
                ["Substance", "Deaths"],
                [[name, count] for name, count in _sorted_counts(deaths["by_substance"])],
            )
        )
    return Section("drug_deaths", TITLES["drug_deaths"], sentences)


# --- Drugs strategy ---------------------------------------------------------------------------


def _strategy(context: Context, appendix: list[Table]) -> Section:
    enforcement = context.figures["enforcement"]
    tests = sum((enforcement.get("drug_tests") or {}).values())
    sentences = []
    if tests:
        share = enforcement.get("drug_tests_positive_share") or 0
        referrals = enforcement.get("treatment_referrals") or 0
        referred = (
            f"; {plural(referrals, 'person', 'people')} {was(referrals)} referred for treatment"
            if referrals
            else ""
        )
        sentences.append(
            f"{context.period.in_words}, {plural(tests, 'person', 'people')} {was(tests)} "
            f"drug tested on arrest, {share:.0%} of them positive{referred}."
        )
    return Section("strategy", TITLES["strategy"], sentences)


def _sorted_counts(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def table_named(sections: list[Section], name: str) -> Table | None:
    for section in sections:
        for table in section.tables:
            if table.name == name:
                return table
    return None
