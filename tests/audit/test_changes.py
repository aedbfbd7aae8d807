"""What an update changed, kept in the audit log and put in words for people."""

import datetime

from audit.changes import changes, describe
from lines.models import Line


def test_changes_keep_only_what_differs_as_people_read_it():
    before = {"risk_level": "high", "closed_on": None, "name": "Dolla"}
    after = {"risk_level": "very_high", "closed_on": datetime.date(2024, 6, 1), "name": "Dolla"}

    assert changes(before, after) == {
        "risk_level": ["high", "very_high"],
        "closed_on": [None, "2024-06-01"],
    }


def test_changes_compare_several_values_whatever_their_order():
    assert changes({"command_areas": ["York", "Selby"]}, {"command_areas": ["Selby", "York"]}) == {}


def test_a_json_field_changes_with_its_values_not_only_its_keys():
    # A report's own paragraphs, by section: the same sections with another text.
    before = {"paragraphs": {"county_lines": "Fewer lines."}}
    after = {"paragraphs": {"county_lines": "More lines."}}

    assert changes(before, after) == {
        "paragraphs": [{"county_lines": "Fewer lines."}, {"county_lines": "More lines."}]
    }
    assert changes(before, {"paragraphs": {"county_lines": "Fewer lines."}}) == {}


def test_a_json_field_is_described_by_its_keys_and_values():
    from panel.models import PanelReport

    assert describe(PanelReport, {"paragraphs": [{}, {"county_lines": "Fewer."}]}) == [
        "Paragraphs set to county_lines: Fewer."
    ]


def test_levels_are_raised_or_lowered_by_their_labels():
    assert describe(Line, {"risk_level": ["high", "very_high"]}) == [
        "Risk raised from High to Very high"
    ]
    assert describe(Line, {"risk_level": ["high", "low"]}) == ["Risk lowered from High to Low"]


def test_values_set_cleared_and_changed_are_said_so_with_dates_as_people_write_them():
    assert describe(Line, {"closed_on": [None, "2021-06-01"]}) == ["Date closed set to 1 June 2021"]
    assert describe(Line, {"closed_on": ["2021-06-01", None]}) == [
        "Date closed cleared (was 1 June 2021)"
    ]
    assert describe(Line, {"name": ["Dolla", "Dolla 2"]}) == [
        "Brand name changed from Dolla to Dolla 2"
    ]
    assert describe(Line, {"command_areas": [["York"], ["Selby", "York"]]}) == [
        "Destination command areas changed from York to Selby, York"
    ]


def test_changes_are_described_in_the_order_of_the_fields_whatever_order_they_were_stored_in():
    # PostgreSQL's jsonb gives the keys back in an order of its own.
    stored = {"risk_level": ["high", "very_high"], "name": ["Dolla", "Dolla 2"]}
    reversed_keys = dict(reversed(stored.items()))

    assert (
        describe(Line, stored)
        == describe(Line, reversed_keys)
        == [
            "Brand name changed from Dolla to Dolla 2",
            "Risk raised from High to Very high",
        ]
    )


def test_a_field_since_removed_is_still_described_after_the_others():
    assert describe(Line, {"old_field": ["a", "b"], "name": ["Dolla", "Dolla 2"]}) == [
        "Brand name changed from Dolla to Dolla 2",
        "Old field changed from a to b",
    ]


def test_yes_or_no_fields_are_said_in_words():
    from persons.models import Person

    assert describe(Person, {"exploited": [False, True]}) == ["Exploited changed from No to Yes"]
    assert describe(Person, {"vulnerable_adult": [True, False]}) == [
        "Vulnerable adult changed from Yes to No"
    ]
