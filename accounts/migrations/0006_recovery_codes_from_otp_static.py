"""Recovery codes move from django-otp's otp_static app, which kept them in plain text,
to accounts.RecoveryCodeDevice, which keeps only a digest of each; then otp_static, no
longer installed, is removed from the database: its two tables, its migration records
and its content types (with their permissions). No plain code remains anywhere.

Codes made by otp_static are shorter (8 base32 characters, 40 bits) than those made
since (16, 80 bits): they keep working until used or renewed.

On a new database otp_static never ran, and there is nothing to move or remove.
"""

import hashlib

from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder

DEVICES = "otp_static_staticdevice"
TOKENS = "otp_static_statictoken"


def _digest(code: str) -> str:
    # accounts.models.recovery_code_digest as it stands here: stored digests depend on it.
    normal = "".join(code.split()).replace("-", "").upper().translate(str.maketrans("01", "OI"))
    return hashlib.sha256(normal.encode()).hexdigest()


def move_codes_and_remove_otp_static(apps, schema_editor) -> None:
    connection = schema_editor.connection
    tables = set(connection.introspection.table_names())
    if DEVICES in tables:
        _move_codes(apps, connection, with_tokens=TOKENS in tables)
    with connection.cursor() as cursor:
        # The tokens first: they refer to the devices.
        if TOKENS in tables:
            cursor.execute("DROP TABLE otp_static_statictoken")
        if DEVICES in tables:
            cursor.execute("DROP TABLE otp_static_staticdevice")
    MigrationRecorder(connection).migration_qs.filter(app="otp_static").delete()
    # Their permissions go with them; the admin's history keeps its entries, unlinked.
    apps.get_model("contenttypes", "ContentType").objects.filter(app_label="otp_static").delete()


def _move_codes(apps, connection, *, with_tokens: bool) -> None:
    """Each device and the digest of each of its codes. (Its throttling is not moved: a
    wait of seconds after a wrong code, long over by the time this runs.)"""
    RecoveryCodeDevice = apps.get_model("accounts", "RecoveryCodeDevice")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    devices, codes = {}, set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, user_id, name, confirmed FROM otp_static_staticdevice")
        for old_id, user_id, name, confirmed in cursor.fetchall():
            devices[old_id] = RecoveryCodeDevice.objects.create(
                user_id=user_id, name=name, confirmed=bool(confirmed)
            )
        if with_tokens:
            cursor.execute("SELECT device_id, token FROM otp_static_statictoken")
            codes = {(devices[device].pk, _digest(token)) for device, token in cursor.fetchall()}
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device_id=device, digest=digest) for device, digest in codes
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_credentials"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [
        # There is no way back to plain codes: reversed, this does nothing.
        migrations.RunPython(move_codes_and_remove_otp_static, migrations.RunPython.noop),
    ]
