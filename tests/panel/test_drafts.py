"""The manager's draft over the sentences written from the figures (panel.drafts): what
regenerating keeps, what it marks, and where sections go."""

from panel.drafts import (
    arranged,
    draft_sentences,
    entries_after_edit,
    figure_changes,
    figures_in,
    moved,
)
from panel.report import Section

OFFENCES = "Between January and October 2021, 1,725 drug offences were recorded, 12% fewer."
MORE_OFFENCES = "Between January and November 2021, 1,810 drug offences were recorded, 9% fewer."
LINES = "In 2021, 26 County Lines were identified, of which 10 remain active."
CASH = "Over £10,000 in cash was seized."
MINE = "1,725 drug offences were recorded in the ten months to October."


def test_the_figures_of_a_sentence_are_its_amounts_and_months():
    assert figures_in(OFFENCES) == ["January", "October", "2021", "1,725", "12%"]
    assert figures_in(CASH) == ["£10,000"]
    assert [str(c) for c in figure_changes(OFFENCES, MORE_OFFENCES)] == [
        "was October, now November",
        "was 1,725, now 1,810",
        "was 12%, now 9%",
    ]


def test_a_section_nobody_touched_is_written_from_the_figures():
    drafted = draft_sentences(None, [OFFENCES, LINES])
    assert drafted == [OFFENCES, LINES]
    assert not any(sentence.edited or sentence.marked for sentence in drafted)


def test_regenerating_keeps_the_managers_sentence_and_marks_the_figures_changed():
    written = [OFFENCES, LINES, CASH]
    entries = entries_after_edit(draft_sentences(None, written), [MINE, LINES, ""], set())

    drafted = draft_sentences(entries, [MORE_OFFENCES, LINES, CASH])

    mine, lines, cash = drafted
    assert mine == MINE and mine.edited
    assert [str(c) for c in mine.changes] == [
        "was October, now November",
        "was 1,725, now 1,810",
        "was 12%, now 9%",
    ]
    assert mine.written == MORE_OFFENCES
    assert lines == LINES and not lines.marked
    assert cash.left_out and cash == ""  # left out: it stays out

    # Not accepted: saving the form again keeps the mark; accepted: it goes.
    again = draft_sentences(
        entries_after_edit(drafted, [MINE, LINES, ""], set()),
        [MORE_OFFENCES, LINES, CASH],
    )
    assert again[0].changes
    accepted = entries_after_edit(drafted, [MINE, LINES, ""], {0})
    settled = draft_sentences(accepted, [MORE_OFFENCES, LINES, CASH])
    assert settled[0] == MINE and not settled[0].marked


def test_a_sentence_left_as_written_follows_the_new_figures():
    entries = entries_after_edit(draft_sentences(None, [OFFENCES, LINES]), [OFFENCES, ""], set())

    drafted = draft_sentences(entries, [MORE_OFFENCES, LINES])

    assert drafted[0] == MORE_OFFENCES and not drafted[0].marked
    assert drafted[1].left_out


def test_a_new_sentence_is_shown_where_it_is_written_and_a_lost_one_is_kept_marked():
    entries = entries_after_edit(draft_sentences(None, [OFFENCES, LINES]), [MINE, LINES], set())
    rewritten_lines = entries_after_edit(
        draft_sentences(entries, [OFFENCES, LINES]), [MINE, "Ten Lines remain."], set()
    )

    drafted = draft_sentences(rewritten_lines, [OFFENCES, CASH])

    assert drafted == [MINE, "Ten Lines remain.", CASH]  # kept where the manager had it
    assert drafted[1].orphaned and drafted[1].marked
    assert not drafted[2].edited


def test_sections_keep_the_managers_order_and_stay_out_when_left_out():
    sections = [Section(key, key.title(), []) for key in ("a", "b", "c", "d")]

    order = moved(["a", "b", "c"], "c", -1)
    assert order == ["a", "c", "b"]
    assert moved(order, "a", -1) == order  # the first goes no higher

    shown = arranged(sections, order, left_out=["a"])
    # "d" is new since the order was set: after the last of those written before it.
    assert [section.key for section in shown] == ["c", "b", "d"]
