"""A heat map (rows × columns of counts) drawn on the server as SVG, with the same figures
as a table for those who cannot see it.

The page's Content Security Policy allows no inline style, so the drawing uses SVG
presentation attributes only (`fill`, `x`, `width`…), never a `style` attribute or
element. The SVG is an image to assistive technology (`role="img"`, its `<title>` and
`<desc>`); the figures themselves are read from the table the page shows beside it
(`HeatMap.rows`), which holds exactly the counts the cells are shaded by.

Shading: six steps, none for an empty cell, then five equal shares of the largest count,
so that the busiest hours stand out whatever the scale; the legend says what each step
covers.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Empty, then light to dark (GOV.UK's light grey and blues).
SHADES = ("#f3f2f1", "#d2e2f1", "#a6c5e3", "#5694ca", "#1d70b8", "#003078")
CELL_WIDTH, CELL_HEIGHT = 24, 20
LEFT, TOP = 44, 22  # room for the row and column labels
LEGEND_HEIGHT = 34
LEGEND_STEP = 90  # between the legend's entries


@dataclass(frozen=True)
class HeatCell:
    row: int
    column: int
    count: int
    shade: int  # 0 (empty) to len(SHADES) - 1


@dataclass(frozen=True)
class HeatMap:
    """`counts[row][column]`; `row_labels` and `column_labels` say what each is (days,
    hours); `short_column_labels` are drawn above the columns (every third is enough)."""

    title: str
    description: str
    row_labels: Sequence[str]
    column_labels: Sequence[str]
    counts: Sequence[Sequence[int]]
    short_column_labels: Sequence[str] = ()
    # Each column's label in the table's header, when the whole one is too long to show.
    table_column_labels: Sequence[str] = ()
    # How one count is named in each cell's tooltip: "12 events".
    noun: str = "event"
    id_prefix: str = "heat-map"

    def __post_init__(self) -> None:
        if len(self.counts) != len(self.row_labels) or any(
            len(row) != len(self.column_labels) for row in self.counts
        ):
            raise ValueError(
                "a heat map's counts must have one row per row label and one "
                "column per column label"
            )

    @property
    def largest(self) -> int:
        return max((count for row in self.counts for count in row), default=0)

    def shade_of(self, count: int) -> int:
        """0 for none, else 1 to 5: which fifth of the largest count it lies in."""
        if count <= 0:
            return 0
        steps = len(SHADES) - 1
        return min(steps, 1 + (count * steps - 1) // self.largest)

    @property
    def cells(self) -> list[HeatCell]:
        return [
            HeatCell(row, column, count, self.shade_of(count))
            for row, counts in enumerate(self.counts)
            for column, count in enumerate(counts)
        ]

    @property
    def rows(self) -> list[tuple[str, list[int], int]]:
        """For the table: each row's label, its counts and their total."""
        return [
            (label, list(counts), sum(counts))
            for label, counts in zip(self.row_labels, self.counts, strict=True)
        ]

    @property
    def column_headers(self) -> list[tuple[str, str]]:
        """For the table: each column's short label (shown) and its whole one (read out)."""
        return list(
            zip(self.table_column_labels or self.column_labels, self.column_labels, strict=True)
        )

    @property
    def column_totals(self) -> list[int]:
        return [sum(column) for column in zip(*self.counts, strict=True)] if self.counts else []

    @property
    def legend(self) -> list[tuple[int, str]]:
        """Each shade's step and the counts it stands for ("1 to 4")."""
        largest, steps = self.largest, len(SHADES) - 1
        legend = [(0, "None")]
        if largest == 0:
            return legend
        low = 1
        for step in range(1, steps + 1):
            high = (step * largest) // steps
            if high >= low:
                legend.append((step, str(low) if high == low else f"{low} to {high}"))
                low = high + 1
        return legend

    def svg(self) -> SafeString:
        """The drawing, escaped throughout: labels may hold anything."""
        columns, rows = len(self.column_labels), len(self.row_labels)
        width = LEFT + columns * CELL_WIDTH
        height = TOP + rows * CELL_HEIGHT + LEGEND_HEIGHT
        title_id, desc_id = f"{self.id_prefix}-title", f"{self.id_prefix}-desc"
        short = list(self.short_column_labels) or list(self.column_labels)
        column_text = format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#0b0c0c">{}</text>',
            (
                (LEFT + column * CELL_WIDTH + CELL_WIDTH // 2, TOP - 8, label)
                for column, label in enumerate(short)
                if label
            ),
        )
        row_text = format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#0b0c0c">{}</text>',
            (
                (LEFT - 6, TOP + row * CELL_HEIGHT + CELL_HEIGHT // 2 + 4, label[:3])
                for row, label in enumerate(self.row_labels)
            ),
        )
        cells = format_html_join(
            "",
            '<rect class="app-heat-map__cell" data-row="{}" data-column="{}" data-count="{}" '
            'x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#ffffff">'
            "<title>{} {}: {}</title></rect>",
            (
                (
                    cell.row,
                    cell.column,
                    cell.count,
                    LEFT + cell.column * CELL_WIDTH,
                    TOP + cell.row * CELL_HEIGHT,
                    CELL_WIDTH,
                    CELL_HEIGHT,
                    SHADES[cell.shade],
                    self.row_labels[cell.row],
                    self.column_labels[cell.column],
                    self._counted(cell.count),
                )
                for cell in self.cells
            ),
        )
        legend_y = TOP + rows * CELL_HEIGHT + 12
        legend = format_html_join(
            "",
            '<rect x="{}" y="{}" width="14" height="14" fill="{}" stroke="#505a5f"></rect>'
            '<text x="{}" y="{}" font-size="11" fill="#0b0c0c">{}</text>',
            (
                (
                    LEFT + position * LEGEND_STEP,
                    legend_y,
                    SHADES[step],
                    LEFT + position * LEGEND_STEP + 18,
                    legend_y + 11,
                    words,
                )
                for position, (step, words) in enumerate(self.legend)
            ),
        )
        return format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="app-heat-map" role="img" '
            'aria-labelledby="{} {}" viewBox="0 0 {} {}" width="{}" height="{}" '
            'focusable="false"><title id="{}">{}</title><desc id="{}">{}</desc>'
            "{}{}{}{}</svg>",
            title_id,
            desc_id,
            width,
            height,
            width,
            height,
            title_id,
            self.title,
            desc_id,
            self.description,
            column_text,
            row_text,
            cells,
            legend,
        )

    def _counted(self, count: int) -> str:
        return f"{count:,} {self.noun}" + ("" if count == 1 else "s")


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HOURS = tuple(f"{hour:02d}:00 to {(hour + 1) % 24:02d}:00" for hour in range(24))


def week_heat_map(
    counts: Sequence[Sequence[int]], *, title: str, description: str, id_prefix: str = "heat-map"
) -> HeatMap:
    """The hour × weekday map: `counts[weekday][hour]`, Monday first, hours 0 to 23."""
    return HeatMap(
        title=title,
        description=description,
        row_labels=WEEKDAYS,
        column_labels=HOURS,
        short_column_labels=tuple(f"{hour:02d}" if hour % 3 == 0 else "" for hour in range(24)),
        table_column_labels=tuple(f"{hour:02d}" for hour in range(24)),
        counts=counts,
        id_prefix=id_prefix,
    )
