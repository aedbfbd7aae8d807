"""The panel's own records on screen: drug-related deaths (intelligence officers) and
the periods the charts shade (managers)."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from panel.models import ChartAnnotation, DrugDeath
from reference.models import Drug

from ..helpers import date_fields

pytestmark = pytest.mark.django_db


def test_an_officer_records_a_death_with_its_substances(intel_client):
    cocaine, heroin = Drug.objects.get(name="Cocaine"), Drug.objects.get(name="Heroin")
    response = intel_client.post(
        reverse("panel:death_create"),
        {
            "reference": "DRD-1",
            **date_fields("date_of_death", "2021-03-04"),
            "substances": [cocaine.pk, heroin.pk],
            "source": "coroner",
        },
    )
    assert response.status_code == 302
    death = DrugDeath.objects.get()
    assert {drug.name for drug in death.substances.all()} == {"Cocaine", "Heroin"}
    assert AuditEvent.objects.filter(action="create", object_id=str(death.pk)).exists()

    url = reverse("panel:death_update", args=[death.pk])
    intel_client.post(
        url,
        {
            **date_fields("date_of_death", "2021-03-05"),
            "substances": [heroin.pk],
            "version": death.version,
        },
    )
    death.refresh_from_db()
    assert death.date_of_death == datetime.date(2021, 3, 5)
    assert [drug.name for drug in death.substances.all()] == ["Heroin"]
    assert "DRD-1" in intel_client.get(reverse("panel:death_list")).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (date_fields("date_of_death", "2999-01-01"), "Date of death must be today or in the past"),
        ({}, "Enter the date of death"),
        ({"reference": ""}, "Enter the reference"),
    ],
)
def test_a_death_the_rules_refuse_is_not_recorded(intel_client, data, message):
    response = intel_client.post(reverse("panel:death_create"), {"reference": "DRD-9"} | data)
    assert message in response.content.decode()
    assert not DrugDeath.objects.exists()


def test_managers_change_the_shaded_periods_and_no_one_else(manager_client, intel_client):
    lockdown = ChartAnnotation.objects.get(name="Second national lockdown")
    url = reverse("panel:annotation_edit", args=[lockdown.pk])
    assert intel_client.get(url).status_code == 403
    manager_client.post(
        url,
        {
            "name": "Second national lockdown",
            **date_fields("starts_on", "2020-11-05"),
            **date_fields("ends_on", "2020-12-02"),
        },
    )
    lockdown.refresh_from_db()
    assert lockdown.ends_on == datetime.date(2020, 12, 2)
    refused = manager_client.post(
        url,
        {
            "name": "X",
            **date_fields("starts_on", "2020-11-05"),
            **date_fields("ends_on", "2020-11-01"),
        },
    )
    assert "The last day must be on or after the first" in refused.content.decode()


def test_the_three_lockdowns_are_there_from_the_migration():
    assert list(ChartAnnotation.objects.values_list("name", "starts_on")) == [
        ("First national lockdown", datetime.date(2020, 3, 23)),
        ("Second national lockdown", datetime.date(2020, 11, 5)),
        ("Third national lockdown", datetime.date(2021, 1, 6)),
    ]


def test_the_deaths_list_filters_exports_and_costs_the_same_queries(intel_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reference.models import CommandArea

    york = CommandArea.objects.get(name="York")
    heroin = Drug.objects.get(name="Heroin")
    DrugDeath.objects.create(reference="D-1", date_of_death=datetime.date(2021, 3, 1))
    DrugDeath.objects.create(
        reference="D-2", date_of_death=datetime.date(2021, 4, 1), command_area=york
    ).substances.set([heroin])
    url = reverse("panel:death_list")

    listed = intel_client.get(url, {"substances": heroin.pk})
    assert [death.reference for death in listed.context["list"].page] == ["D-2"]
    export = intel_client.get(reverse("panel:death_export"), {"command_area": york.pk})
    rows = b"".join(export.streaming_content).decode().splitlines()
    assert rows[1:] == ["D-2,2021-04-01,York,Heroin,"]
    assert AuditEvent.objects.filter(action="export", object_type="panel.drugdeath").exists()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert intel_client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for n in range(20):
        DrugDeath.objects.create(
            reference=f"D-{n + 3}", date_of_death=datetime.date(2021, 5, 1)
        ).substances.set([heroin])
    assert queries() == few
