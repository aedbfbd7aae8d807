"""The rules a person, their numbers, addresses and roles on lines keep, stated once.

Plain functions of the values returning `{field: message}` (as `lines.rules`), behind
the models' `clean()` (so every form), the services and the batch import alike.
"""

import datetime

from core.rules import Name, day_in_words, name_problems

NRM_STAGE_NEEDS_REFERRAL = "Enter the date of the NRM referral before its stage"
NRM_REFERRAL_NEEDS_EXPLOITED = "Only a person recorded as exploited has an NRM referral"
BORN_IN_FUTURE = "The date of birth must be in the past"
# A person's names, as messages call them.
SURNAME = Name("the surname")
FORENAMES = Name("the forenames", plural=True)
ALIASES = Name("the alias", one_per_line=True)


def person_problems(
    *,
    surname: str = "",
    forenames: str = "",
    aliases: str = "",
    date_of_birth: datetime.date | None,
    exploited: bool = False,
    nrm_referred_on: datetime.date | None = None,
    nrm_stage: str = "",
    today: datetime.date,
) -> dict[str, str]:
    problems = name_problems(
        {
            "surname": (SURNAME, surname),
            "forenames": (FORENAMES, forenames),
            "aliases": (ALIASES, aliases),
        }
    )
    if date_of_birth and date_of_birth > today:
        problems["date_of_birth"] = BORN_IN_FUTURE
    if nrm_stage and not nrm_referred_on:
        problems["nrm_stage"] = NRM_STAGE_NEEDS_REFERRAL
    if nrm_referred_on and not exploited:
        problems["nrm_referred_on"] = NRM_REFERRAL_NEEDS_EXPLOITED
    if nrm_referred_on and date_of_birth and nrm_referred_on < date_of_birth:
        problems["nrm_referred_on"] = (
            "The date of the NRM referral must be after the date of birth "
            f"({day_in_words(date_of_birth)})"
        )
    return problems
