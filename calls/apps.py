from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = "Call data"

    def ready(self) -> None:
        # The line page's "Call data" tab (lines may not import calls: it asks for tabs).
        from lines.page_tabs import line_page_tab

        from .views.line_tab import call_data_tab

        line_page_tab(call_data_tab)
