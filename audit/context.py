"""Where the current request (or task) came from, so that audit events written
deep in a service still say which request, address and page caused them."""

import contextlib
import contextvars
import uuid
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip_address: str | None = None
    path: str = ""


_NO_REQUEST = RequestContext()
_current_request: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "current_request", default=None
)


def get_current_request() -> RequestContext:
    return _current_request.get() or _NO_REQUEST


def set_current_request(context: RequestContext) -> contextvars.Token:
    return _current_request.set(context)


def reset_current_request(token: contextvars.Token) -> None:
    _current_request.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextlib.contextmanager
def request_context(context: RequestContext) -> Iterator[None]:
    """Events recorded inside are the given request's: for a task doing a request's work."""
    token = set_current_request(context)
    try:
        yield
    finally:
        reset_current_request(token)
