"""How names are compared: a search for `Zoe O'Neill` finds `ZOË ONEILL` and `zoe o neill`."""

import unicodedata

# Within a name these separate parts people spell either way (`O'Neill`, `Smith-Jones`).
_IGNORED = set(" \t-'’‘.,")


_DROPPED = str.maketrans("", "", "".join(_IGNORED))


def name_key(text: str) -> str:
    """`text` without accents, case, spaces or punctuation inside names."""
    text = (text or "").translate(_DROPPED)
    if not text.isascii():  # most names are: no accents to take off
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_DROPPED)
    return text.casefold()


def names_key(*, surname: str, forenames: str, aliases: list[str]) -> str:
    """What a name search matches (partially) for a person: their name either way round
    and each alias, separated so that a match never spans two of them."""
    variants = [f"{forenames}{surname}", f"{surname}{forenames}", *aliases]
    return "|".join(key for key in (name_key(variant) for variant in variants) if key)


def full_name(*, surname: str, forenames: str) -> str:
    """`SMITH, John`: surname first, as police systems list nominals."""
    return f"{surname.upper()}, {forenames}" if forenames else surname.upper()


def alias_list(text: str) -> list[str]:
    """The aliases of a person's `aliases` field: one a line."""
    return [alias.strip() for alias in (text or "").splitlines() if alias.strip()]
