"""The rules an operation and its arrests, charges, sentences and seizures keep, stated once.

Plain functions of the values returning `{field: message}` (as `lines.rules`), behind
the models' `clean()` (so every form), the services and the batch imports alike.
"""

import datetime
from decimal import Decimal

from core.rules import Name, name_problems, period_problems

OPERATION_NAME = Name("the operation's name")
SEIZURE_NEEDS_SOMETHING = "Enter the cash seized, or the drug and its weight, or both"
DRUG_NEEDS_GRAMS = "Enter the weight of the drug seized, in grams"
GRAMS_NEED_DRUG = "Select the drug the weight is of"
NOT_NEGATIVE = "{what} must be 0 or more"


def operation_problems(
    *, name: str = "", started_on: datetime.date | None, ended_on: datetime.date | None, **_
) -> dict[str, str]:
    return name_problems({"name": (OPERATION_NAME, name)}) | period_problems(
        start=started_on,
        end=ended_on,
        end_field="ended_on",
        start_label="start date",
        end_label="end date",
    )


def sentence_problems(*, custody_months: int | None, **_) -> dict[str, str]:
    if custody_months is not None and custody_months < 0:
        return {"custody_months": NOT_NEGATIVE.format(what="Custody months")}
    return {}


def seizure_problems(
    *,
    cash_gbp: Decimal | None,
    drug_id: int | None = None,
    grams: Decimal | None,
    other_items: str = "",
    **_,
) -> dict[str, str]:
    problems = {}
    if cash_gbp is not None and cash_gbp < 0:
        problems["cash_gbp"] = NOT_NEGATIVE.format(what="Cash seized")
    if grams is not None and grams <= 0:
        problems["grams"] = "The weight of the drug must be more than 0 grams"
    if drug_id is not None and grams is None:
        problems["grams"] = DRUG_NEEDS_GRAMS
    if grams is not None and drug_id is None:
        problems["drug"] = GRAMS_NEED_DRUG
    if cash_gbp is None and drug_id is None and grams is None:
        problems["cash_gbp"] = SEIZURE_NEEDS_SOMETHING
    return problems
