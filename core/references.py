"""References: the identifiers people type for records (`CL-2024-017`, `NYP/AR/1182`).

One rule for every kind of record, whichever way it arrives (form, import, look-up):

- NFKC normal form, trimmed: a full-width `ＣＬ－１` typed on a phone keyboard is `CL-1`;
- no hidden characters (bidirectional overrides, zero-width spaces, controls): they make
  two references look the same that are not, or hide what a reference says in a list or
  an export. The rule is the one every name keeps too (`core.rules.has_hidden_character`);
- compared without regard to case: `CL-1` and `cl-1` are one record. Each model keeps
  the reference as typed and, beside it, its `reference_key` (the case-folded form),
  which the database holds unique.
"""

import unicodedata

from django.core.exceptions import ValidationError

from .rules import has_hidden_character, hidden_character_message
from .text import quoted

REFERENCE_INVISIBLE = hidden_character_message("the reference")
REFERENCE_REQUIRED = "Enter the reference"


def normalise_reference(text: str) -> str:
    """The reference as stored: NFKC, trimmed, inner runs of spaces made one. Raises
    ValidationError for an empty reference or one with hidden characters."""
    text = text or ""
    if text.isascii() and text.isprintable():
        # Most references: already in normal form, and printable ASCII holds no control
        # or formatting character (a fifth of the time of the general path).
        reference = " ".join(text.split())
    else:
        reference = " ".join(unicodedata.normalize("NFKC", text).split())
        if has_hidden_character(reference):
            raise ValidationError(REFERENCE_INVISIBLE, code="invisible")
    if not reference:
        raise ValidationError(REFERENCE_REQUIRED, code="required")
    return reference


def reference_key(reference: str) -> str:
    """What two references must share to be the same record: the case-folded normal form.

    Never raises: a reference that is not valid has no record to match, so its key is
    simply one no record has.
    """
    reference = reference or ""
    if reference.isascii():
        return " ".join(reference.split()).lower()  # for ASCII, the same as NFKC + casefold
    return " ".join(unicodedata.normalize("NFKC", reference).split()).casefold()


def reference_taken(reference: str, what: str = "record") -> str:
    return f"A {what} with the reference {quoted(reference)} already exists"


def reference_unknown(reference: str, what: str = "record", hint: str = "") -> str:
    """`No person has the reference “P-404”. Import or add the person first.`"""
    return f"No {what} has the reference {quoted(reference)}. {hint}".strip()
