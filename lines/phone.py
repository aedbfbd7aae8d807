"""Deal-line numbers: one normal form (E.164) whatever way an officer types them."""

import phonenumbers
from django.core.exceptions import ValidationError

DEFAULT_REGION = "GB"


def normalise_number(text: str) -> str:
    """`07712 345678`, `+44 7712 345678`, `0044 7712 345678`, `07712-345-678` -> `+447712345678`.

    Raises ValidationError, naming the value, when it is not a valid phone number.
    """
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValidationError("Enter a phone number.", code="required")
    try:
        parsed = phonenumbers.parse(cleaned, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            "“%(value)s” is not a valid phone number.", code="invalid", params={"value": cleaned}
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def national_format(e164: str) -> str:
    """`+447712345678` -> `07712 345678`; numbers outside the UK's +44 plan (Channel
    Islands and Isle of Man included in it) keep their international form."""
    parsed = phonenumbers.parse(e164, None)
    if parsed.country_code == phonenumbers.country_code_for_region(DEFAULT_REGION):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
