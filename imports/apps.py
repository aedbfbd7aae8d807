from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "CSV imports"

    def ready(self) -> None:
        # Each app declares its CSV kinds in `<app>/importers.py` (see imports.kinds).
        autodiscover_modules("importers")
