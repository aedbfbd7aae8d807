"""What the search box finds for a user: each source they may use, best first."""

from dataclasses import dataclass

from accounts.models import User
from accounts.permissions import user_can

from .sources import SHOWN, SOURCES, Found, Source
from .terms import SearchTerms, search_terms


@dataclass(frozen=True)
class KindFound:
    source: Source
    found: list[Found]  # best first, at most SHOWN
    more: bool  # more were found than are shown


@dataclass(frozen=True)
class SearchOutcome:
    terms: SearchTerms
    kinds: list[KindFound]  # every source the user may use, in SOURCES' order

    @property
    def total(self) -> int:
        return sum(len(kind.found) for kind in self.kinds)

    @property
    def whole_number(self) -> str:
        """The E.164 form of a whole number typed, else ""."""
        number = self.terms.number
        return number[1] if number is not None and number[0] == "number" else ""


def sources_for(user: User) -> list[Source]:
    """The kinds of record `user` may search: none for a user who may see none of them."""
    return [source for source in SOURCES if user_can(user, source.capability)]


def search_everything(*, user: User, text: str) -> SearchOutcome:
    """Every record `user` may see that `text` names, grouped by kind."""
    terms = search_terms(text)
    kinds = []
    for source in sources_for(user):
        found = source.find(user, terms)
        kinds.append(KindFound(source=source, found=found[:SHOWN], more=len(found) > SHOWN))
    return SearchOutcome(terms=terms, kinds=kinds)
