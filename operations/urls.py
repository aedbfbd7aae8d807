from django.urls import path

from . import views

app_name = "operations"

urlpatterns = []
for kind in views.SCREENS:
    plural = f"{kind}s"
    kwargs = {"kind": kind}
    urlpatterns += [
        path(f"{plural}/", views.record_list, kwargs, name=f"{kind}_list"),
        path(f"{plural}/export.csv", views.record_export, kwargs, name=f"{kind}_export"),
        path(f"{plural}/new/", views.record_create, kwargs, name=f"{kind}_create"),
        path(f"{plural}/<int:pk>/", views.record_detail, kwargs, name=f"{kind}_detail"),
        path(f"{plural}/<int:pk>/edit/", views.record_update, kwargs, name=f"{kind}_update"),
    ]
