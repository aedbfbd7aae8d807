"""The safeguarding screens, used by police and partner agencies alike.

Every view finds its referral through `selectors.get_referral_for_user`, so a referral
not shared with a partner's agency is a 404 on every path (its occupants, exchanges,
actions, shares, export and print included). Changing a record asks the ownership rule
(`accounts.permissions.RECORD_RULES`, through the selectors): a record the user sees
but may not change is a 403, one they may not see a 404. Anyone who sees a referral and
may change safeguarding records adds to it (a person at risk, an exchange, an action, a
proposal to share) as their own agency. Views check the capability, read through
`selectors`, write through `services` and render.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.access import capability_required
from accounts.http import AuthenticatedHttpRequest
from accounts.permissions import Capability, is_police, user_can
from audit.printing import audit_record_page
from audit.services import audit_form_shown, audit_listed
from records.lists import ListScreen, back_link, only_what_is_set
from records.versions import initial_for, save_change

from . import selectors, services
from .forms import (
    ActionChangeForm,
    ActionForm,
    ExchangeForm,
    OccupantChangeForm,
    OccupantForm,
    ReferralCloseForm,
    ReferralForm,
    ReferralLinesForm,
    ReferralUpdateForm,
    ShareForm,
)
from .models import Occupant, ReferralShare, SafeguardingAction

REFERRALS = ListScreen(
    filterset=selectors.referral_list,
    template="safeguarding/referral_list.html",
    noun="referral",
    object_type="safeguarding.referral",
    export_url_name="safeguarding:referral_export",
    export_header=selectors.REFERRAL_EXPORT_HEADER,
    export_rows=lambda referrals, user: selectors.referral_export_rows(
        user=user, referrals=referrals
    ),
    change_capability=Capability.CHANGE_SAFEGUARDING,
)


@capability_required(Capability.VIEW_SAFEGUARDING)
def home(request: AuthenticatedHttpRequest):
    """Open referrals, actions due or overdue, sharing proposals waiting. The page lists
    referrals and their addresses: audited as a list is, naming the referrals shown."""
    overview = selectors.partner_home(user=request.user)
    shown = {referral.reference for referral in overview["open_referrals"]}
    shown |= {item.referral.reference for item in [*overview["actions"], *overview["proposals"]]}
    audit_listed(
        request=request,
        object_type="safeguarding.referral",
        label="Safeguarding overview",
        referrals=sorted(shown),
        open=overview["open_count"],
    )
    return render(
        request,
        "safeguarding/home.html",
        {
            **overview,
            "can_change": user_can(request.user, Capability.CHANGE_SAFEGUARDING),
            "is_police": is_police(request.user),
        },
    )


@capability_required(Capability.VIEW_SAFEGUARDING)
@only_what_is_set
def referral_list(request: AuthenticatedHttpRequest):
    return REFERRALS.page(request)


@capability_required(Capability.VIEW_SAFEGUARDING)
@only_what_is_set
def referral_export(request: AuthenticatedHttpRequest):
    return REFERRALS.export(request)


@capability_required(Capability.VIEW_SAFEGUARDING)
def referral_detail(request: AuthenticatedHttpRequest, pk: int):
    referral = selectors.get_referral_for_user(request.user, pk)
    printing = audit_record_page(request, referral)
    user = request.user
    return render(
        request,
        "safeguarding/referral_detail.html",
        {
            "referral": referral,
            "back_url": back_link(request, reverse("safeguarding:referral_list")),
            **selectors.referral_details(user=user, referral=referral),
            "is_police": is_police(request.user),
            "can_change": user_can(user, Capability.CHANGE_SAFEGUARDING),
            "can_share": user_can(user, Capability.SHARE_SAFEGUARDING),
            "can_link": user_can(user, Capability.LINK_SAFEGUARDING),
            "can_read_audit_log": user_can(user, Capability.VIEW_AUDIT_LOG),
            **printing,
        },
    )


@capability_required(Capability.CHANGE_SAFEGUARDING)
def referral_create(request: AuthenticatedHttpRequest):
    form = ReferralForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(user=request.user, **form.referral_fields())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Referral {referral.reference} added.")
            return redirect("safeguarding:referral_detail", pk=referral.pk)
    return render(
        request,
        "safeguarding/referral_form.html",
        {"form": form, "heading": "Add a cuckooing referral"},
    )


def _versioned_change(request: AuthenticatedHttpRequest, form, referral, save, *, done: str):
    return save_change(request, form, save, done=done, then=referral.get_absolute_url())


def _added(request: AuthenticatedHttpRequest, form, referral, add, *, done: str):
    """Add something to a referral through `add()` once the form is valid; the response
    when it is added, else None (the form then holds the errors)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        add()
    except ValidationError as error:
        form.add_service_errors(error)
        return None
    messages.success(request, done)
    return redirect("safeguarding:referral_detail", pk=referral.pk)


def _referral_form_page(request: AuthenticatedHttpRequest, referral, form, heading: str):
    return render(
        request,
        "safeguarding/referral_form.html",
        {"form": form, "referral": referral, "heading": heading},
    )


@capability_required(Capability.CHANGE_SAFEGUARDING)
def referral_update(request: AuthenticatedHttpRequest, pk: int):
    referral = selectors.get_referral_for_user(request.user, pk, to_change=True)
    audit_form_shown(request=request, obj=referral, form="change details")
    form = ReferralUpdateForm(
        request.POST or None,
        initial=initial_for(ReferralUpdateForm, referral),
        user=request.user,
    )

    def save(expected_version, fields):
        return services.referral_update(
            referral=referral, user=request.user, expected_version=expected_version, **fields
        )

    saved = _versioned_change(request, form, referral, save, done="Referral updated.")
    return saved or _referral_form_page(request, referral, form, "Change the referral")


@capability_required(Capability.CHANGE_SAFEGUARDING)
def referral_close(request: AuthenticatedHttpRequest, pk: int):
    referral = selectors.get_referral_for_user(request.user, pk, to_change=True)
    audit_form_shown(request=request, obj=referral, form="close")
    form = ReferralCloseForm(request.POST or None, initial=initial_for(ReferralCloseForm, referral))

    def save(expected_version, fields):
        return services.referral_close(
            referral=referral, user=request.user, expected_version=expected_version, **fields
        )

    saved = _versioned_change(request, form, referral, save, done="Referral closed.")
    return saved or _referral_form_page(request, referral, form, "Close the referral")


@require_POST
@capability_required(Capability.CHANGE_SAFEGUARDING)
def referral_reopen(request: AuthenticatedHttpRequest, pk: int):
    referral = selectors.get_referral_for_user(request.user, pk, to_change=True)
    if services.referral_close(referral=referral, user=request.user, closed_on=None):
        messages.success(request, "Referral opened again.")
    return redirect("safeguarding:referral_detail", pk=referral.pk)


@capability_required(Capability.LINK_SAFEGUARDING)
def referral_lines(request: AuthenticatedHttpRequest, pk: int):
    referral = selectors.get_referral_for_user(request.user, pk, to_change=True)
    audit_form_shown(request=request, obj=referral, form="suspected lines")
    references = "; ".join(line.reference for line in referral.suspected_lines.all())
    form = ReferralLinesForm(
        request.POST or None,
        initial={"line_references": references, "version": referral.version},
        user=request.user,
    )

    def save(expected_version, fields):
        return services.referral_lines_set(
            referral=referral,
            user=request.user,
            lines=fields["line_references"],
            expected_version=expected_version,
        )

    saved = _versioned_change(request, form, referral, save, done="Suspected lines saved.")
    return saved or _referral_form_page(request, referral, form, "Suspected county lines")


# --- Occupants, exchanges, actions -----------------------------------------------------------


@capability_required(Capability.CHANGE_SAFEGUARDING)
def occupant_add(request: AuthenticatedHttpRequest, pk: int):
    referral = selectors.get_referral_for_user(request.user, pk)
    audit_form_shown(request=request, obj=referral, form="add a person at risk")
    form = OccupantForm(request.POST or None, user=request.user)

    def add():
        services.occupant_add(user=request.user, referral=referral, **form.occupant_fields())

    saved = _added(request, form, referral, add, done="Occupant added.")
    return saved or _referral_form_page(request, referral, form, "Add a person at risk")


@capability_required(Capability.CHANGE_SAFEGUARDING)
def occupant_change(request: AuthenticatedHttpRequest, pk: int, record_pk: int):
    referral = selectors.get_referral_for_user(request.user, pk)
    occupant = selectors.get_referral_record(
        request.user, referral, Occupant, record_pk, to_change=True
    )
    audit_form_shown(request=request, obj=occupant, form="change")
    initial = initial_for(OccupantChangeForm, occupant)
    if occupant.person_id and "person" not in occupant.fields_hidden_from(request.user):
        person = occupant.person
        if person is not None:
            initial["person_reference"] = person.reference
    form = OccupantChangeForm(request.POST or None, initial=initial, user=request.user)

    def save(expected_version, fields):
        return services.occupant_update(
            occupant=occupant,
            user=request.user,
            expected_version=expected_version,
            **form.occupant_fields(),
        )

    saved = _versioned_change(request, form, referral, save, done="Occupant saved.")
    return saved or _referral_form_page(request, referral, form, f"Change {occupant.name}")


@capability_required(Capability.CHANGE_SAFEGUARDING)
def exchange_add(request: AuthenticatedHttpRequest, pk: int):
    referral = selectors.get_referral_for_user(request.user, pk)
    audit_form_shown(request=request, obj=referral, form="record an exchange")
    parties = services.exchange_parties(referral=referral)
    form = ExchangeForm(request.POST or None, user=request.user, parties=parties)

    def add():
        fields = dict(form.cleaned_data)
        fields.setdefault("from_agency", request.user.agency)
        services.exchange_record(user=request.user, referral=referral, **fields)

    saved = _added(request, form, referral, add, done="Information exchange recorded.")
    return saved or _referral_form_page(request, referral, form, "Record an information exchange")


@capability_required(Capability.CHANGE_SAFEGUARDING)
def action_add(request: AuthenticatedHttpRequest, pk: int):
    referral = selectors.get_referral_for_user(request.user, pk)
    audit_form_shown(request=request, obj=referral, form="record an action")
    form = ActionForm(request.POST or None, parties=services.exchange_parties(referral=referral))

    def add():
        services.action_add(user=request.user, referral=referral, **form.cleaned_data)

    saved = _added(request, form, referral, add, done="Action recorded.")
    return saved or _referral_form_page(request, referral, form, "Record an action agreed")


@capability_required(Capability.CHANGE_SAFEGUARDING)
def action_change(request: AuthenticatedHttpRequest, pk: int, record_pk: int):
    referral = selectors.get_referral_for_user(request.user, pk)
    action = selectors.get_referral_record(
        request.user, referral, SafeguardingAction, record_pk, to_change=True
    )
    audit_form_shown(request=request, obj=action, form="change")
    form = ActionChangeForm(
        request.POST or None,
        initial=initial_for(ActionChangeForm, action),
        parties=services.exchange_parties(referral=referral),
    )

    def save(expected_version, fields):
        return services.action_update(
            action=action, user=request.user, expected_version=expected_version, **fields
        )

    saved = _versioned_change(request, form, referral, save, done="Action saved.")
    return saved or _referral_form_page(request, referral, form, f"Change the {action}")


# --- Sharing ---------------------------------------------------------------------------------


@capability_required(Capability.CHANGE_SAFEGUARDING)
def share_add(request: AuthenticatedHttpRequest, pk: int):
    """Police share at once; a partner proposes, and the police confirm."""
    referral = selectors.get_referral_for_user(request.user, pk)
    audit_form_shown(request=request, obj=referral, form="share")
    form = ShareForm(request.POST or None, referral=referral, user=request.user)
    if request.method == "POST" and form.is_valid():
        agency = form.cleaned_data["agency"]
        try:
            share = services.share_add(referral=referral, user=request.user, agency=agency)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            done = (
                f"Shared with {agency}."
                if share.status == "confirmed"
                else f"Sharing with {agency} proposed: the police will confirm it."
            )
            messages.success(request, done)
            return redirect("safeguarding:referral_detail", pk=referral.pk)
    heading = "Share the referral" if is_police(request.user) else "Propose sharing the referral"
    return _referral_form_page(request, referral, form, heading)


def _share_of(request: AuthenticatedHttpRequest, pk: int, share_pk: int) -> ReferralShare:
    referral = selectors.get_referral_for_user(request.user, pk, to_change=True)
    return selectors.get_referral_record(request.user, referral, ReferralShare, share_pk)


@require_POST
@capability_required(Capability.SHARE_SAFEGUARDING)
def share_confirm(request: AuthenticatedHttpRequest, pk: int, share_pk: int):
    share = _share_of(request, pk, share_pk)
    services.share_confirm(share=share, user=request.user)
    messages.success(request, f"Shared with {share.agency}.")
    return redirect("safeguarding:referral_detail", pk=pk)


@require_POST
@capability_required(Capability.SHARE_SAFEGUARDING)
def share_withdraw(request: AuthenticatedHttpRequest, pk: int, share_pk: int):
    share = _share_of(request, pk, share_pk)
    try:
        services.share_withdraw(share=share, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"No longer shared with {share.agency}.")
    return redirect("safeguarding:referral_detail", pk=pk)
