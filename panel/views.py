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
from core.csv_export import csv_response, marked_filename
from core.downloads import as_attachment
from records.lists import ListScreen, only_what_is_set
from records.versions import EditConflict, initial_for, save_change

from . import documents, selectors, services
from .forms import (
    AnnotationChangeForm,
    AnnotationForm,
    DeathChangeForm,
    DeathForm,
    ParagraphsForm,
    PrepareForm,
    SectionForm,
    TitleBlockForm,
)
from .models import TITLE_BLOCK_FIELDS, PanelReport
from .report import SECTIONS

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
    initial = {"kind": "year", "force_name": settings.POLICE_AGENCY_NAME}
    initial |= {"title": services.DEFAULT_TITLE, "marking": settings.PROTECTIVE_MARKING}
    form = PrepareForm(request.POST or None, initial=initial | selectors.title_block_last())
    if request.method == "POST" and form.is_valid():
        report = services.report_create(
            user=request.user,
            period=form.cleaned_data["period"],
            as_at=form.cleaned_data["as_at"],
            title_block=form.title_block(),
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
    paper = selectors.report_paper(report, figures) if figures.ready else None
    can_change = user_can(request.user, Capability.CHANGE_PANEL_REPORTS)
    return {
        "report": report,
        "figures": figures,
        "sections": paper.sections if paper else [],
        "left_out": paper.left_out if paper else [],
        "marked": sum(
            1
            for section in paper.sections
            for sentence in section.sentences
            if getattr(sentence, "marked", False)
        )
        if paper
        else 0,
        "period": report.period,
        "can_change": can_change,
        "controls": can_change and not report.is_published,
        "marking": report.marking,
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
        filename=marked_filename(
            name, marking=report.marking, when=f"{report.start:%Y-%m-%d}-to-{report.end:%Y-%m-%d}"
        ),
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


@capability_required(Capability.CHANGE_PANEL_REPORTS)
def report_title_block(request: AuthenticatedHttpRequest, pk: int):
    report = selectors.get_report_for_user(request.user, pk, to_change=True)
    if report.is_published:
        return _published(request, report)
    audit_form_shown(request=request, obj=report, form="title block")
    initial = {name: getattr(report, name) for name in TITLE_BLOCK_FIELDS}
    form = TitleBlockForm(request.POST or None, initial=initial | {"version": report.version})

    def save(expected_version, fields):
        return services.report_title_block_update(
            report=report,
            user=request.user,
            expected_version=expected_version,
            **{name: fields[name] or "" for name in TITLE_BLOCK_FIELDS if name != "meeting_date"},
            meeting_date=fields["meeting_date"],
        )

    saved = save_change(
        request, form, save, done="Title block saved.", then=report.get_absolute_url()
    )
    return saved or render(
        request,
        "panel/form.html",
        {
            "form": form,
            "heading": "The title block",
            "back_url": report.get_absolute_url(),
            "caption": report.title,
        },
    )


def _published(request: AuthenticatedHttpRequest, report: PanelReport):
    messages.error(request, "This report is published: its figures and text stay as they are")
    return redirect(report.get_absolute_url())


def _section_title(key: str) -> str:
    titles = dict(SECTIONS)
    if key not in titles:
        raise Http404("The report has no such section.")
    return titles[key]


@capability_required(Capability.CHANGE_PANEL_REPORTS)
def report_section(request: AuthenticatedHttpRequest, pk: int, key: str):
    """A section's sentences, each a draft the manager may rewrite or leave out."""
    report = selectors.get_report_for_user(request.user, pk, to_change=True)
    title = _section_title(key)
    if report.is_published:
        return _published(request, report)
    figures = selectors.report_figures(report)
    if not figures.ready:
        raise Http404("The report's figures are not computed yet.")
    draft = selectors.section_draft(report, figures, key)
    if draft is None:
        raise Http404("The report has no such section.")
    section = draft.section
    audit_form_shown(request=request, obj=report, form=f"section {key}")
    initial = {"version": report.version, "own_text": report.paragraphs.get(key, "")}
    form = SectionForm(request.POST or None, initial=initial, sentences=draft.sentences)

    def save(expected_version, fields):
        return services.report_section_update(
            report=report,
            user=request.user,
            key=key,
            texts=form.texts(),
            accepted=form.accepted(),
            own_text=fields["own_text"],
            written=fields["written"],
            expected_version=expected_version,
        )

    then = f"{report.get_absolute_url()}#{key}"
    saved = save_change(request, form, save, done=f"{title}: text saved.", then=then)
    if saved:
        return saved
    if form.is_bound:
        form.show_sentences_as_now()
    return render(
        request,
        "panel/report_section.html",
        {"form": form, "report": report, "section": section, "title": title, "back_url": then},
    )


@require_POST
@capability_required(Capability.CHANGE_PANEL_REPORTS)
def report_section_arrange(request: AuthenticatedHttpRequest, pk: int, key: str):
    """Moves a section up or down, leaves it out of the paper or puts it back."""
    report = selectors.get_report_for_user(request.user, pk, to_change=True)
    title = _section_title(key)
    version = request.POST.get("version", "")
    try:
        services.report_section_arrange(
            report=report,
            user=request.user,
            key=key,
            action=request.POST.get("action", ""),
            expected_version=int(version) if version.isdigit() else None,
        )
    except EditConflict:
        messages.error(
            request,
            "Someone else changed this report while you were reading it: it is shown as "
            "it is now. Try again if you still want to.",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = {"up": "moved up", "down": "moved down", "leave_out": "left out"}
        messages.success(request, f"{title}: {done.get(request.POST['action'], 'put back')}.")
    return redirect(f"{report.get_absolute_url()}#{key}")


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
