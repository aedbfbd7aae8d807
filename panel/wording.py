"""How a paper for the Panel writes its figures: rounded down the way reports round
("over 90 deaths", "over £10,000", "over 100 years", "at least 20"), money without
pence, months as tables write them ("Nov 2018"), lists of places in words ("Merseyside,
Manchester, West and South Yorkshire, and London"). The exact figure goes in the
appendix table; the text rounds, in one place, here.
"""

import datetime
from decimal import ROUND_FLOOR, Decimal

# Below this a figure is written as it is: "over 10" of 14 says less than 14.
EXACT_BELOW = 20


def round_down(value: int | float | Decimal) -> int:
    """The round figure a report quotes for `value`, never more than it: one significant
    figure (94 -> 90, 28 -> 20, 103 -> 100), two when the first is a 1 (1,725 -> 1,700,
    10,840 -> 10,000, 147 -> 140); figures under 20 as they are (whole)."""
    whole = int(Decimal(str(value)).to_integral_value(rounding=ROUND_FLOOR))
    if whole < EXACT_BELOW:
        return whole
    digits = len(str(whole))
    significant = 2 if str(whole)[0] == "1" else 1
    step = 10 ** (digits - significant)
    return whole // step * step


def _over(value: int | float | Decimal, written) -> str:
    rounded = round_down(value)
    if Decimal(str(value)) == rounded:
        return written(rounded)
    return f"over {written(rounded)}"


def over(value: int | float | Decimal) -> str:
    """`over 90` for 94, `90` for 90, `14` for 14: the text's figure."""
    return _over(value, lambda figure: f"{figure:,}")


def at_least(value: int) -> str:
    """`at least 20` for 28: a floor the figure cannot fall below."""
    return f"at least {round_down(value):,}"


def money(value: Decimal | str) -> str:
    """`£60,000`: pounds without pence, rounded down (the text never claims a penny more)."""
    pounds = Decimal(value).to_integral_value(rounding=ROUND_FLOOR)
    return f"£{pounds:,.0f}"


def money_exact(value: Decimal | str) -> str:
    """`£11,710.00`: the appendix table's figure."""
    return f"£{Decimal(value):,.2f}"


def over_money(value: Decimal | str) -> str:
    """`over £10,000` for £10,840.00; `£10,000` for exactly that."""
    return _over(Decimal(value), lambda figure: f"£{figure:,}")


def over_years(years: float) -> str:
    """`over 100 years` for 103.0; `1 year`; `0.5 years` (under a year, as it is)."""
    if years < 1:
        return f"{years:g} years"
    text = over(years)
    return f"{text} year" if text == "1" else f"{text} years"


def month_in_table(key: str) -> str:
    """`Nov 2018` for the month `2018-11`."""
    return f"{datetime.date(int(key[:4]), int(key[5:7]), 1):%b %Y}"


def months_in_words(first: datetime.date, last: datetime.date) -> str:
    """`January and October 2021` style bounds of a run of months, as in "Between
    January and October 2021"; `November 2020 and March 2021` across a year."""
    if first.year == last.year:
        return f"{first:%B} and {last:%B %Y}"
    return f"{first:%B %Y} and {last:%B %Y}"


def _index(month: datetime.date) -> int:
    return month.year * 12 + month.month


def month_runs(months: list[datetime.date]) -> list[str]:
    """Consecutive months joined: [Mar, Apr, May 2020, Nov 2020] -> `March to May 2020`,
    `November 2020`."""
    runs: list[list[datetime.date]] = []
    for month in sorted(months):
        previous = runs[-1][-1] if runs else None
        if previous and _index(month) - _index(previous) == 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    words = []
    for run in runs:
        first, last = run[0], run[-1]
        if first == last:
            words.append(f"{first:%B %Y}")
        elif first.year == last.year:
            words.append(f"{first:%B} to {last:%B %Y}")
        else:
            words.append(f"{first:%B %Y} to {last:%B %Y}")
    return words


def list_in_words(names: list[str]) -> str:
    """`A`, `A and B`, `A, B and C`; with a serial comma when an item has an "and" of its
    own: `Merseyside, West and South Yorkshire, and London`."""
    if len(names) <= 1:
        return "".join(names)
    last = " and " + names[-1]
    if any(" and " in name for name in names):
        last = "," + last
    return ", ".join(names[:-1]) + last


def places_in_words(places: list[str]) -> str:
    """Places listed most frequent first, those sharing a last word joined where the
    first of them stands: [Merseyside, Manchester, West Yorkshire, London, South
    Yorkshire] -> `Merseyside, Manchester, West and South Yorkshire, and London`."""
    groups: list[list[str]] = []
    by_last_word: dict[str, list[str]] = {}
    for place in places:
        words = place.split()
        key = words[-1] if len(words) > 1 else None
        if key and key in by_last_word:
            by_last_word[key].append(place)
            continue
        group = [place]
        groups.append(group)
        if key:
            by_last_word[key] = group
    items = []
    for group in groups:
        if len(group) == 1:
            items.append(group[0])
        else:
            last_word = group[0].split()[-1]
            firsts = [place.rsplit(" ", 1)[0] for place in group]
            items.append(f"{list_in_words(firsts)} {last_word}")
    return list_in_words(items)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """`1 County Line`, `26 County Lines`, with thousands separators."""
    word = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count:,} {word}"


def was(count: int) -> str:
    return "was" if count == 1 else "were"


def share_fewer_or_more(now: int, before: int) -> str:
    """`12% fewer`, `5% more`, `as many`: a change against `before` (> 0)."""
    change = round((now - before) * 100 / before)
    if change == 0:
        return "about as many"
    return f"{abs(change)}% {'more' if change > 0 else 'fewer'}"
