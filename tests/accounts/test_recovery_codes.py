"""Recovery codes are stored as digests only (accounts.models.RecoveryCodeDevice): whoever
reads the database, or a backup of it, learns no code. The codes django-otp's otp_static
kept in plain text are moved there as digests by a migration, which removes otp_static."""

import importlib
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse
from django.utils import timezone

from accounts.models import RecoveryCode, RecoveryCodeDevice, recovery_code_digest
from accounts.two_factor import recovery_codes_renew, second_factor_set_up
from tests.factories import PASSWORD

VERIFY = reverse("accounts:two_factor_verify")
HOME = reverse("web:home")
MIGRATION = importlib.import_module("accounts.migrations.0006_recovery_codes_from_otp_static")


def signs_in_with(user, code: str, client) -> bool:
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    client.post(VERIFY, {"code": code})
    return client.get(HOME).status_code == 200


def text_columns_holding(text: str) -> list[str]:
    """Every text column of every table of the project holding `text`, as table.column."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                lookup = {f"{field.attname}__icontains": text}
                if model._default_manager.filter(**lookup).exists():
                    found.append(f"{model._meta.db_table}.{field.column}")
    return found


def test_no_recovery_code_is_stored_anywhere_only_its_digest(intel):
    codes = recovery_codes_renew(intel)

    for code in codes:
        assert text_columns_holding(code) == []
        assert text_columns_holding(code.replace("-", "")) == []
    assert RecoveryCode.objects.filter(device__user=intel).count() == len(codes)


def test_codes_are_80_random_bits_in_four_groups_of_four(intel):
    codes = recovery_codes_renew(intel)

    assert all(re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){3}", code) for code in codes)
    assert len(set(codes)) == len(codes)


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code,
        lambda code: code.replace("-", ""),
        lambda code: code.replace("-", " ").lower(),
        lambda code: f"  {code.lower()} ",
        lambda code: code.replace("O", "0").replace("I", "1"),
    ],
    ids=["as-shown", "no-dashes", "spaces-lower-case", "padded", "digits-for-letters"],
)
def test_a_code_is_accepted_however_it_is_typed(intel, client, typed):
    code = "ABCD-EFGH-IJKL-MNOP"  # with an O and an I, to type as 0 and 1
    recovery_codes_renew(intel)
    device = RecoveryCodeDevice.objects.get(user=intel)
    device.codes.create(digest=recovery_code_digest(code))

    assert signs_in_with(intel, typed(code), client)
    assert not device.codes.filter(digest=recovery_code_digest(code)).exists()


def test_wrong_codes_are_slowed_down_as_django_otp_does(intel):
    codes = recovery_codes_renew(intel)
    device = RecoveryCodeDevice.objects.get(user=intel)

    assert not device.verify_token("AAAA-AAAA-AAAA-AAAA")
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Within the second that follows, even a right code is refused, and kept.
    assert not device.verify_token(codes[0])
    device.throttling_failure_timestamp = timezone.now() - timedelta(seconds=2)
    device.save()
    assert device.verify_token(codes[0])
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


# --- The migration from otp_static --------------------------------------------------------

OTP_STATIC_TABLES = [
    """CREATE TABLE otp_static_staticdevice (
        id integer PRIMARY KEY,
        name varchar(64) NOT NULL,
        confirmed boolean NOT NULL,
        user_id bigint NOT NULL REFERENCES accounts_user (id),
        throttling_failure_timestamp timestamp NULL,
        throttling_failure_count integer NOT NULL,
        created_at timestamp NULL,
        last_used_at timestamp NULL
    )""",
    """CREATE TABLE otp_static_statictoken (
        id integer PRIMARY KEY,
        token varchar(16) NOT NULL,
        device_id integer NOT NULL REFERENCES otp_static_staticdevice (id)
    )""",
]


@pytest.fixture
def otp_static_codes(intel, manager):
    """otp_static's tables and records as a database migrated before this change holds
    them: intel with two plain codes, manager with one."""
    with connection.cursor() as cursor:
        for statement in OTP_STATIC_TABLES:
            cursor.execute(statement)
        cursor.execute(
            "INSERT INTO otp_static_staticdevice (id, name, confirmed, user_id, "
            "throttling_failure_count) VALUES (7, 'Recovery codes', %s, %s, 0), "
            "(8, 'Recovery codes', %s, %s, 0)",
            [True, intel.pk, True, manager.pk],
        )
        cursor.execute(
            "INSERT INTO otp_static_statictoken (id, token, device_id) VALUES "
            "(1, 'abcd2345', 7), (2, 'wxyz6723', 7), (3, 'qrst4567', 8)"
        )
    for name in ("0001_initial", "0002_throttling", "0003_add_timestamps"):
        MigrationRecorder.Migration.objects.create(app="otp_static", name=name)
    device_type = ContentType.objects.create(app_label="otp_static", model="staticdevice")
    Permission.objects.create(
        content_type=device_type, codename="view_staticdevice", name="Can view static device"
    )
    return {"intel": ["abcd2345", "wxyz6723"], "manager": ["qrst4567"]}


def migrate_from_otp_static() -> None:
    MIGRATION.move_codes_and_remove_otp_static(apps, SimpleNamespace(connection=connection))


def test_the_migration_keeps_only_digests_and_removes_otp_static(otp_static_codes, intel):
    migrate_from_otp_static()

    tables = connection.introspection.table_names()
    assert "otp_static_statictoken" not in tables
    assert "otp_static_staticdevice" not in tables
    assert not MigrationRecorder.Migration.objects.filter(app="otp_static").exists()
    assert not ContentType.objects.filter(app_label="otp_static").exists()
    assert not Permission.objects.filter(codename="view_staticdevice").exists()
    for code in otp_static_codes["intel"] + otp_static_codes["manager"]:
        assert text_columns_holding(code) == []
    assert RecoveryCode.objects.filter(device__user=intel).count() == 2
    assert second_factor_set_up(intel)


def test_codes_moved_by_the_migration_still_sign_in_once(otp_static_codes, intel, client):
    migrate_from_otp_static()
    code = otp_static_codes["intel"][0]

    assert signs_in_with(intel, code.upper(), client)
    client.logout()
    assert not signs_in_with(intel, code, client)


def test_the_migration_digests_codes_as_the_service_does():
    for code in ("abcd2345", "ABCD-EFGH-IJKL-MNOP", "wxyz 6723"):
        assert MIGRATION._digest(code) == recovery_code_digest(code)


def test_on_a_new_database_the_migration_has_nothing_to_do(intel):
    migrate_from_otp_static()

    assert not RecoveryCodeDevice.objects.exists()
