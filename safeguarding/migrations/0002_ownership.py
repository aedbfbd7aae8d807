"""The ownership rule (accounts.permissions.RECORD_RULES) needs to know which agency
recorded each occupant and action, and whether an action was agreed with every agency
the referral is shared with; partners' referrals get references from a sequence.

Existing records: the agency that recorded an occupant or action is read from the audit
log's `create` event of it (the agency of the user who made it, as the event recorded);
records made before the log knew agencies keep none. Actions the police own become
police-only (not shared with the partnership, no recording partner); every other action
keeps the visibility it had, every agency the referral is shared with.
"""

import django.db.models.deletion
from django.db import migrations, models

POLICE = "police"


def recording_agencies(apps, object_type: str) -> dict[int, int]:
    """{record id: id of the agency that recorded it}, from the audit log."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    Agency = apps.get_model("accounts", "Agency")
    agencies = dict(Agency.objects.values_list("name", "pk"))
    events = AuditEvent.objects.filter(action="create", object_type=object_type).exclude(
        agency_name=""
    )
    found = {}
    for object_id, agency_name in events.values_list("object_id", "agency_name").iterator():
        if object_id.isdigit() and agency_name in agencies:
            found.setdefault(int(object_id), agencies[agency_name])
    return found


def record_owners(apps, schema_editor):
    Occupant = apps.get_model("safeguarding", "Occupant")
    Action = apps.get_model("safeguarding", "SafeguardingAction")
    Action.objects.exclude(owner_agency__kind=POLICE).update(shared_with_partnership=True)
    for model, object_type in (
        (Occupant, "safeguarding.occupant"),
        (Action, "safeguarding.safeguardingaction"),
    ):
        records = model.objects.all()
        if model is Action:
            records = records.exclude(owner_agency__kind=POLICE)
        by_agency: dict[int, list[int]] = {}
        found = recording_agencies(apps, object_type)
        for pk in records.filter(pk__in=list(found)).values_list("pk", flat=True):
            by_agency.setdefault(found[pk], []).append(pk)
        for agency_id, pks in by_agency.items():
            model.objects.filter(pk__in=pks).update(recorded_by_agency_id=agency_id)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_agency_code"),
        ("audit", "0007_truncate_trigger"),
        ("safeguarding", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReferenceSequence",
            fields=[
                (
                    "agency",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="accounts.agency",
                    ),
                ),
                ("last_number", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name="occupant",
            name="recorded_by_agency",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.agency",
            ),
        ),
        migrations.AddField(
            model_name="safeguardingaction",
            name="recorded_by_agency",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.agency",
            ),
        ),
        migrations.AddField(
            model_name="safeguardingaction",
            name="shared_with_partnership",
            field=models.BooleanField(
                default=False,
                verbose_name="agreed with every agency the referral is shared with",
            ),
        ),
        migrations.RunPython(record_owners, migrations.RunPython.noop),
    ]
