"""Consulting call data is audited with the numbers looked at, by a page's user or by a
command naming itself and the operating-system user."""

import getpass

from audit.models import AuditEvent
from calls.consultation import call_data_consulted


def test_a_user_consulting_is_recorded_with_the_numbers(intel):
    call_data_consulted(
        user=intel,
        analysis="number profile",
        numbers=["+447700900001"],
        detail={"start": "2026-01-01"},
    )
    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.VIEW
    assert event.user == intel
    assert event.object_type == "calls.callevent"
    assert event.object_label == "Call data: number profile"
    # The number is personal data: in the detail, never in the label shown in lists.
    assert "+447700900001" not in event.object_label
    assert event.detail == {
        "analysis": "number profile",
        "numbers": ["+447700900001"],
        "start": "2026-01-01",
    }


def test_a_command_names_itself_and_the_system_user(db):
    call_data_consulted(
        user=None,
        analysis="common contacts",
        numbers=["+447700900001", "+447700900002"],
        via="manage.py common_contacts",
    )
    event = AuditEvent.objects.get()
    assert event.user is None
    assert event.detail["numbers"] == ["+447700900001", "+447700900002"]
    assert event.detail["via"] == "manage.py common_contacts"
    assert event.detail["system_user"] == getpass.getuser()
