from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs change only through imports.services, and are never deleted."""

    list_display = ["file_name", "kind", "status", "uploaded_by", "created_at", "error_count"]
    list_filter = ["status", "kind"]
    search_fields = ["file_name", "uploaded_by__username"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a job is the record of who imported what: it is never deleted
