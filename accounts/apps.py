from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Staff, roles and agencies"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (starts the session's absolute-lifetime clock)
