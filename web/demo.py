"""The demo data set loaded by `manage.py seed_demo` (interfaces.md §1 and §5).

The accounts are this module's. The records are each app's demo step (core/demo.py).
"""

from accounts.models import Agency, Role, User
from accounts.services import user_create
from core.demo import demo_steps

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


def seed_demo_records() -> dict[str, int]:
    """Loads the demo case records the accounts work on (after `seed_demo_accounts`);
    returns how many of each kind it created. Records already there are left as they are.

    Recorded, and audited, as the demo intelligence officer.
    """
    recorder = User.objects.get(username="intel")
    return {step.name: step.load(user=recorder) for step in demo_steps()}
