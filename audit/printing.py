"""Printing a record is audited on the server (DPA 2018 s.62: a printout is a disclosure).

A record page's Print button (`{% print_button %}`) opens the page's print view: the same
URL with `?print=1`, so the same view and the same access checks. The view writes a
`print` event instead of a `view` one and the page is laid out for paper, its marking
on every sheet and, at its foot, who printed it and when; static/js/print.js then opens
the browser's print dialog (without JavaScript, the browser's own Print command prints it
just the same). The record page itself, printed with the browser's Print command, prints
only a notice to use the Print button (`.app-printable` in frontend/scss/_print.scss): no
printout escapes the log.
"""

import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from .services import Action, audit_event_record, audit_view

PRINT_PARAMETER = "print"


def is_print_view(request) -> bool:
    return request.method == "GET" and PRINT_PARAMETER in request.GET


def audit_record_page(request, obj: models.Model) -> dict[str, Any]:
    """Audit a record page that has a Print button: a `print` of `obj` when the request is
    its print view, else a `view`. Returns what the page's layout (templates/base.html)
    needs: that it is printable, whether this is its print view, and when it was printed
    (the printout's foot says by whom and when)."""
    print_view = is_print_view(request)
    printed_at: datetime.datetime | None = None
    if print_view:
        audit_event_record(action=Action.PRINT, request=request, obj=obj)
        printed_at = timezone.localtime()
    else:
        audit_view(request=request, obj=obj)
    return {"printable": True, "print_view": print_view, "printed_at": printed_at}
