from django.urls import path

from . import views

app_name = "lines"

urlpatterns = [
    path("", views.line_list, name="line_list"),
    path("export.csv", views.line_export, name="line_export"),
    path("new/", views.line_create, name="line_create"),
    path("<int:pk>/", views.line_detail, name="line_detail"),
    path("<int:pk>/edit/", views.line_update, name="line_update"),
    path("<int:pk>/close/", views.line_close, name="line_close"),
    path("<int:pk>/numbers/add/", views.line_number_attribute, name="line_number_attribute"),
    path(
        "<int:pk>/numbers/<int:attribution_pk>/end/",
        views.line_number_end,
        name="line_number_end",
    ),
    path("<int:pk>/intelligence/add/", views.intelligence_entry_add, name="intelligence_entry_add"),
    path("numbers/", views.number_search, name="number_search"),
    path("numbers/record/", views.number_record, name="number_record"),
    path("numbers/<int:pk>/", views.number_search_for, name="number_search_for"),
]
