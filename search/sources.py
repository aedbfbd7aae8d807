"""The kinds of record the search box looks through: one `Source` each.

Each source reads through its app's selector of what the user may see (`visible_lines`,
`visible_persons`, `visible_records`, `visible_referrals`), so the search shows nothing
a list would not, and answers with `Found` records, best first, each saying what
matched. A kind to come (call data, arrests) is one more entry in `SOURCES`: a finder of
a bounded number of queries whatever the number of rows or results.

The queries ask for no order: a search of rare words then reads each table once,
front to back, and one of common words stops at the first few (sorting every Smith
would cost more than the search). Which of many equal matches are shown does not
matter; they are listed best first, then by title (`best`), and "more" says there are
others.
"""

from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Length, Replace, Upper
from django.urls import reverse

from accounts.models import User
from accounts.permissions import Capability
from lines.models import Line, LineNumber, PhoneNumber
from lines.phone import national_format
from lines.selectors import visible_lines
from operations.models import Operation
from operations.selectors import visible_records
from persons.models import Person, PersonAddress, PersonNumber
from persons.names import SWAP_LETTERS, name_key, name_words, one_typo_apart, typo_variants
from persons.selectors import looked_up_in_the_index, visible_persons, with_a_word_among
from safeguarding.selectors import visible_referrals

from .terms import SearchTerms

# The records shown of each kind; more are there to be found in its list.
SHOWN = 10
# Rows read to find the people one typo away, confirmed in Python: the lookup finds only
# words one typo away, so nearly every row read is shown; a bound on the work whatever
# the data.
TYPO_CANDIDATES = 50
# Numbers read to find those used by what the user may see.
NUMBER_CANDIDATES = 50
# Fewer letters of a street would match most addresses.
STREET_LETTERS = 3


class Rank:
    """Best first: what the user typed is the record's own, then part of it, then close."""

    EXACT = 0
    PART = 1
    CLOSE = 2


@dataclass(frozen=True)
class Found:
    key: int  # the record's primary key: a record found twice is listed once, at its best
    title: str
    url: str
    matched: str  # what matched, in words: "Reference", "Alias: Smudge", "Number 07700 900664"
    rank: int
    detail: str = ""


@dataclass(frozen=True)
class Source:
    kind: str
    title: str
    capability: Capability
    find: Callable[[User, SearchTerms], list[Found]]
    # The kind's list, filtered by the same text (the term held): where "more" leads.
    list_url: str = ""
    list_parameter: str = ""


def best(found: Iterable[Found]) -> list[Found]:
    """Each record once, at its best match; best first, then by title."""
    kept: dict[int, Found] = {}
    for each in found:
        if each.key not in kept or each.rank < kept[each.key].rank:
            kept[each.key] = each
    return sorted(kept.values(), key=lambda each: (each.rank, each.title))


def _numbers(terms: SearchTerms) -> Q | None:
    """The phone numbers the text names: the one whole number, or those containing it."""
    if terms.number is None:
        return None
    kind, value = terms.number
    return Q(e164=value) if kind == "number" else Q(e164__contains=value)


def _number_matched(number: PhoneNumber, terms: SearchTerms) -> tuple[str, int]:
    whole = terms.number is not None and terms.number[0] == "number"
    return f"Number {number.national}", Rank.EXACT if whole else Rank.PART


def _by_number(uses: QuerySet, owner: str, terms: SearchTerms) -> list[tuple[Any, str, int]]:
    """The records (the `owner` of each of `uses`) that used the number typed, or a
    number containing it, with what matched."""
    numbers = _numbers(terms)
    if numbers is None:
        return []
    used = (
        uses.filter(number__in=PhoneNumber.objects.filter(numbers))
        .select_related(owner, "number")
        .order_by()[: SHOWN + 1]
    )
    return [(getattr(use, owner), *_number_matched(use.number, terms)) for use in used]


def _by_reference_or_name(
    records: QuerySet, terms: SearchTerms, *, name: str
) -> list[tuple[Any, str, int]]:
    """The records (with a reference and a `name`) whose reference or name holds the
    text, with what matched: `name` says what their name is called."""
    text = Q(reference_key__contains=terms.reference) | Q(name__icontains=terms.text)
    matches = []
    for record in records.filter(text).order_by()[: SHOWN + 1]:
        if record.reference_key == terms.reference:
            matched, rank = "Reference", Rank.EXACT
        elif terms.reference in record.reference_key:
            matched, rank = "Reference, in part", Rank.PART
        else:
            exact = record.name.casefold() == terms.text.casefold()
            matched, rank = name, Rank.EXACT if exact else Rank.PART
        matches.append((record, matched, rank))
    return matches


def at_address(queryset: QuerySet, terms: SearchTerms) -> QuerySet | None:
    """The records of `queryset` (with `postcode` and `address` fields) at the postcode
    typed (whole, or its outward part: `YO1` is not `YO10`) or with the text in their
    address; None for text that could be neither (a reference or a postcode is in no
    street)."""
    condition = Q()
    if terms.postcode:
        queryset = queryset.annotate(
            postcode_compact=Replace(Upper("postcode"), Value(" "), Value(""))
        )
        if terms.postcode_whole:
            condition |= Q(postcode_compact=terms.postcode)
        else:  # an outward code is followed by an inward one of 3 characters
            queryset = queryset.annotate(postcode_length=Length("postcode_compact"))
            condition |= Q(postcode_compact__startswith=terms.postcode) & Q(
                postcode_length=len(terms.postcode) + 3
            )
    if len(terms.street) >= STREET_LETTERS and not terms.postcode and not terms.reference_like:
        condition |= Q(address__icontains=terms.street)
    return queryset.filter(condition) if condition else None


def _address_matched(address: str, postcode: str, terms: SearchTerms) -> tuple[str, int]:
    compact = postcode.replace(" ", "").upper()
    words = ", ".join(part for part in ([*address.splitlines()[:1], postcode]) if part.strip())
    if terms.postcode and compact == terms.postcode:
        return f"Postcode: {words}", Rank.EXACT
    if terms.postcode and compact.startswith(terms.postcode):
        return f"Postcode area: {words}", Rank.PART
    return f"Address: {words}", Rank.PART


# --- Lines ----------------------------------------------------------------------------------


def find_lines(user: User, terms: SearchTerms) -> list[Found]:
    lines = visible_lines(user=user)
    found = [
        _line_found(line, matched, rank)
        for line, matched, rank in _by_reference_or_name(lines, terms, name="Brand name")
    ]
    for line, matched, rank in _by_number(LineNumber.objects.filter(line__in=lines), "line", terms):
        found.append(_line_found(line, matched, rank))
    return best(found)


def _line_found(line: Line, matched: str, rank: int) -> Found:
    return Found(
        key=line.pk,
        title=f"{line.reference} {line.name}",
        url=line.get_absolute_url(),
        matched=matched,
        rank=rank,
        detail=line.status.label,
    )


# --- People ---------------------------------------------------------------------------------


def find_people(user: User, terms: SearchTerms) -> list[Found]:
    """By reference, name or alias (whole words first, from an index; then part of a
    name, read from every row; then one typo, from the index again), number and
    address. A stage is left out once those before it fill the page: what it would
    find ranks below what is there."""
    people = visible_persons(user=user).order_by()
    found: list[Found] = []

    def page_filled() -> bool:
        return len({each.key for each in found}) > SHOWN

    whole = Q(reference_key=terms.reference)
    if terms.words and all(len(word) >= SWAP_LETTERS for word in terms.words):
        words = Q()
        for word in terms.words:  # every word typed is a word of the name, whole
            words &= with_a_word_among([word])
        whole |= words
    stages = [whole, Q(reference_key__contains=terms.reference)]
    if terms.name:
        stages[1] |= Q(names_key__contains=terms.name)
    for stage, indexed in zip(stages, (True, False), strict=True):
        if not page_filled():
            matching = people.filter(stage)
            with looked_up_in_the_index() if indexed else nullcontext():
                for person in matching[: SHOWN + 1]:
                    found.append(_person_found(person, *_person_matched(person, terms)))
    # Names are letters: a word with a digit has no typo to look for.
    long_words = [word for word in terms.words if word.isalpha() and typo_variants(word)]
    if long_words and not page_filled():
        close = Q()
        for word in long_words:  # every word typed is close to a word of the names
            close &= with_a_word_among(typo_variants(word))
        with looked_up_in_the_index():
            candidates = list(people.filter(close)[:TYPO_CANDIDATES])
        for person in candidates:
            if matched := _typo_matched(person, terms.words):
                found.append(_person_found(person, matched, Rank.CLOSE))
    uses = PersonNumber.objects.filter(person__in=visible_persons(user=user))
    for person, matched, rank in _by_number(uses, "person", terms):
        found.append(_person_found(person, matched, rank))
    addresses = at_address(
        PersonAddress.objects.filter(person__in=visible_persons(user=user)), terms
    )
    if addresses is not None:
        for address in addresses.select_related("person").order_by()[: SHOWN + 1]:
            at = _address_matched(address.address, address.postcode, terms)
            found.append(_person_found(address.person, *at))
    return best(found)


def _person_found(person: Person, matched: str, rank: int) -> Found:
    born = f"born {person.date_of_birth:%-d %B %Y}" if person.date_of_birth else ""
    return Found(
        key=person.pk,
        title=f"{person.reference} {person.full_name}",
        url=person.get_absolute_url(),
        matched=matched,
        rank=rank,
        detail=born,
    )


def _person_matched(person: Person, terms: SearchTerms) -> tuple[str, int]:
    if person.reference_key == terms.reference:
        return "Reference", Rank.EXACT
    name = name_key(f"{person.forenames}{person.surname}")
    reversed_name = name_key(f"{person.surname}{person.forenames}")
    whole_words = terms.words and set(terms.words) <= set(
        name_words(person.surname, person.forenames)
    )
    if terms.name and (terms.name in (name, reversed_name) or whole_words):
        return "Name", Rank.EXACT
    if terms.name and (terms.name in name or terms.name in reversed_name):
        return "Name, in part", Rank.PART
    for alias in person.alias_list:
        if terms.name and terms.name in name_key(alias):
            exact = terms.name == name_key(alias)
            return f"Alias: {alias}", Rank.EXACT if exact else Rank.PART
    return "Reference, in part", Rank.PART


def _typo_matched(person: Person, typed: tuple[str, ...]) -> str:
    """What a person found by the typo keys was found by, once confirmed: each word typed
    is a word of their name (or of one alias), the beginning of one, or one typo from one
    (persons.names.one_typo_apart); "" when the keys met by chance."""
    names = [("Name", name_words(person.surname, person.forenames))]
    names += [(f"Alias: {alias}", name_words(alias)) for alias in person.alias_list]
    for label, words in names:
        typos = 0
        for word in typed:
            if any(their.startswith(word) for their in words):
                continue
            if not any(one_typo_apart(word, their) for their in words):
                break
            typos += 1
        else:
            return f"{label} (spelt one letter differently)" if typos else label
    return ""


# --- Numbers --------------------------------------------------------------------------------


def find_numbers(user: User, terms: SearchTerms) -> list[Found]:
    """The numbers the text names, used by a line or a person the user may see: each
    leads to the number search, which lists its uses."""
    numbers = _numbers(terms)
    if numbers is None:
        return []
    # The numbers first (the `LIKE '%digits%'` scan is most of the time), then which of
    # them a line or a person the user may see used, by their ids.
    candidates = list(PhoneNumber.objects.filter(numbers).order_by("e164")[:NUMBER_CANDIDATES])
    ids = [number.pk for number in candidates]
    lines = LineNumber.objects.filter(number_id__any=ids, line__in=visible_lines(user=user))
    people = PersonNumber.objects.filter(number_id__any=ids, person__in=visible_persons(user=user))
    used = {*lines.values_list("number_id", flat=True), *people.values_list("number_id", flat=True)}
    found = []
    for number in [number for number in candidates if number.pk in used][: SHOWN + 1]:
        _matched, rank = _number_matched(number, terms)
        found.append(
            Found(
                key=number.pk,
                title=number.national or national_format(number.e164),
                url=reverse("lines:number_search_for", args=[number.pk]),
                matched="Whole number" if rank == Rank.EXACT else "Contains the digits",
                rank=rank,
            )
        )
    return best(found)


# --- Operations -----------------------------------------------------------------------------


def find_operations(user: User, terms: SearchTerms) -> list[Found]:
    operations = visible_records(Operation, user=user)
    found = []
    for operation, matched, rank in _by_reference_or_name(operations, terms, name="Name"):
        found.append(
            Found(
                key=operation.pk,
                title=f"{operation.reference} {operation.name}",
                url=operation.get_absolute_url(),
                matched=matched,
                rank=rank,
                detail=f"from {operation.started_on:%-d %B %Y}",
            )
        )
    return best(found)


# --- Referrals ------------------------------------------------------------------------------


def find_referrals(user: User, terms: SearchTerms) -> list[Found]:
    """Cuckooing referrals by reference, postcode or street: a partner's own scope
    (`visible_referrals`: those shared with their agency), like every other page."""
    referrals = visible_referrals(user=user)
    found = []
    by_reference = referrals.filter(reference_key__contains=terms.reference)
    by_address = at_address(referrals, terms)
    for query in (by_reference, by_address):
        if query is None:
            continue
        for referral in query.order_by()[: SHOWN + 1]:
            if query is by_reference:
                exact = referral.reference_key == terms.reference
                matched, rank = (
                    ("Reference", Rank.EXACT) if exact else ("Reference, in part", Rank.PART)
                )
            else:
                matched, rank = _address_matched(referral.address, referral.postcode, terms)
            found.append(
                Found(
                    key=referral.pk,
                    title=f"{referral.reference} {referral.address_in_one_line}",
                    url=referral.get_absolute_url(),
                    matched=matched,
                    rank=rank,
                    detail=referral.status,
                )
            )
    return best(found)


SOURCES: tuple[Source, ...] = (
    Source("lines", "Lines", Capability.VIEW_LINES, find_lines, "lines:line_list", "q"),
    Source("people", "People", Capability.VIEW_PERSONS, find_people, "persons:person_list", "q"),
    Source("numbers", "Phone numbers", Capability.VIEW_LINES, find_numbers),
    Source("operations", "Operations", Capability.VIEW_OPERATIONS, find_operations),
    Source(
        "referrals",
        "Cuckooing referrals",
        Capability.VIEW_SAFEGUARDING,
        find_referrals,
        "safeguarding:referral_list",
        "search",
    ),
)
