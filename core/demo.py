"""The demo data set loaded by `manage.py seed_demo` (interfaces.md §1 and §5).

The accounts are this module's. The records are each app's: `<app>/demo.py` (or a
`demo` package) registers a step with `@demo_step("name", after=(...))`, a function of
the user who records the data that returns how many records it created. `seed_demo`
discovers them as the admin discovers `admin.py`, so `core` depends on no feature app.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules

from accounts.models import Agency, Role, User
from accounts.services import user_create

# username: (role, agency name or None, first name, last name)
DEMO_ACCOUNTS: dict[str, tuple[Role, str | None, str, str]] = {
    "intel": (Role.INTELLIGENCE_OFFICER, "North Yorkshire Police", "Ingrid", "Telford"),
    "manager": (Role.MANAGER, "North Yorkshire Police", "Marcus", "Anand"),
    "partner": (Role.PARTNER, "City of York Council", "Priya", "Hartley"),
    "partner2": (Role.PARTNER, "North Yorkshire Fire and Rescue Service", "Paul", "Dunmore"),
    "admin": (Role.ADMINISTRATOR, "North Yorkshire Police", "Ada", "Mills"),
}


def seed_demo_accounts(*, password: str, reset_existing: bool = False) -> list[str]:
    """Creates the demo accounts that do not exist yet; returns their usernames.

    With `reset_existing`, accounts already there get `password` too.
    """
    created = []
    for username, (role, agency_name, first_name, last_name) in DEMO_ACCOUNTS.items():
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            if reset_existing:
                existing.set_password(password)
                existing.save(update_fields=["password"])
            continue
        agency = Agency.objects.get(name=agency_name) if agency_name else None
        user_create(
            username=username,
            role=role,
            agency=agency,
            password=password,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@demo.invalid",
        )
        created.append(username)
    return created


@dataclass(frozen=True)
class DemoStep:
    name: str
    load: Callable[..., int]
    after: tuple[str, ...]


_STEPS: dict[str, DemoStep] = {}


def demo_step(name: str, *, after: tuple[str, ...] = ()):
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


def seed_demo_records() -> dict[str, int]:
    """Loads the demo case records the accounts work on (after `seed_demo_accounts`);
    returns how many of each kind it created. Records already there are left as they are.

    Recorded, and audited, as the demo intelligence officer.
    """
    recorder = User.objects.get(username="intel")
    return {step.name: step.load(user=recorder) for step in demo_steps()}
