"""The file name a download is saved under, said safely in Content-Disposition."""

import re
import unicodedata
from typing import TypeVar

from django.http import HttpResponseBase
from django.utils.http import content_disposition_header

_Response = TypeVar("_Response", bound=HttpResponseBase)

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str, *, default: str = "download") -> str:
    """`name` in plain ASCII letters, digits, dots, dashes and underscores: accents
    dropped, anything else (quotes, slashes, line breaks, spaces) a dash; never hidden
    (a leading dot) nor empty."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("-", ascii_name).strip("-.")
    return cleaned[:150] or default


def as_attachment(response: _Response, filename: str) -> _Response:
    """Marks `response` as a download saved as `filename` (made safe)."""
    response["Content-Disposition"] = content_disposition_header(True, safe_filename(filename))
    return response
