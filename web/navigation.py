"""The areas of the service, and which of them a user's role may use.

Drives both the primary navigation and the home page, so the two cannot disagree.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from accounts.permissions import Capability, user_can


@dataclass(frozen=True)
class Area:
    title: str
    url_name: str
    description: str
    capability: Capability
    in_navigation: bool = True
    # What the area is for someone who may only read it (a manager, say); None: the same.
    read_only_description: str | None = None
    change_capability: Capability | None = None

    def description_for(self, user) -> str:
        read_only = self.change_capability and not user_can(user, self.change_capability)
        if read_only and self.read_only_description is not None:
            return self.read_only_description
        return self.description

    @property
    def url(self) -> str | None:
        # An area whose app is not installed in this deployment has no URL and is not offered.
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


AREAS: tuple[Area, ...] = (
    Area(
        "County lines",
        "lines:line_list",
        "Log lines, the numbers they use and the intelligence behind them.",
        Capability.VIEW_LINES,
        read_only_description="Look up lines, the numbers they used and what is known of them.",
        change_capability=Capability.CHANGE_LINES,
    ),
    Area(
        "People",
        "persons:person_list",
        "Nominals: who runs, holds and is exploited by the lines.",
        Capability.VIEW_PERSONS,
        read_only_description="Look up the people around the lines and what the force did.",
        change_capability=Capability.CHANGE_PERSONS,
    ),
    Area(
        "Enforcement",
        "operations:operation_list",
        "Operations, and the arrests, charges, sentences and seizures that disrupt the lines.",
        Capability.VIEW_OPERATIONS,
        read_only_description="What the force did about the lines, operation by operation.",
        change_capability=Capability.CHANGE_OPERATIONS,
    ),
    Area(
        "Call data",
        "calls:home",
        "Phone billing records: a number's profile, common contacts, successor numbers, "
        "new lines and handsets.",
        Capability.VIEW_CALL_DATA,
    ),
    Area(
        "Import data",
        "imports:start",
        "Upload a CSV file of lines, numbers or other records.",
        Capability.IMPORT_DATA,
    ),
    Area(
        "Safeguarding",
        "safeguarding:home",
        "Blue Guardian cuckooing referrals and the information exchanged on them.",
        Capability.VIEW_SAFEGUARDING,
        read_only_description="Cuckooing referrals, what partners shared and agreed to do.",
        change_capability=Capability.CHANGE_SAFEGUARDING,
    ),
    Area(
        "Reviews due",
        "reviews:queue",
        "Review the retention of lines, people and referrals due under MoPI.",
        Capability.VIEW_LINES,
        in_navigation=False,
        read_only_description="Which records are due or overdue for their MoPI review.",
        change_capability=Capability.CHANGE_LINES,
    ),
    Area(
        "Drug-related deaths",
        "panel:death_list",
        "Record the drug-related deaths the panel report counts.",
        Capability.CHANGE_PANEL_DATA,
        in_navigation=False,
    ),
    Area(
        "Panel reports",
        "panel:report_list",
        "Statistics for the Police, Fire and Crime Panel, ready to print.",
        Capability.VIEW_PANEL_REPORTS,
    ),
    Area(
        "Audit log",
        "audit:event_list",
        "Who consulted or changed which record, and when.",
        Capability.VIEW_AUDIT_LOG,
    ),
    Area(
        "Administration",
        "admin:index",
        "Staff accounts, agencies and reference data.",
        Capability.ADMINISTER,
    ),
)


def areas_for(user) -> list[tuple[Area, str, str]]:
    """The areas `user` may use, each with its URL and what it is for them."""
    available = []
    for area in AREAS:
        if user_can(user, area.capability):
            url = area.url
            if url is not None:
                available.append((area, url, area.description_for(user)))
    return available
