"""What each role may do: the one place that says so.

Views ask through `accounts.access` (a decorator, a mixin and `user_can`);
selectors use `user_can` to scope querysets. Adding a capability means adding
it here and to the roles that have it, nothing else.
"""

from enum import StrEnum

from .models import Role


class Capability(StrEnum):
    VIEW_LINES = "view_lines"
    CHANGE_LINES = "change_lines"
    # May use the import page; each kind of file asks for its app's change_ capability too.
    IMPORT_DATA = "import_data"
    VIEW_PERSONS = "view_persons"
    CHANGE_PERSONS = "change_persons"
    VIEW_OPERATIONS = "view_operations"
    CHANGE_OPERATIONS = "change_operations"
    VIEW_SAFEGUARDING = "view_safeguarding"
    CHANGE_SAFEGUARDING = "change_safeguarding"
    VIEW_ALL_SAFEGUARDING = "view_all_safeguarding"
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
            Capability.SHARE_SAFEGUARDING,
            Capability.LINK_SAFEGUARDING,
            Capability.CHANGE_PANEL_DATA,
            Capability.IMPORT_DATA,
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


def user_can(user, capability: Capability) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return capability in ROLE_CAPABILITIES.get(user.role, frozenset())
