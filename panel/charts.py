"""The report's two figures, drawn by matplotlib as SVG: the same picture on screen, on
paper and in the PDF. Each is embedded as an image with a text alternative, and the
report prints its data as a table beneath it."""

import base64
import datetime
import functools
import io
import json

from core.charts import pyplot

from .periods import parse_month

# GOV.UK colours: accessible against white and told apart in greyscale print.
COLOURS = ("#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#505a5f", "#28a197", "#912b88")
SHADE = "#b1b4b6"


def _svg_data_uri(figure) -> str:
    out = io.BytesIO()
    figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    pyplot().close(figure)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def drug_offences_chart(
    by_month: dict[str, int], shaded: list[tuple[str, datetime.date, datetime.date]]
) -> str:
    """Figure 1: drug offences recorded per month, the named periods (lockdowns) shaded."""
    figure, axes = pyplot().subplots(figsize=(8, 3.2))
    months = [parse_month(key) for key in by_month]
    axes.bar(months, list(by_month.values()), width=25, color=COLOURS[0], label="Drug offences")
    if months:
        first, last = months[0], months[-1] + datetime.timedelta(days=31)
        labelled = False
        for _name, starts_on, ends_on in shaded:
            if ends_on < first or starts_on > last:
                continue
            label = None if labelled else "Lockdown"
            axes.axvspan(starts_on, ends_on, color=SHADE, alpha=0.45, label=label)
            labelled = True
    axes.set_ylabel("Offences recorded")
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(frameon=False, loc="upper left")
    figure.autofmt_xdate()
    return _svg_data_uri(figure)


def lines_by_area_chart(by_area: dict[str, dict[str, int]]) -> str:
    """Figure 2: lines identified per destination command area, stacked by origin force."""
    areas = sorted(by_area, key=lambda area: sum(by_area[area].values()))
    forces = sorted({force for counts in by_area.values() for force in counts})
    figure, axes = pyplot().subplots(figsize=(8, 0.5 + 0.45 * max(len(areas), 1)))
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
        # key when it begins with `_`: every force is in the key, whatever its name.
        axes.legend(
            bars, forces, frameon=False, loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8
        )
    return _svg_data_uri(figure)


# A report's page is read far more often than its figures change: each picture is drawn
# once per worker for the same data (a few hundred milliseconds of matplotlib each).
@functools.lru_cache(maxsize=64)
def _drug_offences_cached(by_month: str, shaded: tuple) -> str:
    return drug_offences_chart(json.loads(by_month), list(shaded))


@functools.lru_cache(maxsize=64)
def _lines_by_area_cached(by_area: str) -> str:
    return lines_by_area_chart(json.loads(by_area))


def drug_offences_image(by_month: dict[str, int], shaded) -> str:
    return _drug_offences_cached(json.dumps(by_month, sort_keys=True), tuple(shaded))


def lines_by_area_image(by_area: dict[str, dict[str, int]]) -> str:
    return _lines_by_area_cached(json.dumps(by_area, sort_keys=True))
