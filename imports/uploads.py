"""Refusing an upload over its limit before its body is written to disk.

The limit is IMPORT_MAX_UPLOAD_BYTES on the upload page, and for a kind of large files
(call data, `ImportKind.large_files`) IMPORT_MAX_LARGE_UPLOAD_BYTES on that kind's own
page, whose path the proxy lets bigger bodies through for.

Django writes an uploaded file of more than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary
file as it reads the request, and the CSRF check reads it before any view runs: a
check of the file's size in the form comes after the whole body is on disk. So the
upload view is exempted from the middleware's CSRF check and makes it itself, after:

- a request whose Content-Length says it is too big is refused without reading it;
- otherwise `LimitedUploadHandler`, ahead of Django's handlers, stops the upload once
  more of the file has come than the limit (a file just over it, within the allowance
  for the rest of the form), before those bytes reach the temporary file.

The proxy in front refuses bigger bodies still (deploy/nginx.conf, client_max_body_size).
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# What a multipart body holds besides the file: the boundaries, the part headers, the
# CSRF token and the kind of file. Far more than they take; far less than a file.
FORM_OVERHEAD_BYTES = 64 * 1024


def body_limit_bytes(file_limit: int | None = None) -> int:
    """The largest request body an upload page reads (and the proxy lets through), for
    files up to `file_limit` bytes (by default IMPORT_MAX_UPLOAD_BYTES)."""
    if file_limit is None:
        file_limit = settings.IMPORT_MAX_UPLOAD_BYTES
    return file_limit + FORM_OVERHEAD_BYTES


def declared_too_large(request, file_limit: int | None = None) -> bool:
    """Whether the request says, before it is read, that its body is over the limit."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False  # Django refuses a malformed length itself when the body is read
    return length > body_limit_bytes(file_limit)


class LimitedUploadHandler(FileUploadHandler):
    """Passes the file's chunks on to the next handlers until more than the limit has
    come, then stops the upload: the rest is read and dropped, never stored, so that
    the browser gets the page that says why."""

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.refused = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.refused = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file


def limit_upload(request, file_limit: int | None = None) -> LimitedUploadHandler:
    """Puts a LimitedUploadHandler first on `request`, before its body is read."""
    if file_limit is None:
        file_limit = settings.IMPORT_MAX_UPLOAD_BYTES
    handler = LimitedUploadHandler(request, limit=file_limit)
    request.upload_handlers.insert(0, handler)
    return handler
