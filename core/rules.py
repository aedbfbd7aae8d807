"""Rules every kind of record shares, worded once (each app's `rules` module builds on them)."""

import datetime
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.dateformat import format as format_date


def day_in_words(day: datetime.date) -> str:
    """`1 March 2021`, as messages quote a date."""
    return format_date(day, "j F Y")


def period_problems(
    *,
    start: datetime.date | None,
    end: datetime.date | None,
    end_field: str,
    start_label: str,
    end_label: str,
) -> dict[str, str]:
    """A period ends on or after its start: `The date last used must be on or after the
    date first used (1 March 2021)`. An open period (no end) always keeps the rule."""
    if start and end and end < start:
        return {
            end_field: f"The {end_label} must be on or after the {start_label} "
            f"({day_in_words(start)})"
        }
    return {}


# No record of the service is dated before this, nor more than this many years ahead (a
# review date): a year outside is a typing mistake (0201 for 2021), in a form or a file.
EARLIEST_DATE = datetime.date(1900, 1, 1)
YEARS_AHEAD = 30


def latest_date(today: datetime.date) -> datetime.date:
    return datetime.date(today.year + YEARS_AHEAD, 12, 31)


def future_problems(
    *, today: datetime.date, dates: dict[str, tuple[datetime.date | None, str]]
) -> dict[str, str]:
    """What has happened cannot be dated after today: `dates` maps each field to its
    value and its name in a sentence (`{"closed_on": (day, "date closed")}`)."""
    return {
        name: f"The {label} must be today or in the past"
        for name, (day, label) in dates.items()
        if day is not None and day > today
    }


# --- Hidden characters ----------------------------------------------------------------------
#
# A name, an alias or a reference must look like what it is. Some characters show as nothing
# or change how the text around them is shown: a bidirectional control (U+202A–U+202E,
# U+2066–U+2069) makes `Smith` display as another name; a zero-width space or joiner
# (U+200B–U+200D) or a byte-order mark (U+FEFF) makes two names that look the same differ,
# so that a search, a duplicate check or a reader misses one. Wherever such text comes in
# (forms, imports, the admin site), this one rule refuses them.

# Controls, formats (the above, soft hyphens, word joiners, the other directional marks),
# surrogates, private use, unassigned code points, line and paragraph separators.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# Characters drawn as nothing that are not of those categories: the Hangul fillers (no
# name is written with one on its own), the combining grapheme joiner, the Khmer inherent
# vowels, the Mongolian and the other variation selectors (Unicode's default-ignorable code
# points of category Mn), and the blank braille pattern, which looks like a space.
_BLANK_CHARACTERS = frozenset(
    "\u115f\u1160\u3164\uffa0\u034f\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800"
    + "".join(chr(code) for code in range(0xFE00, 0xFE10))
    + "".join(chr(code) for code in range(0xE0100, 0xE01F0))
)
_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")  # split on, it keeps them: as they were typed
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


def is_hidden(character: str) -> bool:
    """Whether `character` shows as nothing or changes how the text around it is shown."""
    return character in _BLANK_CHARACTERS or unicodedata.category(character) in _HIDDEN_CATEGORIES


def has_hidden_character(text: str) -> bool:
    """The rule: whether any character of `text` `is_hidden`."""
    if text.isascii():
        return not text.isprintable()  # ASCII's only hidden characters are its controls
    return any(is_hidden(character) for character in text)


def hidden_character_message(what: str, *, plural: bool = False) -> str:
    """`The surname contains a hidden character, such as a right-to-left mark. Type it
    again, without copying it` for `what="the surname"`."""
    subject = what[:1].upper() + what[1:]
    verb, it = ("contain", "them") if plural else ("contains", "it")
    return (
        f"{subject} {verb} a hidden character, such as a right-to-left mark. "
        f"Type {it} again, without copying {it}"
    )


@dataclass(frozen=True)
class Name:
    """A field that holds a name or an alias, and what messages call it: `Name("the
    surname")`, `Name("the forenames", plural=True)`. A field of one alias a line is
    `Name("the alias", one_per_line=True)`: its message says which alias."""

    what: str
    plural: bool = False
    one_per_line: bool = False

    def normal(self, text: str) -> str:
        """The name as it is kept: trimmed, each run of spaces, tabs, line breaks or
        no-break spaces made one space (line by line in a field of one alias a line), so
        that it displays as it is matched. What a person types or a file holds goes
        through this first."""
        if not self.one_per_line:
            return " ".join(text.split())
        parts = _LINE_BREAK.split(text.strip())
        return "".join(
            part if index % 2 else " ".join(part.split()) for index, part in enumerate(parts)
        )

    def problem(self, text: str | None) -> str:
        """Why `text` cannot be this name (it holds a hidden character), or ""."""
        text = text or ""
        between_lines = _LINE_BREAK.sub("", text) if self.one_per_line else text
        if not has_hidden_character(between_lines):
            return ""  # the usual case, in one pass
        if not self.one_per_line:
            return hidden_character_message(self.what, plural=self.plural)
        entries = [entry for entry in _LINE_BREAK.split(text)[::2] if entry.strip()]
        for number, entry in enumerate(entries, start=1):
            if has_hidden_character(entry):
                what = self.what if len(entries) == 1 else _nth(self.what, number)
                return hidden_character_message(what, plural=self.plural)
        # Only in a line of nothing but spaces and such (a lone U+2028): not one alias.
        return hidden_character_message(self.what, plural=self.plural)


def _nth(what: str, number: int) -> str:
    """`the alias`, 2 -> `the second alias`; from the ninth on, `alias 9`."""
    noun = what.removeprefix("the ")
    if number <= len(_ORDINALS):
        return f"the {_ORDINALS[number - 1]} {noun}"
    return f"{noun} {number}"


def name_problems(names: Mapping[str, tuple[Name, str | None]]) -> dict[str, str]:
    """`{field: message}` for each name field holding a hidden character:
    `name_problems({"surname": (SURNAME, surname)})`, as the apps' other rules."""
    problems = {}
    for field, (name, text) in names.items():
        problem = name.problem(text)
        if problem:
            problems[field] = problem
    return problems
