from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts.views import admin_sign_in

admin.site.site_header = settings.SERVICE_NAME
admin.site.site_title = settings.SERVICE_NAME
admin.site.login = admin_sign_in

urlpatterns = [
    path("", include("web.urls")),
    path("accounts/", include("accounts.urls")),
    path("audit/", include("audit_log.urls")),
    path("imports/", include("imports.urls")),
    path("lines/", include("lines.urls")),
    path("call-data/", include("calls.urls")),
    path("people/", include("persons.urls")),
    path("enforcement/", include("operations.urls")),
    path("safeguarding/", include("safeguarding.urls")),
    path("panel/", include("panel.urls")),
    path("reviews/", include("records.urls")),
    path("", include("watches.urls")),
    path("search/", include("search.urls")),
    path("admin/", admin.site.urls),
]
