from django.urls import path

from . import views

app_name = "operations"

urlpatterns = []
for name in views.ENFORCEMENT_KINDS:
    plural = f"{name}s"
    kwargs = {"name": name}
    urlpatterns += [
        path(f"{plural}/", views.record_list, kwargs, name=f"{name}_list"),
        path(f"{plural}/export.csv", views.record_export, kwargs, name=f"{name}_export"),
        path(f"{plural}/new/", views.record_create, kwargs, name=f"{name}_create"),
        path(f"{plural}/<int:pk>/", views.record_detail, kwargs, name=f"{name}_detail"),
        path(f"{plural}/<int:pk>/edit/", views.record_update, kwargs, name=f"{name}_update"),
    ]
