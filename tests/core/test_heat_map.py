"""The heat map's drawing and its table hold the same figures; nothing in it is styled
inline (the Content Security Policy forbids it) and every label is escaped."""

import re

import pytest

from core.heat_map import SHADES, HeatMap, week_heat_map

CELL = re.compile(
    r'<rect class="app-heat-map__cell" data-row="(\d+)" data-column="(\d+)" '
    r'data-count="(\d+)"[^>]* fill="(#[0-9a-f]{6})"'
)


def counts_of_a_week() -> list[list[int]]:
    # Busy on Friday and Saturday evenings, a little in the mornings, none at night.
    return [
        [0] * 6 + [day + 1] * 3 + [0] * 9 + [day * 4] * 6  # 06–09 and 18–24
        for day in range(7)
    ]


def test_each_cell_is_drawn_with_its_count_and_the_table_holds_the_same_figures():
    counts = counts_of_a_week()
    heat_map = week_heat_map(counts, title="Activity", description="By hour")

    drawn = {(int(r), int(c)): int(n) for r, c, n, _fill in CELL.findall(heat_map.svg())}

    assert len(drawn) == 7 * 24
    assert drawn == {(r, c): counts[r][c] for r in range(7) for c in range(24)}
    assert [(label, row) for label, row, _total in heat_map.rows] == list(
        zip(
            ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
            counts,
            strict=True,
        )
    )
    assert [total for *_, total in heat_map.rows] == [sum(row) for row in counts]
    assert heat_map.column_headers[9] == ("09", "09:00 to 10:00")


def test_an_empty_cell_is_unshaded_and_the_largest_the_darkest():
    counts = counts_of_a_week()
    fills = {
        (int(r), int(c)): fill
        for r, c, _n, fill in CELL.findall(week_heat_map(counts, title="t", description="d").svg())
    }

    assert fills[(0, 0)] == SHADES[0]  # Monday midnight: none
    assert fills[(6, 23)] == SHADES[-1]  # Sunday evening: the most
    assert fills[(0, 6)] == SHADES[1]  # 1 of 24: the lightest shade of some


@pytest.mark.parametrize("largest", [1, 3, 7, 100, 12_345])
def test_the_legend_covers_every_count_once_in_the_shade_it_is_drawn(largest):
    heat_map = HeatMap(
        title="t",
        description="d",
        row_labels=["only"],
        column_labels=[str(n) for n in range(largest + 1)],
        counts=[list(range(largest + 1))],
    )
    covered = {}
    for step, words in heat_map.legend:
        if words == "None":
            covered[0] = step
            continue
        low, _, high = words.replace(",", "").partition(" to ")
        for count in range(int(low), int(high or low) + 1):
            assert count not in covered
            covered[count] = step

    assert sorted(covered) == list(range(largest + 1))
    assert all(heat_map.shade_of(count) == step for count, step in covered.items())


def test_the_drawing_is_an_image_named_by_its_title_and_description_without_inline_style():
    svg = str(week_heat_map(counts_of_a_week(), title="Activity", description="By hour").svg())

    assert 'role="img"' in svg
    assert 'aria-labelledby="heat-map-title heat-map-desc"' in svg
    assert '<title id="heat-map-title">Activity</title>' in svg
    assert '<desc id="heat-map-desc">By hour</desc>' in svg
    assert "style" not in svg


def test_labels_are_escaped():
    heat_map = HeatMap(
        title='<script>alert("t")</script>',
        description="a & b",
        row_labels=["<b>row</b>"],
        column_labels=['"><svg onload=x>'],
        counts=[[1]],
    )
    svg = str(heat_map.svg())

    assert "<script>" not in svg and "<b>" not in svg and "<svg onload" not in svg
    assert "&lt;script&gt;" in svg and "a &amp; b" in svg


def test_counts_that_do_not_fit_the_labels_are_refused():
    with pytest.raises(ValueError, match="one row per row label"):
        HeatMap(title="t", description="d", row_labels=["a"], column_labels=["x"], counts=[[1, 2]])
