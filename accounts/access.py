"""How views ask `accounts.permissions` whether the user may do something.

Every refusal is written to the audit log before it is answered.
"""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from audit.services import Action, audit_event_record

from .models import User
from .permissions import Capability, changeable_by, user_can, visible_to

_M = TypeVar("_M", bound=Model)
_Request = TypeVar("_Request", bound=HttpRequest)
_P = ParamSpec("_P")
_R = TypeVar("_R")


def deny(request: HttpRequest, *, reason: str, obj: Model | None = None) -> PermissionDenied:
    """Audit a refusal and return the exception to raise (403)."""
    audit_event_record(
        action=Action.ACCESS_DENIED, request=request, obj=obj, detail={"reason": reason}
    )
    return PermissionDenied(reason)


def require_capability(request: HttpRequest, capability: Capability) -> None:
    if not user_can(request.user, capability):
        raise deny(request, reason=f"missing capability {capability}")


def capability_required(
    capability: Capability,
) -> Callable[[Callable[Concatenate[_Request, _P], _R]], Callable[Concatenate[_Request, _P], _R]]:
    """View decorator: 403 (audited) unless the user's role has `capability`."""

    def decorator(
        view: Callable[Concatenate[_Request, _P], _R],
    ) -> Callable[Concatenate[_Request, _P], _R]:
        @wraps(view)
        def wrapped(request: _Request, *args: _P.args, **kwargs: _P.kwargs) -> _R:
            require_capability(request, capability)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def get_object_in_scope(
    *, user: User, visible: QuerySet[_M], pk: int | str, changeable: QuerySet[_M] | None = None
) -> _M:
    """The object `pk` from the user's `visible` queryset, or 404; with `changeable`, 403
    unless it is also one of those the user may change.

    An object that exists but lies outside the user's scope is answered exactly like one
    that does not exist (no hint that it does); one the user may see but not change is
    refused openly (they know it exists). Both attempts are audited.
    """
    not_found = Http404(f"No {visible.model._meta.verbose_name} matches the given query.")
    try:
        obj = visible.get(pk=pk)
    except (ValueError, TypeError, ValidationError):
        raise not_found from None
    except ObjectDoesNotExist:
        if visible.model._default_manager.filter(pk=pk).exists():
            _audit_refusal(user, visible.model, pk, "outside the user's scope")
        raise not_found from None
    if changeable is not None and not changeable.filter(pk=obj.pk).exists():
        _audit_refusal(user, visible.model, pk, "the user may see but not change it")
        raise PermissionDenied("You can see this record but not change it.")
    return obj


def _audit_refusal(user: User, model: type[Model], pk: int | str, reason: str) -> None:
    audit_event_record(
        action=Action.ACCESS_DENIED,
        user=user,
        object_type=model._meta.label_lower,
        object_id=pk,
        detail={"reason": reason},
    )


def get_record_for_user(
    user: User, records: QuerySet[_M], pk: int | str, *, to_change: bool = False
) -> _M:
    """The record `pk` of `records` if `user` may see it, by its kind's rule
    (`accounts.permissions.RECORD_RULES`), else 404; with `to_change`, 403 unless they may
    also change it. Every `get_<obj>_for_user(user, pk, *, to_change=False)` helper is
    this call on the records it reaches (a line's attributions, a referral's actions)."""
    visible = visible_to(user, records)
    changeable = changeable_by(user, visible) if to_change else None
    return get_object_in_scope(user=user, visible=visible, pk=pk, changeable=changeable)
