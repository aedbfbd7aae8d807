"""The search's answers, read through the selectors: names (with one typo), numbers
(whole or part), postcodes and streets, references; best first, each saying what
matched; the same on SQLite and PostgreSQL."""

import pytest

from search.selectors import search_everything


def found(outcome, kind):
    [group] = [group for group in outcome.kinds if group.source.kind == kind]
    return [(each.title, each.matched) for each in group.found]


def titles(outcome, kind):
    return [title for title, _matched in found(outcome, kind)]


TYPOS = [
    ("Smyth", "P-1 SMITH, Jayden"),  # a letter wrong
    ("Smth", "P-1 SMITH, Jayden"),  # a letter missing
    ("Smiith", "P-1 SMITH, Jayden"),  # a letter extra
    ("Smiht", "P-1 SMITH, Jayden"),  # two letters swapped
    ("Jnoes", "P-2 JONES, Ellie"),
    ("Kahn", "P-3 KHAN, Amir"),  # 4 letters: a swap is still a typo
    ("jayden smyth", "P-1 SMITH, Jayden"),
    ("Smuge", "P-1 SMITH, Jayden"),  # an alias
    ("Oniell", "P-4 O'NEILL, Zoë"),  # letters swapped in a name with an apostrophe
]


def _typo_answers(intel):
    return {
        typed: titles(search_everything(user=intel, text=typed), "people") for typed, _ in TYPOS
    }


@pytest.mark.parametrize(("typed", "person"), TYPOS)
def test_a_name_with_one_typo_finds_the_person(intel, records, typed, person):
    outcome = search_everything(user=intel, text=typed)

    [(title, matched)] = found(outcome, "people")
    assert title == person
    assert "one letter differently" in matched


@pytest.mark.parametrize(
    "typed",
    [
        "Smoth",  # "Smith" is the only name of 5 letters: one typo, but not "Jones"
        "Bell",  # 4 letters and a letter wrong: too many names are one letter apart
        "Khna",  # 4 letters, the swap of the last two: still Khan
    ],
)
def test_what_one_typo_finds_and_does_not(intel, records, typed):
    people = titles(search_everything(user=intel, text=typed), "people")
    expected = {"Smoth": ["P-1 SMITH, Jayden"], "Bell": [], "Khna": ["P-3 KHAN, Amir"]}
    assert people == expected[typed]


def test_two_typos_are_not_one(intel, records):
    assert titles(search_everything(user=intel, text="Smoyth"), "people") == []
    assert titles(search_everything(user=intel, text="Jnoez"), "people") == []


@pytest.mark.postgresql
def test_postgresql_gives_the_same_answers_for_typos(intel, records):
    # The same table as on SQLite, read through PostgreSQL's `?|` and its GIN index.
    assert _typo_answers(intel) == {typed: [person] for typed, person in TYPOS}


def test_sqlite_gives_the_answers_postgresql_gives(intel, records):
    assert _typo_answers(intel) == {typed: [person] for typed, person in TYPOS}


@pytest.mark.parametrize("typed", ["zoe o'neill", "ZOË ONEILL", "o neill zoe", "neill"])
def test_names_match_as_the_people_list_does(intel, records, typed):
    [(title, _matched)] = found(search_everything(user=intel, text=typed), "people")
    assert title == "P-4 O'NEILL, Zoë"


def test_an_exact_name_comes_before_one_in_part_and_a_typo(intel, records):
    from tests.persons.factories import PersonFactory

    PersonFactory(reference="P-5", surname="Smithson", forenames="Liam")
    PersonFactory(reference="P-6", surname="Smyth", forenames="Ann")

    outcome = search_everything(user=intel, text="Smyth")

    assert found(outcome, "people") == [
        ("P-6 SMYTH, Ann", "Name"),
        ("P-1 SMITH, Jayden", "Name (spelt one letter differently)"),
    ]
    outcome = search_everything(user=intel, text="Smith")
    assert found(outcome, "people") == [
        ("P-1 SMITH, Jayden", "Name"),  # a word of the name, whole
        ("P-5 SMITHSON, Liam", "Name, in part"),
        ("P-6 SMYTH, Ann", "Name (spelt one letter differently)"),
    ]


@pytest.mark.parametrize(
    "typed", ["07700 900664", "+44 7700 900664", "07700 9006", "0770090066", "900664"]
)
def test_a_number_whole_or_part_finds_its_line_person_and_number(intel, records, typed):
    outcome = search_everything(user=intel, text=typed)

    whole = typed in ("07700 900664", "+44 7700 900664")
    assert found(outcome, "numbers") == [
        ("07700 900664", "Whole number" if whole else "Contains the digits")
    ]
    assert found(outcome, "lines") == [("CL-2024-001 Dolla", "Number 07700 900664")]
    assert found(outcome, "people") == [("P-1 SMITH, Jayden", "Number 07700 900664")]


@pytest.mark.parametrize("typed", ["YO1 9SA", "yo19sa", "YO1"])
def test_a_postcode_finds_people_and_referrals_there(intel, records, typed):
    outcome = search_everything(user=intel, text=typed)

    people = found(outcome, "people")
    assert [title for title, _ in people] == ["P-2 JONES, Ellie"]
    assert people[0][1].startswith("Postcode") and "4 Tower Street" in people[0][1]
    referrals = titles(outcome, "referrals")
    assert referrals == ([] if typed != "YO1" else referrals)
    if typed == "YO1":
        assert {title.split()[0] for title in referrals} == {"BG-0001", "BG-0002"}


def test_an_outward_code_is_not_the_start_of_another(intel, records):
    from persons.models import PersonAddress

    PersonAddress.objects.create(person=records["khan"], address="1 Long Lane", postcode="YO10 5DD")
    outcome = search_everything(user=intel, text="YO1")
    assert titles(outcome, "people") == ["P-2 JONES, Ellie"]


def test_a_street_finds_addresses(intel, records):
    outcome = search_everything(user=intel, text="example street")

    assert found(outcome, "referrals") == [
        ("BG-0001 12 Example Street, York, YO1 7HH", "Address: 12 Example Street, YO1 7HH"),
        ("BG-0002 3 Example Street, York, YO1 7HJ", "Address: 3 Example Street, YO1 7HJ"),
    ]
    assert titles(search_everything(user=intel, text="tower st"), "people") == ["P-2 JONES, Ellie"]


def test_references_and_names_of_lines_and_operations(intel, records):
    outcome = search_everything(user=intel, text="cl-2024-001")
    assert found(outcome, "lines") == [("CL-2024-001 Dolla", "Reference")]
    assert titles(search_everything(user=intel, text="CL-2024"), "lines") == [
        "CL-2024-001 Dolla",
        "CL-2024-002 Blade",
    ]
    assert found(search_everything(user=intel, text="blade"), "lines") == [
        ("CL-2024-002 Blade", "Brand name")
    ]
    assert found(search_everything(user=intel, text="expedite"), "operations") == [
        ("OP-0042 Operation Expedite", "Name")
    ]


def test_a_partner_searches_only_the_referrals_shared_with_their_agency(partner, records):
    outcome = search_everything(user=partner, text="Example Street")

    assert [group.source.kind for group in outcome.kinds] == ["referrals"]
    assert titles(outcome, "referrals") == ["BG-0001 12 Example Street, York, YO1 7HH"]
    for text in ("BG-0002", "YO1 7HJ", "Smith", "07700 900664", "CL-2024-001"):
        outcome = search_everything(user=partner, text=text)
        assert outcome.total == 0, text


def test_more_than_are_shown_says_so(intel, db):
    from search.sources import SHOWN
    from tests.persons.factories import PersonFactory

    for n in range(SHOWN + 2):
        PersonFactory(reference=f"P-{n:03d}", surname="Taylor", forenames=f"Kid{n}")
    [people] = [
        g for g in search_everything(user=intel, text="Taylor").kinds if g.source.kind == "people"
    ]
    assert len(people.found) == SHOWN and people.more


def test_the_queries_do_not_grow_with_the_rows_or_the_results(
    intel, records, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.persons.factories import PersonFactory

    def queries(text):
        with CaptureQueriesContext(connection) as captured:
            search_everything(user=intel, text=text)
        return len(captured)

    few = {text: queries(text) for text in ("Smyth", "07700 9006", "YO1 7HH", "CL-2024")}
    for n in range(30):
        PersonFactory(
            reference=f"P-9{n:02d}", surname="Smith", forenames=f"Kid{n}", aliases="Smyth"
        )
    many = {text: queries(text) for text in few}
    # As many or fewer (the typos are not looked for when the names fill the page).
    assert all(many[text] <= few[text] for text in few), (few, many)
    # A few a kind; on PostgreSQL the index lookups' settings and savepoints besides.
    assert max(few.values()) <= 18


# The tables a search reads through indexes (core/search_indexes.py).
SEARCHED_TABLES = (
    "persons_person",
    "persons_personaddress",
    "lines_line",
    "safeguarding_referral",
)


@pytest.mark.postgresql
@pytest.mark.parametrize(
    "text", ["Jnoes", "neill", "Tower Street", "Example Street", "YO1 7HH", "YO1", "CL-2024", "P-1"]
)
def test_postgresql_answers_each_search_from_an_index(intel, records, text):
    """Each query of a search can be answered by an index: with sequential scans priced
    out, no plan still reads a searched table whole (a `LIKE '%…%'` or a postcode's
    expression no index matches would)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        search_everything(user=intel, text=text)
    selects = [query["sql"] for query in captured if query["sql"].startswith("SELECT")]
    assert selects
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            for sql in selects:
                cursor.execute(f"EXPLAIN {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
                read_whole = [t for t in SEARCHED_TABLES if f"Seq Scan on {t} " in plan]
                assert not read_whole, (sql, plan)
        finally:
            cursor.execute("RESET enable_seqscan")
