from django.urls import path

from . import views

app_name = "persons"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("export.csv", views.person_export, name="person_export"),
    path("new/", views.person_create, name="person_create"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_update, name="person_update"),
    path("<int:pk>/numbers/add/", views.person_number_add, name="person_number_add"),
    path("<int:pk>/addresses/add/", views.person_address_add, name="person_address_add"),
    path("<int:pk>/lines/add/", views.line_role_add, name="line_role_add"),
    path(
        "<int:pk>/numbers/<int:record_pk>/edit/",
        views.person_number_change,
        name="person_number_change",
    ),
    path(
        "<int:pk>/addresses/<int:record_pk>/edit/",
        views.person_address_change,
        name="person_address_change",
    ),
    path("<int:pk>/lines/<int:record_pk>/edit/", views.line_role_change, name="line_role_change"),
]
