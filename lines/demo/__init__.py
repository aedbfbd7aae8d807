"""The demo county lines (a deterministic data set that reproduces the January 2022 panel
report), loaded by `manage.py seed_demo` through the step registered in `seed`."""

from .plan import demo_lines_plan
from .seed import seed_demo_lines

__all__ = ["demo_lines_plan", "seed_demo_lines"]
