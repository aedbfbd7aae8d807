"""The panel screens: managers prepare, read, refresh, annotate, publish, print and
download the report; intelligence officers record drug-related deaths. Views check the
capability, read through `selectors`, write through `services` and render."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.access import capability_required
from accounts.http import AuthenticatedHttpRequest
from accounts.permissions import Capability, user_can
from audit.printing import audit_record_page
from audit.services import Action, audit_event_record, audit_form_shown, audit_listed
from core.csv_export import csv_response
from core.downloads import as_attachment
from records.lists import ListScreen, only_what_is_set
from records.versions import initial_for, save_change

from . import documents, selectors, services
from .forms import (
    AnnotationChangeForm,
    AnnotationForm,
    DeathChangeForm,
    DeathForm,
    ParagraphsForm,
    PeriodForm,
)
from .models import PanelReport

REPORTS = ListScreen(
    filterset=selectors.report_list,
    template="panel/report_list.html",
    noun="panel report",
    object_type="panel.panelreport",
    export_url_name="panel:report_export",
    export_header=selectors.REPORT_EXPORT_COLUMNS,
    export_rows=lambda reports, user: selectors.report_export_rows(reports=reports),
    change_capability=Capability.CHANGE_PANEL_REPORTS,
)


@capability_required(Capability.VIEW_PANEL_REPORTS)
@only_what_is_set
def report_list(request: AuthenticatedHttpRequest):
    return REPORTS.page(request)


@capability_required(Capability.VIEW_PANEL_REPORTS)
@only_what_is_set
def report_export(request: AuthenticatedHttpRequest):
    return REPORTS.export(request)


@capability_required(Capability.CHANGE_PANEL_REPORTS)
def report_create(request: AuthenticatedHttpRequest):
    form = PeriodForm(request.POST or None, initial={"kind": "year"})
    if request.method == "POST" and form.is_valid():
        report = services.report_create(
            user=request.user, period=form.cleaned_data["period"], as_at=form.cleaned_data["as_at"]
        )
        return redirect("panel:report_detail", pk=report.pk)
    return render(
        request,
        "panel/form.html",
        {
            "form": form,
            "heading": "Prepare a report",
            "back_url": reverse("panel:report_list"),
            "submit": "Prepare the report",
        },
    )


def _report_context(request: AuthenticatedHttpRequest, report: PanelReport) -> dict:
    figures = selectors.report_figures(report)
    return {
        "report": report,
        "figures": figures,
        "sections": selectors.report_sections_for(report, figures) if figures.ready else [],
        "period": report.period,
        "can_change": user_can(request.user, Capability.CHANGE_PANEL_REPORTS),
        "marking": settings.PROTECTIVE_MARKING,
    }


@capability_required(Capability.VIEW_PANEL_REPORTS)
def report_detail(request: AuthenticatedHttpRequest, pk: int):
    report = selectors.get_report_for_user(request.user, pk)
    printing = audit_record_page(request, report)
    return render(request, "panel/report_detail.html", _report_context(request, report) | printing)


DOCUMENT_TYPES = {
    "pdf": ("application/pdf", documents.report_pdf),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        documents.report_docx,
    ),
}


def _report_download(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    """The report as a document (panel.documents). Downloading it is a disclosure:
    audited, with the format."""
    report = selectors.get_report_for_user(request.user, pk)
    content_type, write = DOCUMENT_TYPES[kind]
    try:
        content = write(report)
    except documents.FiguresNotReady:
        raise Http404("The report's figures are not computed yet.") from None
    audit_event_record(action=Action.EXPORT, request=request, obj=report, detail={"format": kind})
    response = HttpResponse(content, content_type=content_type)
    name = f"panel-report-{report.start:%Y-%m-%d}-to-{report.end:%Y-%m-%d}.{kind}"
    return as_attachment(response, name)


@capability_required(Capability.VIEW_PANEL_REPORTS)
def report_pdf(request: AuthenticatedHttpRequest, pk: int):
    return _report_download(request, pk, "pdf")


@capability_required(Capability.VIEW_PANEL_REPORTS)
def report_docx(request: AuthenticatedHttpRequest, pk: int):
    """The report as a Word document: committee services circulate papers as such."""
    return _report_download(request, pk, "docx")


@capability_required(Capability.VIEW_PANEL_REPORTS)
def report_table(request: AuthenticatedHttpRequest, pk: int, name: str):
    """One of the report's tables as CSV (audited)."""
    report = selectors.get_report_for_user(request.user, pk)
    table = selectors.report_table(report, name)
    if table is None:
        raise Http404("The report has no such table.")
    audit_event_record(
        action=Action.EXPORT, request=request, obj=report, detail={"format": "csv", "table": name}
    )
    return csv_response(
        filename=f"{name}-{report.start:%Y-%m-%d}-to-{report.end:%Y-%m-%d}.csv",
        header=table.header,
        rows=table.rows,
    )


@require_POST
@capability_required(Capability.CHANGE_PANEL_REPORTS)
def report_refresh(request: AuthenticatedHttpRequest, pk: int):
    report = selectors.get_report_for_user(request.user, pk, to_change=True)
    try:
        services.report_refresh(report=report, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The figures are being computed again.")
    return redirect("panel:report_detail", pk=report.pk)


@require_POST
@capability_required(Capability.CHANGE_PANEL_REPORTS)
def report_publish(request: AuthenticatedHttpRequest, pk: int):
    report = selectors.get_report_for_user(request.user, pk, to_change=True)
    try:
        services.report_publish(report=report, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Published: its figures and text will not change.")
    return redirect("panel:report_detail", pk=report.pk)


@capability_required(Capability.CHANGE_PANEL_REPORTS)
def report_paragraphs(request: AuthenticatedHttpRequest, pk: int):
    report = selectors.get_report_for_user(request.user, pk, to_change=True)
    initial = {**report.paragraphs, "version": report.version}
    audit_form_shown(request=request, obj=report, form="paragraphs")
    form = ParagraphsForm(request.POST or None, initial=initial)

    def save(expected_version, fields):
        return services.report_paragraphs_update(
            report=report,
            user=request.user,
            paragraphs=form.paragraphs(),
            expected_version=expected_version,
        )

    saved = save_change(
        request, form, save, done="Paragraphs saved.", then=report.get_absolute_url()
    )
    return saved or render(
        request,
        "panel/form.html",
        {
            "form": form,
            "heading": "Your own paragraphs",
            "back_url": reverse("panel:report_detail", args=[report.pk]),
            "caption": report.title,
        },
    )


# --- Drug-related deaths and annotations -------------------------------------------------------


DEATHS = ListScreen(
    filterset=selectors.death_list,
    template="panel/death_list.html",
    noun="drug-related death",
    object_type="panel.drugdeath",
    export_url_name="panel:death_export",
    export_header=selectors.DEATH_EXPORT_HEADER,
    export_rows=lambda deaths, user: selectors.death_export_rows(deaths=deaths),
    change_capability=Capability.CHANGE_PANEL_DATA,
)


@capability_required(Capability.CHANGE_PANEL_DATA)
@only_what_is_set
def death_list(request: AuthenticatedHttpRequest):
    return DEATHS.page(request)


@capability_required(Capability.CHANGE_PANEL_DATA)
@only_what_is_set
def death_export(request: AuthenticatedHttpRequest):
    return DEATHS.export(request)


def _form_page(request: AuthenticatedHttpRequest, form, heading: str, *, back: str):
    """A panel record's create or change form (deaths, shaded periods)."""
    return render(
        request,
        "panel/form.html",
        {"form": form, "heading": heading, "back_url": reverse(back)},
    )


@capability_required(Capability.CHANGE_PANEL_DATA)
def death_create(request: AuthenticatedHttpRequest):
    form = DeathForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.drug_death_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Death recorded.")
            return redirect("panel:death_list")
    return _form_page(request, form, "Record a drug-related death", back="panel:death_list")


@capability_required(Capability.CHANGE_PANEL_DATA)
def death_update(request: AuthenticatedHttpRequest, pk: int):
    death = selectors.get_death_for_user(request.user, pk, to_change=True)
    audit_form_shown(request=request, obj=death, form="change")
    initial = initial_for(DeathChangeForm, death) | {"substances": list(death.substances.all())}
    form = DeathChangeForm(request.POST or None, initial=initial)

    def save(expected_version, fields):
        return services.drug_death_update(
            death=death, user=request.user, expected_version=expected_version, **fields
        )

    saved = save_change(request, form, save, done="Saved.", then=reverse("panel:death_list"))
    return saved or _form_page(request, form, f"Change {death.reference}", back="panel:death_list")


@capability_required(Capability.CHANGE_PANEL_REPORTS)
def annotation_list(request: AuthenticatedHttpRequest):
    annotations = list(selectors.annotation_list(user=request.user))
    audit_listed(
        request=request,
        object_type="panel.chartannotation",
        label="Shaded periods list",
        results=len(annotations),
    )
    return render(request, "panel/annotation_list.html", {"annotations": annotations})


@capability_required(Capability.CHANGE_PANEL_REPORTS)
def annotation_create(request: AuthenticatedHttpRequest):
    form = AnnotationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.annotation_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Saved.")
            return redirect("panel:annotation_list")
    return _form_page(request, form, "Add a shaded period", back="panel:annotation_list")


@capability_required(Capability.CHANGE_PANEL_REPORTS)
def annotation_edit(request: AuthenticatedHttpRequest, pk: int):
    annotation = selectors.get_annotation_for_user(request.user, pk, to_change=True)
    audit_form_shown(request=request, obj=annotation, form="change")
    initial = initial_for(AnnotationChangeForm, annotation)
    form = AnnotationChangeForm(request.POST or None, initial=initial)

    def save(expected_version, fields):
        return services.annotation_update(
            annotation=annotation, user=request.user, expected_version=expected_version, **fields
        )

    saved = save_change(request, form, save, done="Saved.", then=reverse("panel:annotation_list"))
    return saved or _form_page(
        request, form, "Change the shaded period", back="panel:annotation_list"
    )
