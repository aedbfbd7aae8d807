from django.urls import path

from . import views

app_name = "calls"

urlpatterns = [
    path("", views.home, name="home"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/export.csv", views.source_export, name="source_export"),
    path("sources/new/", views.source_create, name="source_create"),
    path("sources/<int:pk>/", views.source_detail, name="source_detail"),
    path("sources/<int:pk>/edit/", views.source_update, name="source_update"),
    path("numbers/", views.number_profile, name="number_profile"),
    path("common-contacts/", views.common_contacts, name="common_contacts"),
    path("possible-new-lines/", views.possible_new_lines, name="possible_new_lines"),
    path("handsets/", views.handset_continuity, name="handset_continuity"),
    path(
        "lines/<int:pk>/attribute/",
        views.successor_attribute,
        name="successor_attribute",
    ),
]
