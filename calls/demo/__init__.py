"""The demo disclosure of call data (the story of two lines' numbers swapping), loaded by
`manage.py seed_demo` through the step registered in `seed`."""

from .plan import demo_calls_plan
from .seed import seed_demo_calls

__all__ = ["demo_calls_plan", "seed_demo_calls"]
