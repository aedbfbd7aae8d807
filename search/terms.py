"""What a search box's text may be: a reference, a name or alias, a phone number (whole or
part), a postcode or a street. Worked out once; each source asks what it needs."""

import re
from dataclasses import dataclass

from core.references import reference_key
from lines.phone import number_search_term
from persons.names import name_key

_WORD_SEPARATORS = re.compile(r"[\s\-]+")
# A whole postcode (`YO1 7HH`) or its outward part (`YO1`, `LS11`), written without spaces.
_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?([0-9][A-Z]{2})?")
# Shorter text would match most of every table, to no one's use.
SHORTEST = 2


@dataclass(frozen=True)
class SearchTerms:
    text: str  # as typed, trimmed
    reference: str  # its reference key (core.references): a reference anywhere in it
    name: str  # its name key (persons.names): the name or alias, in part
    words: tuple[str, ...]  # the name key of each word: each to match a word of a name
    number: tuple[str, str] | None  # ("number", E.164) or ("part", digits), or None
    postcode: str  # `YO17HH` or `YO1` when it looks like a postcode or its outward part
    postcode_whole: bool

    @property
    def reference_like(self) -> bool:
        """One word of letters and digits (`CL-2024-017`): a reference, not a street."""
        return " " not in self.text and any(c.isdigit() for c in self.text)

    @property
    def street(self) -> str:
        """Text to look for in an address: anything with a letter in it."""
        return self.text if any(c.isalpha() for c in self.text) else ""


def search_terms(text: str) -> SearchTerms:
    text = " ".join((text or "").split())
    compact = text.replace(" ", "").upper()
    postcode = _POSTCODE.fullmatch(compact)
    return SearchTerms(
        text=text,
        reference=reference_key(text),
        name=name_key(text),
        words=tuple(w for w in (name_key(part) for part in _WORD_SEPARATORS.split(text)) if w),
        number=number_search_term(text),
        postcode=compact if postcode else "",
        postcode_whole=bool(postcode and postcode.group(1)),
    )
