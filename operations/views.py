"""The operations and enforcement screens. Intelligence officers write, managers read,
partners never.

Arrests, charges, sentences and seizures are listed, exported, shown and edited the same
way; each is described once (`EnforcementKind`) and served by the same few views.
"""

import functools
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import ModelChoiceField
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.access import capability_required
from accounts.http import AuthenticatedHttpRequest
from accounts.permissions import Capability, user_can
from audit.printing import audit_record_page
from audit.services import audit_form_shown, audit_listed
from core.templatetags.amounts import pounds
from records.lists import ListScreen, back_link, only_what_is_set
from records.models import ReferencedRecord
from records.versions import save_change

from . import forms, selectors, services
from .models import Arrest, Charge, Operation, Seizure, Sentence


@dataclass(frozen=True)
class EnforcementKind:
    """One kind of enforcement record (an operation, arrest, charge, sentence or seizure)
    and how it is listed, exported, shown and edited."""

    model: type[ReferencedRecord]
    name: str  # "arrest": its URL names are `arrest_list`, `arrest_detail`…
    title: str  # "Arrests"
    # Its export: each column's name and the lookup that reads it (`person__reference`).
    export_columns: tuple[tuple[str, str], ...]
    form: type[forms.RecordForm]

    @property
    def noun(self) -> str:
        return self.name

    @property
    def a_noun(self) -> str:
        return f"{'an' if self.noun[0] in 'aeiou' else 'a'} {self.noun}"

    @property
    def object_type(self) -> str:
        return self.model._meta.label_lower

    def url(self, view: str, *args) -> str:
        return reverse(f"operations:{self.name}_{view}", args=args)

    @functools.cached_property
    def listing(self) -> ListScreen:
        model = self.model
        return ListScreen(
            filterset=lambda user, filters: selectors.record_list(
                model, user=user, filters=filters
            ),
            template=f"operations/{self.name}_list.html",
            noun=self.noun,
            object_type=self.object_type,
            export_url_name=f"operations:{self.name}_export",
            export_header=[name for name, _lookup in self.export_columns],
            export_rows=lambda records, user: selectors.export_rows(
                records, tuple(lookup for _name, lookup in self.export_columns)
            ),
            change_capability=Capability.CHANGE_OPERATIONS,
            export_lookups=[lookup for _name, lookup in self.export_columns],
        )


ENFORCEMENT_KINDS = {
    kind.name: kind
    for kind in (
        EnforcementKind(
            Operation,
            "operation",
            "Operations",
            tuple((name, name) for name in ("reference", *services.OPERATION_FIELDS)),
            forms.OperationForm,
        ),
        EnforcementKind(
            Arrest,
            "arrest",
            "Arrests",
            # The file its import reads, so that an export can be imported again.
            services.ARRESTS.file_columns,
            forms.ArrestForm,
        ),
        EnforcementKind(
            Charge,
            "charge",
            "Charges",
            services.CHARGES.file_columns,
            forms.ChargeForm,
        ),
        EnforcementKind(
            Sentence,
            "sentence",
            "Sentences",
            services.SENTENCES.file_columns,
            forms.SentenceForm,
        ),
        EnforcementKind(
            Seizure,
            "seizure",
            "Seizures",
            services.SEIZURES.file_columns,
            forms.SeizureForm,
        ),
    )
}


# The sub-navigation between the lists.
SECTIONS = [(name, kind.title) for name, kind in ENFORCEMENT_KINDS.items()]


@capability_required(Capability.VIEW_OPERATIONS)
@only_what_is_set
def record_list(request: AuthenticatedHttpRequest, name: str):
    kind = ENFORCEMENT_KINDS[name]
    return kind.listing.page(request, kind=kind, enforcement_sections=SECTIONS)


@capability_required(Capability.VIEW_OPERATIONS)
@only_what_is_set
def record_export(request: AuthenticatedHttpRequest, name: str):
    kind = ENFORCEMENT_KINDS[name]
    return kind.listing.export(request, kind=kind, enforcement_sections=SECTIONS)


@capability_required(Capability.VIEW_OPERATIONS)
def record_detail(request: AuthenticatedHttpRequest, name: str, pk: int):
    kind = ENFORCEMENT_KINDS[name]
    record = selectors.get_record(kind.model, request.user, pk)
    context = {
        **audit_record_page(request, record),
        "record": record,
        "kind": kind,
        "back_url": back_link(request, kind.url("list")),
        "can_change": user_can(request.user, Capability.CHANGE_OPERATIONS),
        "can_read_audit_log": user_can(request.user, Capability.VIEW_AUDIT_LOG),
    }
    if isinstance(record, Operation):
        records = selectors.operation_records(operation=record)
        summary = selectors.operation_summary(operation=record, records=records)
        context |= records | {"summary": summary, "figures": _figures(summary)}
    return render(request, f"operations/{kind.name}_detail.html", context)


def _figures(summary: selectors.OperationSummary) -> list[tuple[str, str]]:
    """The headline figures of an operation, as a manager quotes them."""
    return [
        (f"{summary.arrests}", f"arrests of {summary.persons_arrested} people"),
        (f"{summary.charges}", "charged"),
        (pounds(summary.cash), "cash seized"),
        (f"{summary.children}", "children safeguarded"),
        (f"{summary.vulnerable_adults}", "vulnerable adults safeguarded"),
        (f"{summary.lines}", "lines disrupted"),
        (f"{summary.positive_tests}", "positive drug tests on arrest"),
        (f"{summary.treatment_referrals}", "referred for treatment"),
    ]


@capability_required(Capability.CHANGE_OPERATIONS)
def record_create(request: AuthenticatedHttpRequest, name: str):
    kind = ENFORCEMENT_KINDS[name]
    form = kind.form(request.POST or None, user=request.user)
    # The form offers every operation, by reference and name, to choose from.
    operations = form.fields.get("operation")
    choices = operations.queryset if isinstance(operations, ModelChoiceField) else None
    if request.method == "GET" and choices is not None:
        audit_listed(
            request=request,
            object_type=Operation._meta.label_lower,
            label="Operations to choose from",
            results=choices.count(),
        )
    if request.method == "POST" and form.is_valid():
        fields = form.record_fields()
        record: ReferencedRecord
        try:
            if kind.model is Operation:
                record = services.operation_create(user=request.user, **fields)
            else:
                record = services.enforcement_create(model=kind.model, user=request.user, **fields)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{kind.noun.capitalize()} {record.reference} added.")
            return redirect(kind.url("detail", record.pk))
    return render(request, "operations/record_form.html", {"form": form, "kind": kind})


@capability_required(Capability.CHANGE_OPERATIONS)
def record_update(request: AuthenticatedHttpRequest, name: str, pk: int):
    kind = ENFORCEMENT_KINDS[name]
    record = selectors.get_record(kind.model, request.user, pk, to_change=True)
    audit_form_shown(request=request, obj=record, form="change details")
    form = kind.form(
        request.POST or None,
        user=request.user,
        record=record,
        initial=kind.form.initial_for(record),
    )

    def save(expected_version, _fields):
        fields = form.record_fields()
        if isinstance(record, Operation):
            _, changed = services.operation_update(
                operation=record, user=request.user, expected_version=expected_version, **fields
            )
            return changed
        return services.enforcement_update(
            obj=record, user=request.user, expected_version=expected_version, **fields
        )

    done = f"{kind.noun.capitalize()} {record.reference} updated."
    saved = save_change(request, form, save, done=done, then=kind.url("detail", record.pk))
    return saved or render(
        request, "operations/record_form.html", {"form": form, "kind": kind, "record": record}
    )
