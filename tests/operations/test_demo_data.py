"""The demo enforcement of `seed_demo` reproduces the January 2022 panel report: "29
individuals being handed over 100 years of prison time …, a further 18 charged in
October and 34 arrested over 2 weeks of intensive County Lines disruption in which over
£10,000 was seized in the first week alone" — counted here with plain queries."""

import datetime
from decimal import Decimal

from django.core.management import call_command
from django.db.models import Sum

from audit.models import AuditEvent
from lines.models import LineStatus
from operations.demo import OPERATION_REFERENCE
from operations.models import Arrest, Charge, DrugTest, Operation, OperationKind, Seizure, Sentence
from persons.models import LineRole, LineRoleKind, Person

D = datetime.date


def test_29_people_were_sentenced_in_2021_to_over_100_years(demo_data):
    sentences = Sentence.objects.filter(sentenced_on__year=2021)
    assert sentences.values("person").distinct().count() == 29
    assert sentences.aggregate(months=Sum("custody_months"))["months"] / 12 > 100


def test_18_people_were_charged_in_october_2021(demo_data):
    october = Charge.objects.filter(charged_on__range=(D(2021, 10, 1), D(2021, 10, 31)))
    assert october.values("person").distinct().count() == 18


def test_a_two_week_intensification_arrested_34_and_seized_over_10000_in_week_one(demo_data):
    operation = Operation.objects.get(reference=OPERATION_REFERENCE)
    assert operation.days() == 14
    assert operation.arrests.count() == 34
    assert not operation.arrests.exclude(
        arrested_on__range=(operation.started_on, operation.ended_on)
    ).exists()
    first_week_end = operation.started_on + datetime.timedelta(days=6)
    cash = Seizure.objects.filter(
        operation=operation, seized_on__range=(operation.started_on, first_week_end)
    ).aggregate(cash=Sum("cash_gbp"))["cash"]
    assert cash > Decimal("10000")


def test_some_arrests_were_drug_tested_and_referred_and_some_runners_were_children(demo_data):
    arrests = Arrest.objects.select_related("person")
    assert arrests.filter(drug_test__in=DrugTest.positive()).exists()
    assert arrests.filter(drug_test=DrugTest.NEGATIVE).exists()
    assert arrests.filter(treatment_referral=True).exists()
    runners = set(
        LineRole.objects.filter(role=LineRoleKind.RUNNER).values_list("person_id", flat=True)
    )
    children = [
        a for a in arrests if a.person_id in runners and a.person.was_child_on(a.arrested_on)
    ]
    assert children
    assert Person.objects.filter(vulnerable_adult=True).exists()


def test_seeding_twice_changes_nothing_and_every_record_is_audited(demo_data):
    counts = [
        model.objects.count() for model in (Person, Operation, Arrest, Charge, Sentence, Seizure)
    ]
    events = AuditEvent.objects.count()
    call_command("seed_demo", verbosity=0)

    assert [
        model.objects.count() for model in (Person, Operation, Arrest, Charge, Sentence, Seizure)
    ] == counts
    created = AuditEvent.objects.filter(action="create", object_type="operations.arrest")
    assert created.count() == Arrest.objects.count()  # each once, none changed again
    assert AuditEvent.objects.count() - events < 20  # the second run audits no record again


def test_the_demo_operation_page_has_something_to_say_on_each_figure(demo_data):
    from operations import selectors

    operation = Operation.objects.get(reference=OPERATION_REFERENCE)
    records = selectors.operation_records(operation=operation)
    summary = selectors.operation_summary(operation=operation, records=records)

    assert (summary.arrests, summary.persons_arrested) == (34, 34)
    assert summary.charges > 0 and summary.children > 0 and summary.vulnerable_adults > 0
    assert summary.positive_tests > 0 and summary.treatment_referrals > 0 and summary.lines > 0
    assert [week.label for week in summary.weeks] == ["Week 1", "Week 2"]
    assert summary.weeks[0].cash > Decimal("10000")


def test_several_operations_of_each_kind_none_changing_the_papers_year(demo_data):
    operations = Operation.objects.all()

    assert operations.count() >= 5
    assert set(operations.values_list("kind", flat=True)) == set(OperationKind.values)
    assert operations.filter(arrests__isnull=False).distinct().count() >= 4
    # Those of the paper's year are its own: one intensification week, one warrant day.
    in_2021 = operations.filter(started_on__year=2021)
    assert sorted(in_2021.values_list("kind", flat=True)) == ["intensification", "warrant"]
    later = operations.filter(started_on__gt=D(2022, 1, 15))
    assert later.count() >= 3 and Arrest.objects.filter(operation__in=later).count() > 5


def test_the_people_arrested_charged_or_sentenced_on_a_line_are_among_its_people(demo_data):
    roles = set(LineRole.objects.values_list("person_id", "line_id"))
    records = [
        *Arrest.objects.filter(line__isnull=False).values_list("person_id", "line_id"),
        *Charge.objects.filter(line__isnull=False).values_list("person_id", "line_id"),
        *Sentence.objects.filter(line__isnull=False).values_list("person_id", "line_id"),
    ]

    assert len(records) > 90
    assert set(records) <= roles


def test_each_arrest_is_on_a_line_active_that_day(demo_data):
    arrests = Arrest.objects.select_related("line")

    assert arrests.filter(line__isnull=True).count() == 0
    for arrest in arrests:
        line = arrest.line
        status = LineStatus.of(line.first_identified, line.closed_on, arrest.arrested_on)
        assert status == LineStatus.ACTIVE, arrest
