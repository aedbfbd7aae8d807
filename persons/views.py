"""The people screens. Intelligence officers write, managers read, partners never.

Views check the capability, read through `selectors`, write through `services` and
render; the rules live in those modules.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.access import capability_required
from accounts.http import AuthenticatedHttpRequest
from accounts.permissions import Capability, user_can
from audit.printing import audit_record_page
from audit.services import audit_form_shown, audit_listed
from core.forms import GovukForm
from lines.services import phone_number_get_or_create
from records.lists import ListScreen, back_link, only_what_is_set
from records.versions import initial_for, save_change

from . import selectors, services
from .forms import (
    LineRoleChangeForm,
    LineRoleForm,
    PersonAddressChangeForm,
    PersonAddressForm,
    PersonForm,
    PersonNumberChangeForm,
    PersonNumberForm,
    PersonUpdateForm,
)
from .models import LineRole, PersonAddress, PersonNumber

PERSON_TYPE = "persons.person"
EXPORT_HEADER = list(selectors.PERSON_EXPORT_COLUMNS)
# The create form's button that says none of the likely duplicates is this person.
NOT_A_DUPLICATE = "not_a_duplicate"


PEOPLE = ListScreen(
    filterset=selectors.person_list,
    template="persons/person_list.html",
    noun="person",
    object_type=PERSON_TYPE,
    export_url_name="persons:person_export",
    export_header=EXPORT_HEADER,
    export_rows=lambda persons, user: selectors.person_export_rows(persons=persons),
    change_capability=Capability.CHANGE_PERSONS,
)


@capability_required(Capability.VIEW_PERSONS)
@only_what_is_set
def person_list(request: AuthenticatedHttpRequest):
    return PEOPLE.page(request)


@capability_required(Capability.VIEW_PERSONS)
@only_what_is_set
def person_export(request: AuthenticatedHttpRequest):
    return PEOPLE.export(request)


@capability_required(Capability.VIEW_PERSONS)
def person_detail(request: AuthenticatedHttpRequest, pk: int):
    person = selectors.get_person_for_user(request.user, pk)
    printing = audit_record_page(request, person)
    roles = selectors.person_line_roles(person=person)
    enforcement = selectors.person_enforcement(person=person)
    return render(
        request,
        "persons/person_detail.html",
        {
            "person": person,
            "back_url": back_link(request, reverse("persons:person_list")),
            "numbers": selectors.person_numbers(person=person),
            "addresses": selectors.person_addresses(person=person),
            "roles": roles,
            **enforcement,
            "timeline": selectors.person_timeline(
                person=person, roles=roles, enforcement=enforcement
            ),
            "can_change": user_can(request.user, Capability.CHANGE_PERSONS),
            "can_read_audit_log": user_can(request.user, Capability.VIEW_AUDIT_LOG),
            **printing,
        },
    )


@capability_required(Capability.CHANGE_PERSONS)
def person_create(request: AuthenticatedHttpRequest):
    form = PersonForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        if NOT_A_DUPLICATE not in request.POST:
            duplicates = selectors.likely_duplicates(
                user=request.user,
                surname=fields["surname"],
                forenames=fields["forenames"],
                date_of_birth=fields["date_of_birth"],
            )
        if duplicates:
            _audit_duplicates_shown(request, fields, duplicates)
        else:
            try:
                person = services.person_create(user=request.user, **fields)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"{person} added.")
                return redirect("persons:person_detail", pk=person.pk)
    return render(
        request,
        "persons/person_create.html",
        {"form": form, "duplicates": duplicates, "not_a_duplicate": NOT_A_DUPLICATE},
    )


def _audit_duplicates_shown(
    request: AuthenticatedHttpRequest, fields: dict, duplicates: list
) -> None:
    """The likely duplicates are a search by name and date of birth whose answer names
    people: audited as one, with the terms and the people shown."""
    audit_listed(
        request=request,
        object_type=PERSON_TYPE,
        label="Likely duplicates",
        surname=fields["surname"],
        forenames=fields["forenames"],
        date_of_birth=fields["date_of_birth"].isoformat(),
        persons=[person.reference for person in duplicates],
    )


@capability_required(Capability.CHANGE_PERSONS)
def person_update(request: AuthenticatedHttpRequest, pk: int):
    person = selectors.get_person_for_user(request.user, pk, to_change=True)
    audit_form_shown(request=request, obj=person, form="change details")
    form = PersonUpdateForm(request.POST or None, initial=PersonUpdateForm.initial_for(person))

    def save(expected_version, fields):
        _, changed = services.person_update(
            person=person, user=request.user, expected_version=expected_version, **fields
        )
        return changed

    saved = save_change(
        request, form, save, done=f"{person.reference} updated.", then=person.get_absolute_url()
    )
    return saved or render(request, "persons/person_update.html", {"form": form, "person": person})


def _add_to_person(
    request: AuthenticatedHttpRequest, pk: int, form: GovukForm, *, heading: str, add, done: str
):
    """A form that adds something (a number, an address, a role) to a person's record.
    Its heading names the person: opening it is consulting them."""
    person = selectors.get_person_for_user(request.user, pk, to_change=True)
    audit_form_shown(request=request, obj=person, form=heading)
    if request.method == "POST" and form.is_valid():
        try:
            add(person, form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, done)
            return redirect("persons:person_detail", pk=person.pk)
    return render(
        request,
        "persons/person_record_form.html",
        {"form": form, "person": person, "heading": heading},
    )


@capability_required(Capability.CHANGE_PERSONS)
def person_number_add(request: AuthenticatedHttpRequest, pk: int):
    def add(person, data):
        services.person_number_add(
            user=request.user,
            person=person,
            number=phone_number_get_or_create(number=data["number"]),
            used_from=data["used_from"],
            used_to=data["used_to"],
        )

    return _add_to_person(
        request,
        pk,
        PersonNumberForm(request.POST or None),
        heading="Add a number they used",
        add=add,
        done="Number added.",
    )


@capability_required(Capability.CHANGE_PERSONS)
def person_address_add(request: AuthenticatedHttpRequest, pk: int):
    def add(person, data):
        services.person_address_add(user=request.user, person=person, **data)

    return _add_to_person(
        request,
        pk,
        PersonAddressForm(request.POST or None),
        heading="Add an address",
        add=add,
        done="Address added.",
    )


@capability_required(Capability.CHANGE_PERSONS)
def line_role_add(request: AuthenticatedHttpRequest, pk: int):
    def add(person, data):
        data = dict(data)
        services.line_role_add(
            user=request.user, person=person, line=data.pop("line_reference"), **data
        )

    return _add_to_person(
        request,
        pk,
        LineRoleForm(request.POST or None, user=request.user),
        heading="Record their role on a line",
        add=add,
        done="Role on the line recorded.",
    )


def _change_on_person(
    request: AuthenticatedHttpRequest, pk: int, record_pk: int, model, form_class, *, heading: str
):
    """A form that changes one of a person's numbers, addresses or roles on a line."""
    person = selectors.get_person_for_user(request.user, pk, to_change=True)
    record = selectors.get_person_record(request.user, person, model, record_pk)
    audit_form_shown(request=request, obj=record, form="change")
    extra = {"user": request.user} if form_class is LineRoleChangeForm else {}
    form = form_class(request.POST or None, initial=initial_for(form_class, record), **extra)

    def save(expected_version, fields):
        return services.person_record_update(
            record=record, user=request.user, expected_version=expected_version, **fields
        )

    saved = save_change(request, form, save, done="Saved.", then=person.get_absolute_url())
    return saved or render(
        request,
        "persons/person_record_form.html",
        {"form": form, "person": person, "heading": heading, "changing": True},
    )


@capability_required(Capability.CHANGE_PERSONS)
def person_number_change(request: AuthenticatedHttpRequest, pk: int, record_pk: int):
    return _change_on_person(
        request,
        pk,
        record_pk,
        PersonNumber,
        PersonNumberChangeForm,
        heading="Change when they used the number",
    )


@capability_required(Capability.CHANGE_PERSONS)
def person_address_change(request: AuthenticatedHttpRequest, pk: int, record_pk: int):
    return _change_on_person(
        request, pk, record_pk, PersonAddress, PersonAddressChangeForm, heading="Change the address"
    )


@capability_required(Capability.CHANGE_PERSONS)
def line_role_change(request: AuthenticatedHttpRequest, pk: int, record_pk: int):
    return _change_on_person(
        request,
        pk,
        record_pk,
        LineRole,
        LineRoleChangeForm,
        heading="Change their role on the line",
    )
