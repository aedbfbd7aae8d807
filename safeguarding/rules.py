"""The rules a cuckooing referral, its occupants, exchanges and actions keep, stated once.

Plain functions of the values returning `{field: message}` (as `lines.rules`), behind
the models' `clean()` (so every form), the services and the batch import alike.
"""

import datetime
import re
from collections.abc import Collection
from typing import Any

from core.rules import Name, name_problems, period_problems
from lines.rules import HANDLING_CONDITIONS_REQUIRED

OCCUPANT_NAME = Name("their name")
# An occupant's age when their date of birth is not known: a person, not a typo.
OLDEST_AGE = 120


def referral_problems(
    *, referred_on: datetime.date | None, closed_on: datetime.date | None, today: datetime.date
) -> dict[str, str]:
    problems = period_problems(
        start=referred_on,
        end=closed_on,
        end_field="closed_on",
        start_label="date of the referral",
        end_label="date it was closed",
    )
    if referred_on and referred_on > today:
        problems.setdefault("referred_on", "The date of the referral must be today or in the past")
    if closed_on and closed_on > today:
        problems.setdefault("closed_on", "The date it was closed must be today or in the past")
    return problems


def occupant_problems(
    *,
    name: str = "",
    date_of_birth: datetime.date | None,
    age: int | None,
    today: datetime.date,
) -> dict[str, str]:
    return name_problems({"name": (OCCUPANT_NAME, name)}) | _age_problems(
        date_of_birth=date_of_birth, age=age, today=today
    )


def _age_problems(
    *, date_of_birth: datetime.date | None, age: int | None, today: datetime.date
) -> dict[str, str]:
    if date_of_birth and date_of_birth > today:
        return {"date_of_birth": "The date of birth must be in the past"}
    if date_of_birth and age is not None:
        return {"age": "Enter the date of birth or the age, not both"}
    if age is not None and not 0 <= age <= OLDEST_AGE:
        return {"age": f"The age must be between 0 and {OLDEST_AGE}"}
    return {}


def exchange_problems(*, handling_code: str, handling_conditions: str) -> dict[str, str]:
    if handling_code == "C" and not handling_conditions.strip():
        return {"handling_conditions": HANDLING_CONDITIONS_REQUIRED}
    return {}


def exchange_agency_problems(
    *, from_agency: Any, to_agencies: Collection[Any], parties: Collection[Any]
) -> dict[str, str]:
    """An exchange is between agencies the referral is shared with (or the police), and
    never from an agency to itself."""
    outside = sorted(str(agency) for agency in to_agencies if agency not in parties)
    if outside:
        return {
            "to_agencies": "Share the referral with "
            + " and ".join(outside)
            + " before recording an exchange with them"
        }
    if from_agency is not None and from_agency in to_agencies:
        return {"to_agencies": f"{from_agency} cannot share with itself"}
    return {}


def action_problems(
    *, agreed_on: datetime.date | None, due_on: datetime.date | None, done_on: datetime.date | None
) -> dict[str, str]:
    problems = period_problems(
        start=agreed_on,
        end=due_on,
        end_field="due_on",
        start_label="date it was agreed",
        end_label="date it is due",
    )
    problems |= period_problems(
        start=agreed_on,
        end=done_on,
        end_field="done_on",
        start_label="date it was agreed",
        end_label="date it was done",
    )
    return problems


# A partner's referral's reference, as the service numbers it: the agency's code, a dash
# and a number (`CYC-0042`).
_PARTNER_REFERENCE = re.compile(r"^([A-Za-z][A-Za-z0-9]{1,9})-[0-9]+$")


def partner_reference_problems(reference: str, partner_codes: Collection[str]) -> dict[str, str]:
    """A new referral the police record may not take a reference of the partners' own
    numbering: the service would pass over the number, and a partner would see the gap."""
    match = _PARTNER_REFERENCE.match(" ".join((reference or "").split()))
    if match and match[1].upper() in partner_codes:
        return {
            "reference": f"References like {match[1].upper()}-0042 are given by the service to "
            "partner agencies' referrals: enter the partnership's own reference"
        }
    return {}
