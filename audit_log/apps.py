from django.apps import AppConfig


class AuditLogConfig(AppConfig):
    name = "audit_log"
    verbose_name = "Audit log screens"
