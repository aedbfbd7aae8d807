from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, for administrators as for everyone."""

    list_display = [
        "occurred_at",
        "username",
        "agency_name",
        "action",
        "object_type",
        "object_label",
    ]
    list_filter = ["action", "object_type"]
    # Not by the record's label: that is a person's name, and the admin site searches by
    # URL. The service's own audit log holds such searches out of the URL.
    search_fields = ["username", "object_id", "request_id"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
