from django.urls import path

from . import views

app_name = "watches"

urlpatterns = [
    path("watches/", views.watch_list, name="watch_list"),
    path("watches/start/", views.watch_start, name="watch_start"),
    path("watches/<int:pk>/stop/", views.watch_stop, name="watch_stop"),
    path("watches/<int:pk>/email/", views.watch_email, name="watch_email"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
]
