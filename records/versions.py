"""Edit conflicts: two people open the same record, both save; the second is told.

Every record that people edit has a `version` (a number raised by each update). Its
edit form carries the version it was opened on (`VersionedFormMixin`, a hidden
field); the service's update takes it as `expected_version` and, if the record has
moved on since, raises `EditConflict` instead of writing. The form is then shown again
with the person's own input kept, the other person's changes listed (from the audit
log, which records each update's changes and the version it made), and the version
brought up to date: saving again, having seen them, is a deliberate choice.

Imports update records too; they check the version they read in the same way.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import models
from django.http import HttpRequest, HttpResponseRedirect, QueryDict

from accounts.models import User
from audit.services import audit_view
from core.forms import GovukForm

from .models import VersionedRecord
from .timeline import updates_of


@dataclass(frozen=True)
class ChangeBy:
    """One update someone else made: who, when, and what in words."""

    who: str
    at: datetime.datetime
    changes: list[str]


@dataclass
class EditConflict(Exception):
    """The record was changed by someone else since the form was opened."""

    current_version: int
    changes: list[ChangeBy] = field(default_factory=list)
    record: models.Model | None = None

    def __str__(self) -> str:
        return "Someone else changed this record while you were editing it."


def check_version(
    obj: VersionedRecord, expected_version: int | None, *, hidden: Iterable[str] = ()
) -> None:
    """Lock `obj`'s row and raise EditConflict if its version is not `expected_version`
    (None: the caller has no version to hold to, such as a service called by code). The
    conflict lists the changes made since, less those of the `hidden` fields (what the
    editor may not see: `hidden_fields`); when only those changed, there is none.

    Then `obj.version` is the stored one; the service adds one and saves it with its
    update, while the row is locked, and records the new version in the audit event."""
    current = type(obj)._default_manager.select_for_update().values_list("version", flat=True)
    current_version = current.get(pk=obj.pk)
    obj.version = current_version
    if expected_version is None or current_version == expected_version:
        return
    changes = changes_since(obj, expected_version, hidden=hidden)
    if hidden and not changes:
        # Only fields the editor can neither see nor set have changed since: their edit
        # cannot undo them (only the fields changed are saved), and telling them that
        # something changed would tell them of what they may not see.
        return
    raise EditConflict(current_version, changes, record=obj)


def hidden_fields(obj: models.Model, user: User | None) -> tuple[str, ...]:
    """The fields of `obj` that `user` may not see, as its model says
    (`fields_hidden_from(user)`; none for a model that does not say)."""
    hidden_from = getattr(obj, "fields_hidden_from", None)
    return tuple(hidden_from(user)) if hidden_from and user is not None else ()


def changes_since(obj: models.Model, version: int, *, hidden: Iterable[str] = ()) -> list[ChangeBy]:
    """The updates of `obj` after `version`, oldest first, from the audit log."""
    return [
        ChangeBy(
            who=update.who or "an import",
            at=update.at,
            changes=update.sentences or ["Reviewed the record's retention"],
        )
        for update in updates_of(obj, hidden=hidden, after_version=version)
    ]


class VersionedFormMixin(GovukForm):
    """An edit form that remembers which version of the record it was opened on."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    conflict: EditConflict | None = None

    def show_conflict(self, conflict: EditConflict) -> None:
        """Show the form again, input kept, with the other changes and the new version."""
        self.conflict = conflict
        # The request's QueryDict, which cannot be changed, or a dict (a form built in code).
        data = self.data.copy() if isinstance(self.data, QueryDict) else {**self.data}
        data[self.add_prefix("version")] = str(conflict.current_version)
        self.data = data
        self.add_error(
            None,
            "Someone else changed this record while you were editing it. Check their changes "
            "below, then save again to keep yours",
        )

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")


def initial_for(form_class: type[forms.Form], record: VersionedRecord) -> dict[str, Any]:
    """A change form's initial values: the record's, and the version it was opened on."""
    names = [name for name in form_class.base_fields if name != "version"]
    return {
        **{name: getattr(record, name) for name in names if hasattr(record, name)},
        "version": record.version,
    }


def save_change(
    request: HttpRequest,
    form: VersionedFormMixin,
    save: Callable[[int | None, dict[str, Any]], bool],
    *,
    done: str,
    then: str,
) -> HttpResponseRedirect | None:
    """The POST of an edit form, the same for every record: once the form is valid,
    `save(expected_version, fields)` calls the service (returning whether anything
    changed). Over a newer version the form shows the other changes (EditConflict);
    the service's ValidationError goes on the fields it names. Saved: `done` is said if
    anything changed and the response redirects to `then`. None while the form is to be
    shown (again)."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect

    if request.method != "POST" or not form.is_valid():
        return None
    fields = dict(form.cleaned_data)
    expected_version = fields.pop("version", None)
    try:
        changed = save(expected_version, fields)
    except EditConflict as conflict:
        form.show_conflict(conflict)
        if conflict.record is not None:
            # The other changes are shown: a consultation of the record.
            audit_view(request=request, obj=conflict.record, form="edit conflict")
    except ValidationError as error:
        form.add_service_errors(error)
    else:
        if changed:
            messages.success(request, done)
        return redirect(then)
    return None
