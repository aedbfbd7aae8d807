"""How names are compared: a search for `Zoe O'Neill` finds `ZOË ONEILL` and `zoe o neill`,
and a search for `Smyth`, `Jnoes` or `Kahn` finds Smith, Jones and Khan (one typo)."""

import re
import string
import unicodedata

# Within a name these separate parts people spell either way (`O'Neill`, `Smith-Jones`).
_IGNORED = set(" \t-'’‘.,")


_DROPPED = str.maketrans("", "", "".join(_IGNORED))

# One typo: a letter wrong, missing or extra in a name of 5 letters or more (the longer of
# the two words), or two neighbouring letters swapped in one of 4 or more. A swap keeps
# every letter, so it stays a likely slip in a short name (`Kahn`: Khan), where a letter
# wrong or missing would find too many others (`Bell`: Ball, Hall, Bel).
TYPO_LETTERS = 5
SWAP_LETTERS = 4
_WORD_SEPARATORS = re.compile(r"[\s\-]+")
_LETTERS = string.ascii_lowercase


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
    return name_keys(surname=surname, forenames=forenames, aliases=aliases)[0]


def name_keys(*, surname: str, forenames: str, aliases: list[str]) -> tuple[str, list[str]]:
    """A person's `names_key` and `typo_words` at once, each name's key worked out once (an
    import of people works them out for every row): `name_key` drops what separates
    words, so the key of a name is its words' keys joined, and of two names theirs."""
    surname_key, forenames_key = name_key(surname), name_key(forenames)
    alias_keys = [name_key(alias) for alias in aliases]
    variants = (forenames_key + surname_key, surname_key + forenames_key, *alias_keys)
    words: dict[str, None] = {}  # in order, once each
    for name, key in (
        (surname, surname_key),
        (forenames, forenames_key),
        *zip(aliases, alias_keys, strict=True),
    ):
        if len(key) >= SWAP_LETTERS:
            words[key] = None
        separate = name.replace("-", " ").split()
        if len(separate) > 1:  # its words too (most names are one)
            for word in separate:
                word_key = name_key(word)
                if len(word_key) >= SWAP_LETTERS:
                    words[word_key] = None
    return "|".join(variant for variant in variants if variant), list(words)


def full_name(*, surname: str, forenames: str) -> str:
    """`SMITH, John`: surname first, as police systems list nominals."""
    return f"{surname.upper()}, {forenames}" if forenames else surname.upper()


def alias_list(text: str) -> list[str]:
    """The aliases of a person's `aliases` field: one a line."""
    return [alias.strip() for alias in (text or "").splitlines() if alias.strip()]


def name_words(*names: str) -> list[str]:
    """The words of `names` as a search compares them (name_key of each word between
    spaces and hyphens, and of each name whole): `Smith-Jones` is smith, jones and
    smithjones; `O'Neill` is oneill."""
    words: dict[str, None] = {}
    for name in names:
        for word in [*_WORD_SEPARATORS.split(name or ""), name]:
            if key := name_key(word):
                words[key] = None
    return list(words)


def typo_words(*, surname: str, forenames: str, aliases: list[str]) -> list[str]:
    """The words of a person's names and aliases that a typo may be found in (4 letters or
    more, those of `name_words`), a JSON array: what `has_any_keys` looks up (PostgreSQL's
    `?|` finds an array's strings, in a GIN index), a few entries a person so that an
    import pays little for them."""
    return name_keys(surname=surname, forenames=forenames, aliases=aliases)[1]


def typo_variants(typed: str) -> list[str]:
    """`typed` and every word one typo from it (see TYPO_LETTERS), letters a to z: the
    words to look up among people's `typo_words`, a few hundred index probes rather than
    a key for every one of a person's possible typos written with each of them."""
    if len(typed) < SWAP_LETTERS:
        return []
    variants = [typed]
    ends = [(typed[:i], typed[i:]) for i in range(len(typed) + 1)]
    variants += [a + b[1] + b[0] + b[2:] for a, b in ends if len(b) > 1 and b[0] != b[1]]
    if len(typed) + 1 >= TYPO_LETTERS:
        variants += [a + letter + b for a, b in ends for letter in _LETTERS]
    if len(typed) >= TYPO_LETTERS:
        variants += [a + b[1:] for a, b in ends if b]
        variants += [a + letter + b[1:] for a, b in ends if b for letter in _LETTERS]
    return list(dict.fromkeys(variants))


def one_typo_apart(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with one typo (see TYPO_LETTERS): the optimal string
    alignment distance is 1, the same rule on every database."""
    if typed == word or abs(len(typed) - len(word)) > 1:
        return False
    longer = max(len(typed), len(word))
    if len(typed) == len(word):
        wrong = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
        if len(wrong) == 1:
            return longer >= TYPO_LETTERS
        first = wrong[0]
        return (
            len(wrong) == 2
            and wrong[1] == first + 1
            and longer >= SWAP_LETTERS
            and typed[first] == word[first + 1]
            and typed[first + 1] == word[first]
        )
    shorter, longest = sorted((typed, word), key=len)
    return longer >= TYPO_LETTERS and any(
        longest[:i] + longest[i + 1 :] == shorter for i in range(len(longest))
    )
