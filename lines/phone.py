"""Deal-line numbers: one normal form (E.164) whatever way an officer types them."""

import functools
import re

import phonenumbers
from django.core.exceptions import ValidationError

DEFAULT_REGION = "GB"
HAS_EXTENSION = (
    "“%(value)s” has an extension. Enter the number alone, like 07712 345678: a line's or a "
    "person's number is the one that is dialled"
)
NOT_A_NUMBER = (
    "“%(value)s” is not a phone number. Enter it like 07712 345678, +44 7712 345678 or "
    "+33 6 12 34 56 78"
)
_UK_COUNTRY_CODE = phonenumbers.country_code_for_region(DEFAULT_REGION)


class ParsedNumber:
    """A number as stored and compared (`e164`, `+447712345678`) and as shown (`national`,
    `07712 345678`). The national form is worked out only when asked for: an import
    that finds a number already stored never needs it."""

    __slots__ = ("_national", "_parsed", "e164")

    def __init__(
        self,
        e164: str,
        *,
        national: str | None = None,
        parsed: phonenumbers.PhoneNumber | None = None,
    ) -> None:
        self.e164 = e164
        self._national = national
        self._parsed = parsed

    @property
    def national(self) -> str:
        if self._national is None:
            self._national = _national(self._parsed or phonenumbers.parse(self.e164, None))
            self._parsed = None
        return self._national

    def __eq__(self, other) -> bool:
        return isinstance(other, ParsedNumber) and other.e164 == self.e164

    def __hash__(self) -> int:
        return hash(self.e164)

    def __repr__(self) -> str:
        return f"ParsedNumber({self.e164!r})"


def parse_number(text: str) -> ParsedNumber:
    """`07712 345678`, `+44 7712 345678`, `0044 7712 345678`, `07712-345-678` are all
    `+447712345678`, shown `07712 345678`.

    A number is accepted when it could be one: the length a mobile or landline number of
    its country has, or a number `phonenumbers` knows to be in use. The library's list of
    ranges in use lags behind the regulators' (and deal lines use new ranges first), so a
    number of the right length in a range it does not list is not refused.

    Raises ValidationError, naming the value, when it cannot be a phone number.
    """
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValidationError("Enter a phone number.", code="required")
    try:
        parsed = phonenumbers.parse(cleaned, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not _could_be_a_number(parsed):
        raise ValidationError(NOT_A_NUMBER, code="invalid", params={"value": cleaned})
    if parsed.extension:
        # E.164 has no extension: storing the number would silently lose it.
        raise ValidationError(HAS_EXTENSION, code="extension", params={"value": cleaned})
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return ParsedNumber(e164, parsed=parsed)


# Digits, optionally after a +, with the separators people type between them.
_USUAL_SPELLING = re.compile(r"\+?[\d\s\-.()]+")
_SEPARATORS = re.compile(r"[\s\-.()]")


def number_candidate(text: str) -> str | None:
    """The E.164 form `text` would have if it is a number, when it is written the usual
    way (`07712 345678`, `+44 7712 345678`, `0044 7712-345678`, `(07712) 345678`):
    digits and separators, starting with +, 00 (the UK's international prefix) or 0
    (its trunk prefix). None for any other way of writing it.

    Not a check that it is a number: only a stored number (which was checked when it was
    stored) may be recognised this way, so that a known number costs no parsing.
    """
    if not _USUAL_SPELLING.fullmatch(text):
        return None
    digits = _SEPARATORS.sub("", text)
    if digits.startswith("+"):
        return digits if digits[1:].isdigit() else None
    if digits.startswith("00"):
        return "+" + digits[2:]
    if digits.startswith("0"):
        return f"+{_UK_COUNTRY_CODE}{digits[1:]}"
    return None


PART_MIN_DIGITS = 6
_TYPED_SEPARATORS = re.compile(r"[\s\-().+/]")


def number_part(text: str) -> str | None:
    """The digits to look for when `text` is part of a number (at least 6 digits, as
    typed with spaces or dashes): matched anywhere in the stored E.164 form, so a
    leading 0 (the UK's trunk prefix) is dropped. None when `text` is not that."""
    digits = _TYPED_SEPARATORS.sub("", text or "")
    if not digits.isdigit() or len(digits) < PART_MIN_DIGITS:
        return None
    return digits.removeprefix("0")


def whole_number(text: str) -> str | None:
    """The E.164 form of `text` when it is a whole number: one `parse_number` accepts
    whose digits are also as many, after their prefix, as a number of that prefix has in
    its country's plan (`07700 900664`). None for the beginning of one (`07700 9006`,
    `0770090066`: the length of some number, not of a mobile's) or for no number.

    A search asks this rather than `parse_number`, whose test is only the length of some
    kind of number: a part typed to search would otherwise be taken for an unknown whole
    number, and an analyst told a number is new when it is not.
    """
    try:
        number = parse_number(text)
    except ValidationError:
        return None
    parsed = number._parsed or phonenumbers.parse(number.e164, None)
    significant = phonenumbers.national_significant_number(parsed)
    for region in _regions(parsed.country_code):
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        pattern = metadata.general_desc.national_number_pattern if metadata else None
        if pattern and re.fullmatch(pattern, significant):
            return number.e164
    return None


def number_search_term(text: str) -> tuple[str, str] | None:
    """What a number search looks for: ("number", E.164) for a whole number (any
    spelling), ("part", digits) for anything else of at least 6 digits, found wherever
    they are in a stored number; None for text that is neither."""
    e164 = whole_number(text)
    if e164 is not None:
        return "number", e164
    part = number_part(text)
    return ("part", part) if part is not None else None


def normalise_number(text: str) -> str:
    """The E.164 form of any spelling of a number (see `parse_number`)."""
    return parse_number(text).e164


def national_format(e164: str) -> str:
    """`+447712345678` -> `07712 345678`; numbers outside the UK's +44 plan (Channel
    Islands and Isle of Man included in it) keep their international form."""
    return _national(phonenumbers.parse(e164, None))


def _national(parsed: phonenumbers.PhoneNumber) -> str:
    if parsed.country_code == _UK_COUNTRY_CODE:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)


def _could_be_a_number(parsed: phonenumbers.PhoneNumber) -> bool:
    # Local-only lengths (a landline without its area code) cannot be dialled as given.
    possible = phonenumbers.ValidationResult.IS_POSSIBLE
    return any(
        phonenumbers.is_possible_number_for_type_with_reason(parsed, kind) == possible
        for kind in _TYPES
    ) or _is_valid(parsed)


@functools.cache
def _regions(country_code: int) -> tuple[str, ...]:
    return tuple(phonenumbers.region_codes_for_country_code(country_code))


def _is_valid(parsed: phonenumbers.PhoneNumber) -> bool:
    # is_valid_number() first works out which of the regions sharing the country code
    # (+44: GB, Guernsey, Isle of Man, Jersey) the number is in, then checks it there:
    # the same pattern matching twice. Asking each region directly does it once.
    return any(
        phonenumbers.is_valid_number_for_region(parsed, region)
        for region in _regions(parsed.country_code)
    )
