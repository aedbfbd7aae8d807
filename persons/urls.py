from django.urls import path

from . import views

app_name = "persons"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("export.csv", views.person_export, name="person_export"),
    path("new/", views.person_create, name="person_create"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_update, name="person_update"),
]
