"""One typo (persons.names): the rule, and the lookup that must find every word the rule
accepts."""

import itertools

import pytest

from persons.models import Person
from persons.names import name_words, one_typo_apart, typo_variants, typo_words
from persons.services import person_upsert_many

from .factories import PersonFactory

NAMES = [
    "smith",
    "smyth",
    "jones",
    "khan",
    "kahn",
    "williams",
    "taylor",
    "lee",
    "bell",
    "ball",
    "oneill",
    "brown",
    "browne",
    "jnoes",
    "smiht",
    "smth",
    "smiith",
    "davies",
]


@pytest.mark.parametrize(
    ("typed", "word", "close"),
    [
        ("smyth", "smith", True),  # a letter wrong
        ("smth", "smith", True),  # missing
        ("smiith", "smith", True),  # extra
        ("smiht", "smith", True),  # two neighbours swapped
        ("jnoes", "jones", True),
        ("kahn", "khan", True),  # 4 letters: a swap only
        ("bell", "ball", False),  # 4 letters: a letter wrong is not enough to go on
        ("khn", "khan", False),  # missing from 4 letters
        ("smith", "smith", False),  # no typo at all
        ("smoyth", "smith", False),  # two
        ("sitmh", "smith", False),  # letters swapped that are not neighbours
    ],
)
def test_one_typo(typed, word, close):
    assert one_typo_apart(typed, word) is close
    assert one_typo_apart(word, typed) is close  # either way round


def test_the_lookup_finds_every_word_the_rule_accepts():
    for typed, word in itertools.permutations(NAMES, 2):
        if one_typo_apart(typed, word):
            assert word in typo_variants(typed), (typed, word)


def test_words_are_compared_without_accents_case_or_punctuation():
    assert name_words("Smith-Jones", "Zoë", "O'Neill") == [
        "smith",
        "jones",
        "smithjones",
        "zoe",
        "oneill",
    ]
    assert typo_words(surname="Li", forenames="Zoë Anne", aliases=["Big Man"]) == [
        "zoeanne",
        "anne",
        "bigman",
    ]


def test_a_persons_words_are_kept_by_every_way_of_writing_it(intel):
    person = PersonFactory(surname="Smith", forenames="Jayden", aliases="Smudge")
    assert set(person.typo_words) == {"smith", "jayden", "smudge"}

    result = person_upsert_many(
        user=intel,
        rows=[
            {
                "reference": "P-NEW",
                "surname": "Khan",
                "forenames": "Amir",
                "date_of_birth": None,
                "gender": "",
            }
        ],
    )

    assert not result.problems
    assert Person.objects.get(reference="P-NEW").typo_words == ["khan", "amir"]


def test_a_changed_name_changes_its_words(intel):
    from persons.services import person_update

    person = PersonFactory(surname="Smith", forenames="Jayden")
    person_update(person=person, user=intel, surname="Jones")

    person.refresh_from_db()
    assert set(person.typo_words) == {"jones", "jayden"}
