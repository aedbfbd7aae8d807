"""Records keyed by their reference, created, updated or left alone a block at a time.

The batch write of every kind whose record is one table row found by its reference
(`records.models.ReferencedRecord`): lines, persons, arrests, charges, sentences,
seizures, referrals, deaths, recorded offences. An app declares its records once
(`KeyedRecords`: the references to other records, the links, its rule function) and its
batch service is one call:

    ARRESTS = KeyedRecords(Arrest, references=(ReferenceTo(...),), ...)

    def arrest_upsert_many(*, user, rows, audit_detail=None) -> BatchResult:
        return upsert_by_reference(ARRESTS, user=user, rows=rows, audit_detail=audit_detail)

For the whole block, whatever its size: one query per referenced kind of record
resolves the references (`person_reference` -> the person), one query loads the
records already stored, every row is validated in memory with the app's rule function
(the same one behind the model's `clean()`, so forms and imports refuse the same
things in the same words), then one insert writes what is new, one update what
changed (only where the record is still at the version read, else `RecordsChanged`)
and one more statement audits each record created or changed, with its changes. The
watchers of what those records mention (the model's `watched_in`, `watches.things`)
are found in one more query, and notified in one insert when there are any
(`watches.notify`): a screen and an import notify alike.

Links to several other records by reference (a referral's suspected lines, from a
cell `CL1;CL2`) or to reference data (a line's command areas) are declared as `LinksTo`
and written after the records, as the many-to-many rows of those whose links are new
or changed, in one delete and one insert a block. What a kind writes beside its records
(a referral's share with its referring agency) its `written` function adds, once a
block, from the records' ids and values.

Rows map each column of the file to its parsed value: plain fields by their name,
reference data (a command area, a drug) as the model instance the kind looked up,
other records by the column of `ReferenceTo` holding their normalised reference. A
column the file does not have is not in the row: on update that field is left alone,
on insert it takes the model's default. An empty cell of a field that cannot be null
means its default too ("" for text, the default choice).

The one batch write of records that is not this engine's: attributions of numbers to
lines (`lines.services.batch.numbers`), keyed by a period rather than a reference.

Adding a column to an import kind
---------------------------------
1. The model's field (and its migration). The batch writes it with nothing more said:
   `KeyedRecords.fields` is, unless a kind names its own, every field the model
   declares for people to edit, which the screens' services take as what they may
   change too. Lines and referrals name theirs (their files set a few of many fields).
2. The import kind's `Column` (`<app>/importers.py`): the parser, whether a value is
   required, the help text. Its name is the field's, or `ReferenceTo.column` for
   another record (`person_reference`). tests/imports/test_kinds.py checks that every
   column of a kind is one its records write.
3. The form's field: the screens' label and messages are written, not derived.
4. The export: the enforcement kinds' (arrests, charges, sentences, seizures) is
   `KeyedRecords.file_columns`, the file a re-import reads, and follows by itself.
   People, lines, referrals and deaths list their export's columns (`<app>/selectors.py`
   or `views.py`): they show what a file does not hold (a status, counts, a share).
"""

import datetime
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from accounts.models import User
from audit.changes import changes
from audit.services import Action, AuditEntry, audit_events_record_many
from core.batch import BatchResult, Outcome, RecordsChanged, columns_in_error
from core.bulk import insert_rows, update_rows
from core.references import reference_key, reference_unknown
from core.rules import future_problems
from watches.notify import record_mentions, watchers_notify

from .models import ReferencedRecord

Row = Mapping[str, Any]
Values = dict[str, Any]
# What the audit log names a record's relations by: a foreign key's related record (its
# reference or name; None when empty), a link's records (a sorted tuple of them).
Labels = dict[str, Any]


@dataclass(frozen=True)
class ReferenceTo:
    """A column naming another record by its reference: `person_reference` -> `person`."""

    column: str
    field: str
    hint: str = ""  # what to do about an unknown reference: "Import the persons first."


@dataclass(frozen=True)
class LinksTo:
    """A column naming several other records by reference (`line_references`, parsed to
    a tuple of references) -> a many-to-many field to them (`suspected_lines`). To
    reference data (drugs), the kind's parser has already looked the entries up: the
    row holds them, and they are named by their `name`."""

    column: str
    field: str
    hint: str = ""

    def by_reference(self, model: type[models.Model]) -> bool:
        return hasattr(model._meta.get_field(self.field).related_model, "reference_key")

    def label_field(self, model: type[models.Model]) -> str:
        return "reference" if self.by_reference(model) else "name"


@dataclass(frozen=True)
class KeyedRecords:
    """How a model's records are written by the block: see the module's docstring.

    `fields` are those the block reads and writes (by default every field the model
    declares for people to edit: see `editable_fields`); a file sets those it has a
    column for, the others are kept as stored (and checked with them).
    `implied(values)` sets what the other values imply, before the rules check them
    (a reopened line has no closure type).
    `rules(values, today)` receives every field's value by attribute name (`person_id`,
    `arrested_on`…; a link's field, the frozenset of its ids) and the day of the import,
    and returns `{field: message}`;
    Fields the model computes from the others (a search key) it names in its
    `derived_fields` and computes with `derive(values)`, as its `save()` does.
    `new_reference_rules(reference)` returns `{field: message}` for a reference a new
    record may not take (records already there keep theirs).
    `label(reference, values)` names a record in the audit log. `written(records)`,
    given `(pk, values)` of each record the block created or changed, writes what goes
    with them, in a bounded number of statements. `key_column` is the column holding
    the reference (`Crime ID` in a police.uk file). Records of public, anonymised data
    (recorded offences) are not `audited` one by one: the import's own event says what
    it wrote.
    """

    model: type[ReferencedRecord]
    fields: tuple[str, ...] = ()
    references: tuple[ReferenceTo, ...] = ()
    links: tuple[LinksTo, ...] = ()
    implied: Callable[[Values], None] | None = None
    rules: Callable[[Values, datetime.date], dict[str, str]] = lambda values, today: {}
    new_reference_rules: Callable[[str], dict[str, str]] = lambda reference: {}
    label: Callable[[str, Values], str] = lambda reference, values: reference
    written: Callable[[list[tuple[int, Values]]], None] | None = None
    key_column: str = "reference"
    audited: bool = True
    # Columns named otherwise than their field (`Month` -> `month` in a police.uk file).
    column_names: tuple[tuple[str, str], ...] = ()
    # Dates of what has happened (an arrest): never after the day of the import, as the
    # forms say (`(field, its name in a sentence)`).
    past_dates: tuple[tuple[str, str], ...] = ()
    # The records in a message, when not the model's plural name ("lines", not "county lines").
    plural: str = ""

    def __post_init__(self) -> None:
        if not self.fields:
            object.__setattr__(self, "fields", editable_fields(self.model))

    @functools.cached_property
    def file_columns(self) -> tuple[tuple[str, str], ...]:
        """The record as its import file has it: each column's name and the lookup that
        reads its cell (`person_reference`, `person__reference`), for an export that
        can be imported again. Links are not in it: a lookup reads one value a row."""
        if self.links:
            raise TypeError(f"{self.model.__name__}: a link is not one lookup a row")
        lookups = self.related_labels
        return (
            (self.key_column, "reference"),
            *((self.columns[name], lookups.get(name, name)) for name in self.fields),
        )

    @property
    def derived_fields(self) -> tuple[str, ...]:
        return self.model.derived_fields

    @functools.cached_property
    def _fields(self) -> dict[str, models.Field]:
        fields = {}
        for name in self.fields:
            model_field = self.model._meta.get_field(name)
            if not isinstance(model_field, models.Field):
                raise TypeError(f"{self.model.__name__}.{name} is another model's relation")
            fields[name] = model_field
        return fields

    @functools.cached_property
    def columns(self) -> dict[str, str]:
        """The column that sets each field."""
        by_field = dict(self.column_names)
        by_field |= {reference.field: reference.column for reference in self.references}
        return {name: by_field.get(name, name) for name in self.fields}

    @functools.cached_property
    def related_labels(self) -> dict[str, str]:
        """For each foreign key, the lookup of the related record's name in the audit log."""
        labels = {}
        for name, model_field in self._fields.items():
            if model_field.is_relation:
                related = model_field.related_model
                shown = "reference" if hasattr(related, "reference_key") else "name"
                labels[name] = f"{name}__{shown}"
        return labels

    @functools.cached_property
    def attnames(self) -> tuple[str, ...]:
        """Each field's attribute name (`person_id` for `person`), in the order of fields."""
        return tuple(self._fields[name].attname for name in self.fields)

    @functools.cached_property
    def plan(self) -> tuple["_FieldPlan", ...]:
        """How a row sets each field, worked out once rather than for every row."""
        references = {reference.field for reference in self.references}
        for name, model_field in self._fields.items():
            if model_field.has_default() and callable(model_field.default):
                raise TypeError(
                    f"{self.model.__name__}.{name}: a default worked out for each record "
                    "(a callable) is not one the block can take once"
                )
        return tuple(
            _FieldPlan(
                name=name,
                column=self.columns[name],
                attname=model_field.attname,
                default=model_field.get_default(),
                nullable=model_field.null,
                kind="record"
                if name in references
                else "reference_data"
                if model_field.is_relation
                else "value",
            )
            for name, model_field in self._fields.items()
        )


def editable_fields(model: type[ReferencedRecord]) -> tuple[str, ...]:
    """The fields `model` declares beyond a `ReferencedRecord`'s that people set, in
    their order: not its many-to-many fields (`LinksTo`), nor those it computes itself
    (`editable=False`, its `derived_fields`)."""
    shared = {model_field.name for model_field in ReferencedRecord._meta.get_fields()}
    derived = set(model.derived_fields)
    return tuple(
        model_field.name
        for model_field in model._meta.concrete_fields
        if model_field.editable
        and not model_field.primary_key
        and model_field.name not in shared | derived
    )


@dataclass(frozen=True)
class _FieldPlan:
    name: str
    column: str
    attname: str
    default: Any  # a field's default is a constant here: no callable defaults
    nullable: bool
    kind: str  # "record" (by reference), "reference_data" (an instance) or "value"


@dataclass(eq=False)
class _State:
    """A record as the block leaves it: loaded from the database or created by a row."""

    pk: int | None
    reference: str
    values: Values  # by attribute name
    labels: Labels = field(default_factory=dict)
    version: int = 1
    key: str = ""  # reference_key(reference), worked out once

    @property
    def saved_pk(self) -> int:
        """Its primary key, once it is written (for a new record, with its id returned)."""
        if self.pk is None:
            raise RuntimeError(f"{self.reference} is not written yet")
        return self.pk

    def display(self, records: KeyedRecords) -> dict[str, Any]:
        """Its fields as the audit log records them (audit.changes)."""
        shown = {
            planned.name: self.labels.get(planned.name)
            if planned.kind != "value"
            else self.values[planned.attname]
            for planned in records.plan
        }
        for link in records.links:
            shown[link.field] = list(self.labels.get(link.field, ()))
        return shown


def upsert_by_reference(
    records: KeyedRecords,
    *,
    user: User | None,
    rows: Sequence[Row],
    audit_detail: Mapping[str, Any] | None = None,
) -> BatchResult:
    """Create or update the records of `rows` by reference; see the module's docstring."""
    result = BatchResult(size=len(rows))
    today = timezone.localdate()  # once a block, not a row
    resolved = _resolve_references(records, rows, result)
    linked = _resolve_links(records, rows, result)
    key_column = records.key_column
    # Once a row: it costs. A row whose reference could not be read has no key.
    keys = [reference_key(row[key_column]) if row[key_column] else "" for row in rows]
    states = _stored(records, set(keys) - {""})
    created: list[_State] = []
    changed: dict[int, _State] = {}  # by pk: stored records whose values changed
    relinked: dict[str, dict[int, _State]] = {link.field: {} for link in records.links}
    audits: list[tuple[str, _State, dict[str, Any]]] = []

    for index, row in enumerate(rows):
        key = keys[index]
        state = states.get(key)
        values, labels = _proposed(records, index, row, state, resolved, linked)
        if records.implied is not None:
            records.implied(values)
        # A row naming an unknown record, or with cells in error, is checked all the
        # same, so that one pass reports all it has wrong; it is never written.
        problems = records.rules(values, today)
        if state is None and key:
            problems = records.new_reference_rules(row[key_column]) | problems
        if records.past_dates:
            problems = (
                future_problems(
                    today=today,
                    dates={name: (values.get(name), label) for name, label in records.past_dates},
                )
                | problems
            )
        if problems:
            result.refuse_all(index, problems)
        if problems or result.is_refused(index) or columns_in_error(row):
            result.set_aside(index)
            continue
        if state is None:
            state = _State(None, row[key_column], values, labels, key=key)
            states[key] = state
            created.append(state)
            audits.append((Action.CREATE, state, {}))
            result.record(index, Outcome.CREATED)
            continue
        if values == state.values:
            result.record(index, Outcome.UNCHANGED)
            continue
        before = state.display(records)
        if state.pk is not None:
            changed[state.pk] = state  # its version goes up, whatever changed
            for link in records.links:
                if values[link.field] != state.values[link.field]:
                    relinked[link.field][state.pk] = state
        state.values, state.labels = values, labels
        audits.append((Action.UPDATE, state, {"changes": changes(before, state.display(records))}))
        result.record(index, Outcome.UPDATED)

    _write(records, created, list(changed.values()), relinked)
    if records.written is not None and (created or changed):
        records.written([(state.saved_pk, state.values) for state in (*created, *changed.values())])
    if hasattr(records.model, "watched_in") and (created or changed):
        changed_fields: dict[int, set[str]] = {}
        for action, state, extra in audits:
            if action == Action.UPDATE:
                changed_fields.setdefault(id(state), set()).update(extra["changes"])
        _watchers_notify(records, user, created, list(changed.values()), changed_fields)
    if not records.audited:
        return result
    for action, state, extra in audits:
        if action == Action.UPDATE:
            extra["version"] = state.version
    audit_events_record_many(
        user=user,
        shared_detail=audit_detail,
        entries=(
            AuditEntry(
                action,
                records.model._meta.label_lower,
                state.saved_pk,
                records.label(state.reference, state.values),
                extra,
            )
            for action, state, extra in audits
        ),
    )
    return result


def _watchers_notify(
    records: KeyedRecords,
    user: User | None,
    created: list[_State],
    changed: list[_State],
    changed_fields: Mapping[int, set[str]],
) -> None:
    """`changed_fields`: by state (its `id`), the fields its rows changed."""
    model = records.model
    watchers_notify(
        user=user,
        mentions=[
            mention
            for states, is_new in ((created, True), (changed, False))
            for state in states
            for mention in record_mentions(
                model,
                state.saved_pk,
                state.values,
                created=is_new,
                changed=changed_fields.get(id(state), ()),
            )
        ],
    )


def _references_found(model: type[models.Model], keys: set[str]) -> dict[str, tuple[int, str]]:
    """The records of `model` with these reference keys: (pk, reference) by key."""
    if not keys:
        return {}
    stored = model._default_manager.filter(reference_key__any=keys).order_by()
    return {
        key: (pk, text) for key, pk, text in stored.values_list("reference_key", "pk", "reference")
    }


def _resolve_references(
    records: KeyedRecords, rows: Sequence[Row], result: BatchResult
) -> dict[str, list[tuple[int, str] | None]]:
    """For each reference column, what each row names: (pk, reference), or None for an
    empty cell. Rows naming a record that is not there are refused."""
    resolved = {}
    for reference in records.references:
        related = _related_model(records.model, reference.field)
        texts = [row.get(reference.column) for row in rows]
        keys = [reference_key(text) if text else None for text in texts]
        found = _references_found(related, {key for key in keys if key})
        noun = str(related._meta.verbose_name)
        named = []
        for index, (text, key) in enumerate(zip(texts, keys, strict=True)):
            if text and key and key not in found:
                result.refuse(
                    index, reference.column, reference_unknown(text, noun, reference.hint)
                )
            named.append(found.get(key) if key else None)
        resolved[reference.column] = named
    return resolved


def _resolve_links(
    records: KeyedRecords, rows: Sequence[Row], result: BatchResult
) -> dict[str, list[tuple[frozenset[int], tuple[str, ...]]]]:
    """For each link column, what each row names: the ids and the references, sorted.
    Rows naming a record that is not there are refused."""
    linked = {}
    for link in records.links:
        related = _related_model(records.model, link.field)
        if not link.by_reference(records.model):  # reference data, looked up by the kind
            pk, name = related._meta.pk.attname, link.label_field(records.model)
            per_entries: dict[tuple[int, ...], tuple[frozenset[int], tuple[str, ...]]] = {}
            named_by_row = []
            for row in rows:
                entries = row.get(link.column) or ()
                # Rows name the same few entries (the instances the kind's lookup holds).
                same = tuple(map(id, entries))
                if same not in per_entries:
                    per_entries[same] = (
                        frozenset([getattr(entry, pk) for entry in entries]),
                        tuple(sorted([getattr(entry, name) for entry in entries])),
                    )
                named_by_row.append(per_entries[same])
            linked[link.column] = named_by_row
            continue
        texts = [row.get(link.column) or () for row in rows]
        found = _references_found(
            related, {reference_key(text) for named in texts for text in named}
        )
        noun = str(related._meta.verbose_name)
        per_row = []
        for index, named in enumerate(texts):
            keys = [reference_key(text) for text in named]
            for text, key in zip(named, keys, strict=True):
                if key not in found:
                    result.refuse(index, link.column, reference_unknown(text, noun, link.hint))
                    break
            pairs = [found[key] for key in keys if key in found]
            per_row.append(
                (frozenset(pk for pk, _ in pairs), tuple(sorted({text for _, text in pairs})))
            )
        linked[link.column] = per_row
    return linked


def _proposed(
    records: KeyedRecords,
    index: int,
    row: Row,
    state: _State | None,
    resolved: dict[str, list[tuple[int, str] | None]],
    linked: dict[str, list[tuple[frozenset[int], tuple[str, ...]]]],
) -> tuple[Values, Labels]:
    """The values (and foreign keys' labels) the record would have after `row`."""
    values = dict(state.values) if state else {}
    labels = dict(state.labels) if state else {}
    for link in records.links:
        if link.column in row:
            values[link.field], labels[link.field] = linked[link.column][index]
        else:
            values.setdefault(link.field, frozenset())
            labels.setdefault(link.field, ())
    for planned in records.plan:
        if planned.column not in row:
            values.setdefault(planned.attname, planned.default)
            continue
        value = row[planned.column]
        if planned.kind == "record":  # another record, by its reference
            pk, label = resolved[planned.column][index] or (None, None)
            values[planned.attname], labels[planned.name] = pk, label
        elif planned.kind == "reference_data":  # looked up by the kind
            values[planned.attname] = value.pk if value is not None else None
            labels[planned.name] = str(value) if value is not None else None
        elif value is None and not planned.nullable:
            values[planned.attname] = planned.default  # an empty cell: "" for text, say
        else:
            values[planned.attname] = value
    return values, labels


def _stored(records: KeyedRecords, keys: set[str]) -> dict[str, _State]:
    """The stored records with these reference keys, by key."""
    attnames = records.attnames
    names, lookups = tuple(records.related_labels), tuple(records.related_labels.values())
    stored = (
        records.model._default_manager.filter(reference_key__any=keys)
        .order_by()
        .values_list("pk", "reference", "reference_key", "version", *attnames, *lookups)
    )
    # Tuples, not dicts: the database driver's rows, without a dict per record.
    ends = 4 + len(attnames)
    states = {
        row[2]: _State(
            row[0],
            row[1],
            dict(zip(attnames, row[4:ends], strict=True)),
            dict(zip(names, row[ends:], strict=True)),
            row[3],
        )
        for row in stored
    }
    if records.links and states:
        _load_links(records, {state.saved_pk: state for state in states.values()})
    return states


def _related_model(model: type[models.Model], name: str) -> type[models.Model]:
    """The model the relation `name` of `model` leads to."""
    related = model._meta.get_field(name).related_model
    if not isinstance(related, type):
        raise TypeError(f"{model.__name__}.{name} leads to no model")
    return related


def _through(model: type[models.Model], name: str) -> tuple[type[models.Model], str, str]:
    """A many-to-many field's table and its two columns' field names (from, to)."""
    many = model._meta.get_field(name)
    if not isinstance(many, models.ManyToManyField) or many.remote_field.through is None:
        raise TypeError(f"{model.__name__}.{name} is not a many-to-many field")
    return many.remote_field.through, many.m2m_field_name(), many.m2m_reverse_field_name()


def _load_links(records: KeyedRecords, by_pk: dict[int, _State]) -> None:
    for link in records.links:
        through, source, target = _through(records.model, link.field)
        found: dict[int, list[tuple[int, str]]] = {}
        label = f"{target}__{link.label_field(records.model)}"
        rows = through._default_manager.filter(**{f"{source}_id__any": list(by_pk)}).values_list(
            f"{source}_id", f"{target}_id", label
        )
        for owner, pk, text in rows:
            found.setdefault(owner, []).append((pk, text))
        for owner, state in by_pk.items():
            pairs = found.get(owner, [])
            state.values[link.field] = frozenset(pk for pk, _ in pairs)
            state.labels[link.field] = tuple(sorted(text for _, text in pairs))


def _write(
    records: KeyedRecords,
    created: list[_State],
    changed: list[_State],
    relinked: dict[str, dict[int, _State]],
) -> None:
    model, fields = records.model, records.fields
    derived = records.derived_fields

    def written(state: _State) -> tuple[Any, ...]:
        extra = records.model.derive(state.values) if derived else {}
        return (
            *(state.values[attname] for attname in records.attnames),
            *(extra[name] for name in derived),
        )

    # New records' ids are needed only for what refers to them: their audit events,
    # links, what `written` adds, or a later row of the same block updating them.
    needs_ids = bool(records.audited or records.links or records.written is not None)
    ids = insert_rows(
        model,
        ("reference", "reference_key", *fields, *derived),
        [(state.reference, state.key, *written(state)) for state in created],
        returning_ids=needs_ids,
    )
    for state, pk in zip(created, ids, strict=needs_ids):
        state.pk = pk
    updated = update_rows(
        model,
        (*fields, *derived, "version"),
        [(state.pk, state.version, *written(state), state.version + 1) for state in changed],
        expected=("version",),
    )
    if updated != len(changed):
        plural = records.plural or model._meta.verbose_name_plural
        raise RecordsChanged(
            f"Some of these {plural} were changed by someone else "
            "while the file was being imported."
        )
    for state in changed:
        state.version += 1
    # Only the links of records created, or whose links changed: a block that changes a
    # line's name leaves its command areas' rows alone.
    for link in records.links:
        through, source, target = _through(model, link.field)
        rewritten = list(relinked[link.field].values())
        if rewritten:
            through._default_manager.filter(
                **{f"{source}_id__any": [state.pk for state in rewritten]}
            ).delete()
        insert_rows(
            through,
            (source, target),
            [(state.pk, pk) for state in (*created, *rewritten) for pk in state.values[link.field]],
        )
