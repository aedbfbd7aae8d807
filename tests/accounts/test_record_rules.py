"""Who may see and change each kind of record is its rule in
accounts.permissions.RECORD_RULES, and the `get_<obj>_for_user` helpers do what the rule
says: each helper is called, as each role, on a record of its kind. (The partners' share
of safeguarding records, the ownership rule, is tried in tests/safeguarding.)"""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.permissions import RECORD_RULES, rule_of, user_can
from audit.models import AuditEvent
from calls.selectors.sources import get_source_for_user
from imports.selectors import get_import_job_for_user
from lines.selectors import get_attribution_for_user, get_line_for_user, get_number_for_user
from operations import selectors as operations
from panel.models import DrugDeath
from panel.selectors import get_annotation_for_user, get_death_for_user, get_report_for_user
from persons.models import LineRole, PersonAddress, PersonNumber
from persons.selectors import get_person_for_user, get_person_record

ROLES = ("intel", "manager", "partner", "administrator")


def _operations(model, name: str):
    return lambda user, r, **kw: operations.get_record(model, user, getattr(r, name).pk, **kw)


def _persons(model, name: str):
    return lambda user, r: get_person_record(user, r.person, model, getattr(r, name).pk)


# Each kind's helper, on the record of tests/access_walk.py `records`; `to_change` where the
# helper takes it.
HELPERS = {
    "lines.line": lambda user, r, **kw: get_line_for_user(user, r.line.pk, **kw),
    "lines.linenumber": lambda user, r, **kw: get_attribution_for_user(
        user, r.line, r.attribution.pk, **kw
    ),
    "lines.phonenumber": lambda user, r: get_number_for_user(user, r.number.pk),
    "persons.person": lambda user, r, **kw: get_person_for_user(user, r.person.pk, **kw),
    "persons.personnumber": _persons(PersonNumber, "phone"),
    "persons.personaddress": _persons(PersonAddress, "address"),
    "persons.linerole": _persons(LineRole, "line_role"),
    **{
        f"operations.{name}": _operations(apps.get_model("operations", name), name)
        for name in ("operation", "arrest", "charge", "sentence", "seizure")
    },
    "panel.panelreport": lambda user, r, **kw: get_report_for_user(user, r.report.pk, **kw),
    "panel.drugdeath": lambda user, r, **kw: get_death_for_user(user, r.death.pk, **kw),
    "panel.chartannotation": lambda user, r, **kw: get_annotation_for_user(
        user, r.annotation.pk, **kw
    ),
    "imports.importjob": lambda user, r: get_import_job_for_user(user, r.import_job.pk),
    "calls.source": lambda user, r, **kw: get_source_for_user(user, r.source.pk, **kw),
}
# A person's numbers, addresses and roles are changed once the person is checked to change.
SEEN_ONLY = {
    "lines.phonenumber",
    "persons.personnumber",
    "persons.personaddress",
    "persons.linerole",
    "imports.importjob",
}
# Kinds with no page of their own, so no helper.
NO_PAGE = {
    "lines.intelligenceentry": "shown on its line's page, never alone",
    "panel.recordeddrugoffence": "counted by the report, never shown one by one",
    "calls.callevent": "a disclosure's evidence, read by the analyses, never shown alone",
}


def _answers(helper, user, records, **kwargs) -> bool:
    try:
        helper(user, records, **kwargs)
    except (Http404, PermissionDenied):
        return False
    return True


def test_every_kind_declared_is_a_model_and_is_tried_here():
    for label in RECORD_RULES:
        apps.get_model(label)
    tried = set(HELPERS) | set(NO_PAGE) | {k for k in RECORD_RULES if k.startswith("safeguarding.")}
    assert set(RECORD_RULES) == tried


@pytest.mark.parametrize("role", ROLES)
def test_each_helper_lets_a_role_see_and_change_what_the_kinds_rule_says(request, role, records):
    user = request.getfixturevalue(role)
    wrong = []
    for kind, helper in HELPERS.items():
        rule = rule_of(kind)
        sees = _answers(helper, user, records)
        if sees != user_can(user, rule.view):
            wrong.append(f"{kind}: sees {sees}, the rule says {not sees}")
        if kind not in SEEN_ONLY:
            changes = _answers(helper, user, records, to_change=True)
            if changes != (sees and user_can(user, rule.change)):
                wrong.append(f"{kind}: changes {changes}, the rule says {not changes}")

    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_a_drug_related_death_is_seen_by_who_records_deaths_not_by_report_readers(
    intel, manager, records
):
    """Managers read the deaths as the report's figures only (tests/access_table.py: the
    death pages answer them 403)."""
    assert get_death_for_user(intel, records.death.pk, to_change=True) == records.death

    with pytest.raises(Http404):
        get_death_for_user(manager, records.death.pk)

    refusal = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS_DENIED, user=manager)
    assert (refusal.object_type, refusal.object_id) == ("panel.drugdeath", str(records.death.pk))
    assert not user_can(manager, rule_of(DrugDeath).view)
