"""Numbers: looked up whole or by part, and their uses by other lines."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Q

from accounts.access import get_record_for_user
from accounts.models import User
from accounts.permissions import changeable_by, visible_to

from ..models import Line, LineNumber, PhoneNumber
from ..phone import national_format, normalise_number
from .records import visible_lines


@dataclass
class NumberLookup:
    """What is known about a number typed in any spelling."""

    text: str
    e164: str = ""
    error: str = ""
    number: PhoneNumber | None = None
    uses: list[LineNumber] = field(default_factory=list)
    # The people recorded as using it (`persons`), for those who may see people.
    person_uses: list = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return bool(self.e164)

    @property
    def is_known(self) -> bool:
        return bool(self.uses or self.person_uses)

    @property
    def national(self) -> str:
        return national_format(self.e164) if self.e164 else ""


def get_number_for_user(user: User, pk: int | str) -> PhoneNumber:
    """The number `pk` if `user` may see lines (numbers are police intelligence), else 404."""
    return get_record_for_user(user, PhoneNumber.objects.all(), pk)


def number_lookup(*, user: User, text: str) -> NumberLookup:
    """Every line `user` may see that used the number `text` (any spelling), and when;
    and every person, for a user who may see people."""
    lookup = NumberLookup(text=(text or "").strip())
    try:
        lookup.e164 = normalise_number(lookup.text)
    except ValidationError as error:
        lookup.error = error.messages[0]
        return lookup
    lookup.number = PhoneNumber.objects.filter(e164=lookup.e164).first()
    if lookup.number is not None:
        lookup.uses = list(
            LineNumber.objects.filter(number=lookup.number, line__in=visible_lines(user=user))
            .select_related("line", "line__origin_force", "number")
            .order_by("-attributed_from", "line__reference")
        )
        person_uses = lookup.number.person_numbers.select_related("person")
        lookup.person_uses = list(
            visible_to(user, person_uses).order_by("-used_from", "person__reference")
        )
    return lookup


@dataclass
class NumberPart:
    """The numbers, used by lines `user` may see (or by people, for those who may see
    them), whose digits contain `digits`: each with its uses, by lines and by people."""

    digits: str
    numbers: list[tuple[PhoneNumber, list[LineNumber]]] = field(default_factory=list)
    more: bool = False  # more numbers than listed
    # The people's uses of each listed number, by its id.
    person_uses: dict[int, list] = field(default_factory=dict)


PART_LIMIT = 50


def number_part_lookup(*, user: User, digits: str) -> NumberPart:
    """The numbers containing `digits`, first by E.164, with their uses. The numbers are
    found once (the `LIKE '%digits%'` scan is most of the search's time), their uses by
    their ids; a number none of whose uses the user may see is not listed."""
    found = NumberPart(digits=digits)
    numbers = list(
        PhoneNumber.objects.filter(e164__contains=digits).order_by("e164")[: PART_LIMIT * 4]
    )
    ids = [number.pk for number in numbers]
    by_number: dict[int, list[LineNumber]] = {}
    uses = (
        LineNumber.objects.filter(number_id__any=ids, line__in=visible_lines(user=user))
        .select_related("line")
        .order_by("-attributed_from", "pk")
    )
    for use in uses:
        by_number.setdefault(use.number_id, []).append(use)
    # The persons app's model, by name: persons depends on lines, not the other way.
    person_numbers = apps.get_model("persons", "PersonNumber")
    person_uses = visible_to(user, person_numbers.objects.filter(number_id__any=ids))
    for person_use in person_uses.select_related("person").order_by("-used_from", "pk"):
        found.person_uses.setdefault(person_use.number_id, []).append(person_use)
    shown = [n for n in numbers if n.pk in by_number or n.pk in found.person_uses]
    found.more = len(shown) > PART_LIMIT or len(numbers) == PART_LIMIT * 4
    found.numbers = [(number, by_number.get(number.pk, [])) for number in shown[:PART_LIMIT]]
    return found


def number_uses_elsewhere(*, user: User, line: Line, e164: str) -> list[LineNumber]:
    """The attributions of the number `e164` to lines other than `line`, newest first."""
    return list(
        LineNumber.objects.filter(number__e164=e164, line__in=visible_lines(user=user))
        .exclude(line=line)
        .select_related("line", "number")
        .order_by("-attributed_from", "line__reference")
    )


def number_in_use_elsewhere(
    *, user: User, line: Line, number: PhoneNumber, since: datetime.date
) -> list[LineNumber]:
    """The attributions of `number` to lines other than `line`, which `user` may change,
    still in use on `since` (no end recorded, or an end on or after it)."""
    uses = LineNumber.objects.filter(
        number=number, line__in=changeable_by(user, Line.objects.all())
    ).exclude(line=line)
    return list(
        uses.filter(Q(attributed_to__isnull=True) | Q(attributed_to__gte=since))
        .select_related("line", "number")
        .order_by("attributed_from", "line__reference")
    )


def overlapping_attribution(
    *,
    line: Line,
    number: PhoneNumber,
    attributed_from: datetime.date,
    attributed_to: datetime.date | None,
    exclude_pk: int | None = None,
) -> LineNumber | None:
    """An attribution of `number` to `line` whose period overlaps the one given, if any."""
    existing = LineNumber.objects.filter(line=line, number=number).select_related("line", "number")
    if exclude_pk is not None:
        existing = existing.exclude(pk=exclude_pk)
    for attribution in existing:
        if attribution.overlaps(attributed_from, attributed_to):
            return attribution
    return None


def overlapping_use(
    *,
    line: Line,
    e164: str,
    attributed_from: datetime.date,
    attributed_to: datetime.date | None,
) -> LineNumber | None:
    """This line's own use of the number `e164` that overlaps the period given, if any."""
    number = PhoneNumber.objects.filter(e164=e164).first()
    if number is None:
        return None
    return overlapping_attribution(
        line=line, number=number, attributed_from=attributed_from, attributed_to=attributed_to
    )


def numbers_attributions(
    *, e164s: Iterable[str], user: User | None = None
) -> dict[str, list[LineNumber]]:
    """The attributions to lines of each number in `e164s` (E.164), oldest first, by number:
    those to lines `user` may see, or to every line when no user is given (a command run
    on the server). A number no line used is left out. One query whatever the numbers."""
    uses = LineNumber.objects.filter(number__e164__in=list(e164s))
    if user is not None:
        uses = uses.filter(line__in=visible_lines(user=user))
    by_number: dict[str, list[LineNumber]] = {}
    for use in uses.select_related("line", "number").order_by(
        "attributed_from", "line__reference", "pk"
    ):
        by_number.setdefault(use.number.e164, []).append(use)
    return by_number


def lines_numbers(*, lines: Iterable[Line]) -> list[str]:
    """The numbers (E.164) the lines used, whenever, each once, in order."""
    return list(
        PhoneNumber.objects.filter(attributions__line__in=list(lines))
        .order_by("e164")
        .values_list("e164", flat=True)
        .distinct()
    )
