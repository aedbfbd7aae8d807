"""Reference data of interfaces.md §2: every territorial police force of England and
Wales, Police Scotland, PSNI and British Transport Police; the default command areas;
the drugs. Editable afterwards in the admin."""

from django.db import migrations

# (full name, short name, aliases separated by ;)
FORCES = [
    ("Avon and Somerset Constabulary", "Avon and Somerset", ""),
    ("Bedfordshire Police", "Bedfordshire", ""),
    ("Cambridgeshire Constabulary", "Cambridgeshire", ""),
    ("Cheshire Constabulary", "Cheshire", ""),
    ("City of London Police", "City of London", ""),
    ("Cleveland Police", "Cleveland", ""),
    ("Cumbria Constabulary", "Cumbria", ""),
    ("Derbyshire Constabulary", "Derbyshire", ""),
    ("Devon and Cornwall Police", "Devon and Cornwall", ""),
    ("Dorset Police", "Dorset", ""),
    ("Durham Constabulary", "Durham", ""),
    ("Dyfed-Powys Police", "Dyfed-Powys", ""),
    ("Essex Police", "Essex", ""),
    ("Gloucestershire Constabulary", "Gloucestershire", ""),
    ("Greater Manchester Police", "Greater Manchester", "Manchester;GMP"),
    ("Gwent Police", "Gwent", ""),
    ("Hampshire and Isle of Wight Constabulary", "Hampshire", "Hampshire Constabulary"),
    ("Hertfordshire Constabulary", "Hertfordshire", ""),
    ("Humberside Police", "Humberside", ""),
    ("Kent Police", "Kent", ""),
    ("Lancashire Constabulary", "Lancashire", ""),
    ("Leicestershire Police", "Leicestershire", ""),
    ("Lincolnshire Police", "Lincolnshire", ""),
    ("Merseyside Police", "Merseyside", "Liverpool"),
    ("Metropolitan Police Service", "Metropolitan", "London;Met;MPS"),
    ("Norfolk Constabulary", "Norfolk", ""),
    ("North Wales Police", "North Wales", ""),
    ("North Yorkshire Police", "North Yorkshire", "NYP"),
    ("Northamptonshire Police", "Northamptonshire", ""),
    ("Northumbria Police", "Northumbria", ""),
    ("Nottinghamshire Police", "Nottinghamshire", ""),
    ("South Wales Police", "South Wales", ""),
    ("South Yorkshire Police", "South Yorkshire", "SYP"),
    ("Staffordshire Police", "Staffordshire", ""),
    ("Suffolk Constabulary", "Suffolk", ""),
    ("Surrey Police", "Surrey", ""),
    ("Sussex Police", "Sussex", ""),
    ("Thames Valley Police", "Thames Valley", ""),
    ("Warwickshire Police", "Warwickshire", ""),
    ("West Mercia Police", "West Mercia", ""),
    ("West Midlands Police", "West Midlands", "WMP"),
    ("West Yorkshire Police", "West Yorkshire", "WYP"),
    ("Wiltshire Police", "Wiltshire", ""),
    ("Police Scotland", "Scotland", ""),
    ("Police Service of Northern Ireland", "PSNI", "Northern Ireland"),
    ("British Transport Police", "BTP", "British Transport"),
]

COMMAND_AREAS = [
    "York",
    "Selby",
    "Harrogate",
    "Craven",
    "Hambleton",
    "Richmondshire",
    "Ryedale",
    "Scarborough",
]

DRUGS = [
    "Cocaine",
    "Crack cocaine",
    "Heroin",
    "Cannabis",
    "MDMA",
    "Amphetamine",
    "Ketamine",
    "Synthetic cannabinoids",
    "Benzodiazepines",
    "Methadone",
    "Other opioids",
    "Prescription medication",
    "Over-the-counter medication",
    "Alcohol",
    "Other",
]


def create_reference_data(apps, schema_editor):
    Force = apps.get_model("reference", "Force")
    CommandArea = apps.get_model("reference", "CommandArea")
    Drug = apps.get_model("reference", "Drug")
    for name, short_name, aliases in FORCES:
        Force.objects.get_or_create(
            name=name, defaults={"short_name": short_name, "aliases": aliases}
        )
    for name in COMMAND_AREAS:
        CommandArea.objects.get_or_create(name=name)
    for name in DRUGS:
        Drug.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]

    operations = [migrations.RunPython(create_reference_data, migrations.RunPython.noop)]
