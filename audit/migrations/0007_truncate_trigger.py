"""TRUNCATE empties a table without deleting its rows one by one, so the row trigger of
0002 never sees it: a statement trigger refuses it with the same error."""

from django.db import migrations

CREATE = """
CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
"""
DROP = "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent"


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_sign_in_security_actions")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
