"""matplotlib, set up once for every chart the service draws.

Charts are drawn to SVG on the server (no display), their text kept as text: smaller,
selectable, and found in a PDF. Every label is drawn as plain text: matplotlib would
otherwise read text between two `$` as mathematics (mathtext), so that a name holding
them (a force called `Merseyside $\\frac{1}{$ Police`) draws as something else or, not
being valid mathematics, fails the whole page. The service's labels are names and
figures, never formulas.
"""

from types import ModuleType

FONT = {"family": "DejaVu Sans", "size": 9}


def pyplot() -> ModuleType:
    """matplotlib's pyplot, loaded on first use (imports and the workers that never draw
    a chart do not pay for it) and set up as above."""
    import matplotlib

    matplotlib.use("Agg")  # no display: draw to files only
    matplotlib.rc("font", **FONT)
    matplotlib.rc("text", parse_math=False)
    matplotlib.rc("svg", fonttype="none")
    from matplotlib import pyplot

    return pyplot
