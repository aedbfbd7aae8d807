"""Each app's demo data: `<app>/demo.py` (or a `demo` package) registers a step with
`@demo_step("name", after=(...))`, a function of the user who records the data that
returns how many records it created. `manage.py seed_demo` (web/demo.py) discovers them
as the admin discovers `admin.py`, so the shell depends on the feature apps and they on
nothing above them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class DemoStep:
    name: str
    load: Callable[..., int]
    after: tuple[str, ...]


_STEPS: dict[str, DemoStep] = {}


def demo_step(
    name: str, *, after: tuple[str, ...] = ()
) -> Callable[[Callable[..., int]], Callable[..., int]]:
    """Decorator: `load(user=...)` is run by seed_demo, after the steps named in `after`."""

    def register(load: Callable[..., int]) -> Callable[..., int]:
        _STEPS[name] = DemoStep(name, load, after)
        return load

    return register


def demo_steps() -> list[DemoStep]:
    """Every app's step, each after those it needs."""
    autodiscover_modules("demo")
    ordered: list[DemoStep] = []

    def visit(step: DemoStep, path: tuple[str, ...]) -> None:
        if step in ordered:
            return
        if step.name in path:
            raise ValueError(f"Demo steps depend on each other: {' > '.join((*path, step.name))}")
        for name in step.after:
            visit(_STEPS[name], (*path, step.name))
        ordered.append(step)

    for step in sorted(_STEPS.values(), key=lambda step: step.name):
        visit(step, ())
    return ordered
