from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Service-wide pieces"

    def ready(self) -> None:
        from . import lookups  # noqa: F401  (registers `__any`)
