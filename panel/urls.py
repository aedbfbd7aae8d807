from django.urls import path

from . import views

app_name = "panel"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("reports/export.csv", views.report_export, name="report_export"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/report.docx", views.report_docx, name="report_docx"),
    path("reports/<int:pk>/tables/<slug:name>.csv", views.report_table, name="report_table"),
    path("reports/<int:pk>/refresh/", views.report_refresh, name="report_refresh"),
    path("reports/<int:pk>/publish/", views.report_publish, name="report_publish"),
    path("reports/<int:pk>/paragraphs/", views.report_paragraphs, name="report_paragraphs"),
    path("reports/<int:pk>/title-block/", views.report_title_block, name="report_title_block"),
    path("reports/<int:pk>/sections/<slug:key>/", views.report_section, name="report_section"),
    path(
        "reports/<int:pk>/sections/<slug:key>/arrange/",
        views.report_section_arrange,
        name="report_section_arrange",
    ),
    path("deaths/", views.death_list, name="death_list"),
    path("deaths/export.csv", views.death_export, name="death_export"),
    path("deaths/new/", views.death_create, name="death_create"),
    path("deaths/<int:pk>/edit/", views.death_update, name="death_update"),
    path("shaded-periods/", views.annotation_list, name="annotation_list"),
    path("shaded-periods/new/", views.annotation_create, name="annotation_create"),
    path("shaded-periods/<int:pk>/edit/", views.annotation_edit, name="annotation_edit"),
]
