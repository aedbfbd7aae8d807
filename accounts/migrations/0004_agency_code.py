"""Each agency gets a short code, which begins the references the service gives the
records its users make (a partner's referral: `CYC-0042`). The agencies of 0002 get
theirs; any other agency one made of its initials, unique."""

import re

import django.core.validators
from django.db import migrations, models

CODES = {
    "North Yorkshire Police": "NYP",
    "City of York Council": "CYC",
    "North Yorkshire County Council": "NYCC",
    "North Yorkshire Fire and Rescue Service": "NYFRS",
    "NHS North Yorkshire": "NHSNY",
    "Probation Service": "PROB",
    "Housing provider": "HOUS",
}


def initials(name: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", name)
    code = "".join(word[0] for word in words).upper()[:8]
    return code if len(code) >= 2 else (re.sub(r"[^A-Z0-9]", "", name.upper()) + "AG")[:8]


def give_codes(apps, schema_editor):
    Agency = apps.get_model("accounts", "Agency")
    taken = set()
    for agency in Agency.objects.order_by("pk"):
        code = CODES.get(agency.name) or initials(agency.name)
        if not code[0].isalpha():
            code = f"A{code}"[:8]
        candidate, number = code, 2
        while candidate in taken:
            candidate, number = f"{code}{number}", number + 1
        taken.add(candidate)
        agency.code = candidate
        agency.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_user_sessions")]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="code",
            field=models.CharField(max_length=10, null=True),
        ),
        migrations.RunPython(give_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="agency",
            name="code",
            field=models.CharField(
                help_text="Begins the references the service gives the agency's records (CYC-0042)",
                max_length=10,
                unique=True,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[A-Z][A-Z0-9]{1,9}$",
                        "Enter 2 to 10 capital letters or digits, starting with a letter",
                    )
                ],
            ),
        ),
    ]
