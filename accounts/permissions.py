"""What each role may do, and which records each user may see and change: the one place
that says so.

Views ask through `accounts.access` (a decorator and `user_can`);
selectors use `user_can` to scope querysets. Adding a capability means adding
it here and to the roles that have it, nothing else.

Below the capabilities, `RECORD_RULES` says, kind of record by kind of record, who may see
and change it, and which of them a partner-agency user may see and change (the ownership
rule); selectors scope querysets with `visible_to` and `changeable_by`, the
`get_<obj>_for_user` helpers answer with `accounts.access.get_record_for_user`, services
refuse a write with `may_change` and the audit log links to a record for those who
`may_see_all` of its kind, so that screens, imports, the audit log and the API obey one
rule. Adding a kind of record means adding its rule there.
"""

from dataclasses import dataclass
from enum import StrEnum
from functools import reduce
from operator import or_
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, Q, QuerySet

from .models import Role, User


class Capability(StrEnum):
    VIEW_LINES = "view_lines"
    CHANGE_LINES = "change_lines"
    # May use the import page; each kind of file asks for its app's change_ capability too.
    IMPORT_DATA = "import_data"
    # Call data (communications data): intelligence officers only, never managers or partners.
    VIEW_CALL_DATA = "view_call_data"
    CHANGE_CALL_DATA = "change_call_data"
    VIEW_PERSONS = "view_persons"
    CHANGE_PERSONS = "change_persons"
    VIEW_OPERATIONS = "view_operations"
    CHANGE_OPERATIONS = "change_operations"
    VIEW_SAFEGUARDING = "view_safeguarding"
    CHANGE_SAFEGUARDING = "change_safeguarding"
    VIEW_ALL_SAFEGUARDING = "view_all_safeguarding"
    # Changes every safeguarding record, whoever owns it (the police); without it, a user
    # changes only what their agency owns (RECORD_RULES).
    CHANGE_ALL_SAFEGUARDING = "change_all_safeguarding"
    # Shares a referral with an agency, or confirms a partner's proposal to: a disclosure.
    SHARE_SAFEGUARDING = "share_safeguarding"
    # Links referrals to lines and occupants to persons: police-side intelligence.
    LINK_SAFEGUARDING = "link_safeguarding"
    VIEW_PANEL_REPORTS = "view_panel_reports"
    # Drug offences from police.uk and drug-related deaths: what the panel report counts.
    CHANGE_PANEL_DATA = "change_panel_data"
    # Chart annotations, a report's own paragraphs, refreshing and publishing a report.
    CHANGE_PANEL_REPORTS = "change_panel_reports"
    VIEW_AUDIT_LOG = "view_audit_log"
    ADMINISTER = "administer"


_POLICE_READ = {
    Capability.VIEW_LINES,
    Capability.VIEW_PERSONS,
    Capability.VIEW_OPERATIONS,
    Capability.VIEW_SAFEGUARDING,
    Capability.VIEW_ALL_SAFEGUARDING,
}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.INTELLIGENCE_OFFICER: frozenset(
        _POLICE_READ
        | {
            Capability.CHANGE_LINES,
            Capability.CHANGE_PERSONS,
            Capability.CHANGE_OPERATIONS,
            Capability.CHANGE_SAFEGUARDING,
            Capability.CHANGE_ALL_SAFEGUARDING,
            Capability.SHARE_SAFEGUARDING,
            Capability.LINK_SAFEGUARDING,
            Capability.CHANGE_PANEL_DATA,
            Capability.IMPORT_DATA,
            Capability.VIEW_CALL_DATA,
            Capability.CHANGE_CALL_DATA,
        }
    ),
    Role.MANAGER: frozenset(
        _POLICE_READ
        | {
            Capability.VIEW_PANEL_REPORTS,
            Capability.CHANGE_PANEL_REPORTS,
            Capability.VIEW_AUDIT_LOG,
        }
    ),
    # Partners see only the safeguarding records shared with their own agency.
    Role.PARTNER: frozenset({Capability.VIEW_SAFEGUARDING, Capability.CHANGE_SAFEGUARDING}),
    # Administrators run the service (accounts, reference data) and read the audit log;
    # they see no intelligence, so they import none either.
    Role.ADMINISTRATOR: frozenset(
        {
            Capability.VIEW_AUDIT_LOG,
            Capability.VIEW_PANEL_REPORTS,
            Capability.ADMINISTER,
        }
    ),
}


def user_can(user: User | AnonymousUser, capability: Capability) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return capability in ROLE_CAPABILITIES.get(user.role, frozenset())


# --- Which records a partner agency sees and changes: the ownership rule ------------------


@dataclass(frozen=True)
class Agencies:
    """The agencies a record belongs to, for this purpose: those its fields `paths` name
    (written as in a queryset filter, from the record: `owner_agency`,
    `referral__referring_agency`), and every agency at all when the record's fields hold
    the values of `everyone_when` (`(("shared_with_partnership", True),)`)."""

    paths: tuple[str, ...]
    everyone_when: tuple[tuple[str, object], ...] = ()
    # Conditions each path is taken with, in the same filter (so on the same related row:
    # a referral's share with the agency, confirmed).
    only_where: tuple[tuple[str, object], ...] = ()

    def include(self, agency_id: int | None, *, prefix: str = "") -> Q:
        """The records of `agency_id` (a filter on the records, or, with `prefix`, on the
        records reached through that relation: `actions__`)."""
        where = {f"{prefix}{name}": value for name, value in self.only_where}
        conditions = [Q(**{f"{prefix}{path}": agency_id}, **where) for path in self.paths]
        if self.everyone_when:
            conditions.append(Q(**{f"{prefix}{name}": value for name, value in self.everyone_when}))
        return reduce(or_, conditions)


@dataclass(frozen=True)
class RecordRule:
    """Who may see and change one kind of record.

    A user whose role lacks `view` sees none of them. Of the others, one whose role has
    `view_all` sees them all, anyone else those of `partner_sees` (None: every one of
    those they reach, as a referral's occupants are reached through the referral, which
    its own rule scopes first). A user whose role has `change_all` changes every one they
    see; one whose role has `change` only, a partner, changes those of `partner_changes`
    (None: none); anyone else changes none. `police_only` fields are never shown to, nor
    set by, a user without `view_all`."""

    view: Capability
    change: Capability
    view_all: Capability
    change_all: Capability
    partner_changes: Agencies | None = None
    partner_sees: Agencies | None = None
    police_only: tuple[str, ...] = ()


def _whole(view: Capability, change: Capability) -> RecordRule:
    """Records every user whose role has `view` sees whole, and every one with `change`
    changes: no partner agency sees any of them."""
    return RecordRule(view=view, change=change, view_all=view, change_all=change)


def _safeguarding(**rule: Any) -> RecordRule:
    return RecordRule(
        view=Capability.VIEW_SAFEGUARDING,
        change=Capability.CHANGE_SAFEGUARDING,
        view_all=Capability.VIEW_ALL_SAFEGUARDING,
        change_all=Capability.CHANGE_ALL_SAFEGUARDING,
        **rule,
    )


_LINES = _whole(Capability.VIEW_LINES, Capability.CHANGE_LINES)
_PERSONS = _whole(Capability.VIEW_PERSONS, Capability.CHANGE_PERSONS)
_OPERATIONS = _whole(Capability.VIEW_OPERATIONS, Capability.CHANGE_OPERATIONS)
# Drug offences (police.uk) and drug-related deaths are seen by those who record them
# only: managers read them as the report's figures, never one by one.
_PANEL_DATA = _whole(Capability.CHANGE_PANEL_DATA, Capability.CHANGE_PANEL_DATA)

# Every kind of record, by model label (`app_label.model`): who sees it and who changes
# it. The `get_<obj>_for_user` helpers (accounts.access.get_record_for_user), the
# selectors (`visible_to`, `changeable_by`), the services (`may_change`) and the audit
# log (its record-type filter, its links to records) all read it here; a kind of record
# not declared here is refused by them (KeyError), so it cannot be forgotten.
#
# Safeguarding: intelligence officers change every safeguarding record; managers read them
# only. A partner changes what its agency owns or recorded: the referrals it referred
# (closing and reopening them included), their occupants and those it recorded, the
# actions it owns or recorded; exchanges are kept as recorded and shares are confirmed by
# the police. An action is seen by the police, its owner, the agency that recorded it, and
# every agency the referral is shared with only when it was agreed with them all; a
# proposal to share, by the police and the agency that proposed it.
RECORD_RULES: dict[str, RecordRule] = {
    "lines.line": _LINES,
    # A number and its uses are police intelligence, seen with the lines.
    "lines.phonenumber": _LINES,
    "lines.linenumber": _LINES,
    "lines.intelligenceentry": _LINES,
    "persons.person": _PERSONS,
    "persons.personnumber": _PERSONS,
    "persons.personaddress": _PERSONS,
    "persons.linerole": _PERSONS,
    "operations.operation": _OPERATIONS,
    "operations.arrest": _OPERATIONS,
    "operations.charge": _OPERATIONS,
    "operations.sentence": _OPERATIONS,
    "operations.seizure": _OPERATIONS,
    # A referral is seen once it is shared with the agency, and the share confirmed.
    "safeguarding.referral": _safeguarding(
        partner_sees=Agencies(("shares__agency",), only_where=(("shares__status", "confirmed"),)),
        partner_changes=Agencies(("referring_agency",)),
        police_only=("suspected_lines", "next_review_on", "retention_reason"),
    ),
    "safeguarding.occupant": _safeguarding(
        partner_changes=Agencies(("referral__referring_agency", "recorded_by_agency")),
        police_only=("person",),
    ),
    "safeguarding.safeguardingaction": _safeguarding(
        partner_changes=Agencies(("owner_agency", "recorded_by_agency")),
        partner_sees=Agencies(
            ("owner_agency", "recorded_by_agency"),
            everyone_when=(("shared_with_partnership", True),),
        ),
    ),
    "safeguarding.informationexchange": _safeguarding(
        partner_changes=None,
        partner_sees=Agencies(("from_agency", "to_agencies")),
    ),
    # Who a referral is shared with (a confirmed share), and what their own agency proposed.
    "safeguarding.referralshare": _safeguarding(
        partner_changes=None,
        partner_sees=Agencies(("proposed_by__agency",), everyone_when=(("status", "confirmed"),)),
    ),
    "panel.recordeddrugoffence": _PANEL_DATA,
    "panel.drugdeath": _PANEL_DATA,
    "panel.panelreport": _whole(Capability.VIEW_PANEL_REPORTS, Capability.CHANGE_PANEL_REPORTS),
    # The named periods the charts shade: kept by those who prepare the reports.
    "panel.chartannotation": _whole(
        Capability.CHANGE_PANEL_REPORTS, Capability.CHANGE_PANEL_REPORTS
    ),
    # An import job is seen by whoever may import; which ones, by the kinds of file they
    # may import (imports.selectors.import_job_list).
    "imports.importjob": _whole(Capability.IMPORT_DATA, Capability.IMPORT_DATA),
    # Communications data: disclosures and their rows are seen by intelligence officers only.
    "calls.source": _whole(Capability.VIEW_CALL_DATA, Capability.CHANGE_CALL_DATA),
    "calls.callevent": _whole(Capability.VIEW_CALL_DATA, Capability.CHANGE_CALL_DATA),
}


_M = TypeVar("_M", bound=Model)


def rule_of(kind: str | type[Model] | Model) -> RecordRule:
    """The rule of a kind of record: its model (or one of them), or its label
    (`"panel.drugdeath"`)."""
    return RECORD_RULES[kind if isinstance(kind, str) else kind._meta.label_lower]


def may_see_all(user: User | AnonymousUser, kind: str | type[Model] | Model) -> bool:
    """Whether `user` sees every record of the kind (the police, for safeguarding)."""
    return user_can(user, rule_of(kind).view_all)


def is_police(user: User | AnonymousUser) -> bool:
    """Whether `user` is on the police side of safeguarding: they see every referral and,
    when they may change any, act for every agency (record for any, give a referral's own
    reference, share at once). A partner sees and acts for their own agency only."""
    return may_see_all(user, "safeguarding.referral")


def visible_to(user: User, records: QuerySet[_M]) -> QuerySet[_M]:
    """The records of `records` that `user` may see, of those they reach."""
    rule = rule_of(records.model)
    if not user_can(user, rule.view):
        return records.none()
    if rule.partner_sees is None or user_can(user, rule.view_all):
        return records
    if user.agency_id is None:
        return records.none()
    # A filter through a many-to-many relation may repeat a record: match the keys.
    matching = records.model._default_manager.filter(rule.partner_sees.include(user.agency_id))
    return records.filter(pk__in=matching.values("pk"))


def visible_condition(user: User, model: type[Model], *, prefix: str) -> Q:
    """`visible_to` as a condition on the records reached through a relation (`actions__`),
    for counting them in an annotation. Rules of one relation only (no many-to-many)."""
    rule = rule_of(model)
    if not user_can(user, rule.view):
        return Q(**{f"{prefix}pk__in": []})
    if rule.partner_sees is None or user_can(user, rule.view_all):
        return Q()
    return rule.partner_sees.include(user.agency_id, prefix=prefix)


def changeable_by(user: User, records: QuerySet[_M]) -> QuerySet[_M]:
    """The records of `records` that `user` may change."""
    rule = rule_of(records.model)
    if not user_can(user, rule.view):
        return records.none()
    if user_can(user, rule.change_all):
        return records
    if not user_can(user, rule.change) or rule.partner_changes is None or not user.agency_id:
        return records.none()
    return records.filter(rule.partner_changes.include(user.agency_id))


def may_change(user: User, record: Model) -> bool:
    """Whether `user` may change `record` (one query for a partner)."""
    rule = rule_of(record)
    if user_can(user, rule.change_all) and user_can(user, rule.view):
        return True
    return changeable_by(user, type(record)._default_manager.filter(pk=record.pk)).exists()


def police_only_fields(user: User, model: type[Model] | Model) -> tuple[str, ...]:
    """The fields of `model` that `user` may neither see nor set."""
    rule = rule_of(model)
    return () if user_can(user, rule.view_all) else rule.police_only
