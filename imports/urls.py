from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.start, name="start"),
    # Kinds of large files (deploy/nginx.conf lets bigger bodies through on this path).
    path("large/<str:kind>/", views.start_large, name="start_large"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/problems.csv", views.job_problems, name="job_problems"),
    path("<int:pk>/confirm/", views.job_confirm, name="job_confirm"),
    path("<int:pk>/cancel/", views.job_cancel, name="job_cancel"),
    path("<int:pk>/status.json", views.job_status, name="job_status"),
]
