"""The report's two figures, drawn by matplotlib from the report's chart data: as SVG
for the page, the print and the PDF, and as PNG for the Word document, the same picture
each time. Each is embedded with a text alternative, and the report prints its data as a
table beneath it.

Figure 1's time axis starts at the first month with data and ends with the last, so no
empty months stand before the bars (a lockdown that began earlier is shaded from the
axis's start)."""

import base64
import datetime
import functools
import io
import json

from core.charts import pyplot

from .periods import month_of, parse_month

# GOV.UK colours: accessible against white and told apart in greyscale print.
COLOURS = ("#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#505a5f", "#28a197", "#912b88")
SHADE = "#b1b4b6"
# Drawn at the width of an A4 page's text (174 mm): its 9 pt text prints at 9 pt, and a
# phone shows it at least 460 px wide (the page lets it scroll sideways in its region).
WIDTH_INCHES = 6.8
PNG_DPI = 200  # sharp when printed from Word


class ChartImage(str):
    """A figure as the page embeds it (a data: URI of its SVG) that can also be drawn
    as PNG for the Word document, from the same data."""

    draw: "functools.partial"
    _drawn: bytes | None = None

    def png(self) -> bytes:
        # Kept with the (cached) image: a worker draws each picture once for the same data.
        if self._drawn is None:
            self._drawn = _png(self.draw())
        return self._drawn


def _svg_data_uri(figure) -> str:
    out = io.BytesIO()
    figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    pyplot().close(figure)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _png(figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=PNG_DPI, bbox_inches="tight", metadata={"Software": None})
    pyplot().close(figure)
    return out.getvalue()


def drug_offences_figure(
    by_month: dict[str, int], shaded: list[tuple[str, datetime.date, datetime.date]]
):
    """Figure 1: drug offences recorded per month, the named periods (lockdowns) shaded;
    the time axis runs from the first day of the first month with data to the last day
    of the last."""
    figure, axes = pyplot().subplots(figsize=(WIDTH_INCHES, 3))
    months = [parse_month(key) for key in by_month]
    # Each bar covers most of its month from the month's first day, so that the axis
    # can start exactly there.
    axes.bar(
        months,
        list(by_month.values()),
        width=25,
        align="edge",
        color=COLOURS[0],
        label="Drug offences",
    )
    if months:
        first = min(months)
        last = month_of(max(months)).end + datetime.timedelta(days=1)
        labelled = False
        for _name, starts_on, ends_on in shaded:
            if ends_on < first or starts_on >= last:
                continue
            label = None if labelled else "Lockdown"
            axes.axvspan(
                max(starts_on, first),
                min(ends_on, last),
                color=SHADE,
                alpha=0.45,
                label=label,
                zorder=0,  # behind the bars
            )
            labelled = True
        axes.set_xlim(first, last)
        # Months as the report writes them ("Nov 2018"), a quarter apart.
        from matplotlib import dates

        axes.xaxis.set_major_locator(dates.MonthLocator(bymonth=(1, 4, 7, 10)))
        axes.xaxis.set_major_formatter(dates.DateFormatter("%b %Y"))
    axes.set_ylabel("Offences recorded")
    axes.spines[["top", "right"]].set_visible(False)
    # Above the bars, never over them.
    axes.legend(frameon=False, loc="lower left", bbox_to_anchor=(0, 1), ncols=2)
    figure.autofmt_xdate()
    return figure


def lines_by_area_figure(by_area: dict[str, dict[str, int]]):
    """Figure 2: lines identified per destination command area, stacked by origin force."""
    areas = sorted(by_area, key=lambda area: sum(by_area[area].values()))
    forces = sorted({force for counts in by_area.values() for force in counts})
    key_rows = (len(forces) + 1) // 2
    figure, axes = pyplot().subplots(
        figsize=(WIDTH_INCHES, 0.9 + 0.4 * max(len(areas), 1) + 0.22 * key_rows),
        layout="constrained",
    )
    left = [0] * len(areas)
    bars = []
    for index, force in enumerate(forces):
        counts = [by_area[area].get(force, 0) for area in areas]
        bars.append(axes.barh(areas, counts, left=left, color=COLOURS[index % len(COLOURS)]))
        left = [a + b for a, b in zip(left, counts, strict=True)]
    axes.set_xlabel("County lines identified")
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    if forces:
        # Named here rather than by each bar's label, which matplotlib leaves out of the
        # key when it begins with `_`: every force is in the key, whatever its name. The
        # key sits beneath the chart, so the bars keep the figure's width on a phone.
        figure.legend(bars, forces, frameon=False, loc="outside lower left", ncols=2, fontsize=8)
    return figure


def drug_offences_chart(
    by_month: dict[str, int], shaded: list[tuple[str, datetime.date, datetime.date]]
) -> str:
    return _svg_data_uri(drug_offences_figure(by_month, shaded))


def lines_by_area_chart(by_area: dict[str, dict[str, int]]) -> str:
    return _svg_data_uri(lines_by_area_figure(by_area))


# A report's page is read far more often than its figures change: each picture is drawn
# once per worker for the same data (a few hundred milliseconds of matplotlib each).
@functools.lru_cache(maxsize=64)
def _drug_offences_cached(by_month: str, shaded: tuple) -> ChartImage:
    data = json.loads(by_month), list(shaded)
    image = ChartImage(drug_offences_chart(*data))
    image.draw = functools.partial(drug_offences_figure, *data)
    return image


@functools.lru_cache(maxsize=64)
def _lines_by_area_cached(by_area: str) -> ChartImage:
    data = json.loads(by_area)
    image = ChartImage(lines_by_area_chart(data))
    image.draw = functools.partial(lines_by_area_figure, data)
    return image


def drug_offences_image(by_month: dict[str, int], shaded) -> ChartImage:
    return _drug_offences_cached(json.dumps(by_month, sort_keys=True), tuple(shaded))


def lines_by_area_image(by_area: dict[str, dict[str, int]]) -> ChartImage:
    return _lines_by_area_cached(json.dumps(by_area, sort_keys=True))
