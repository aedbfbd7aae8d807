"""Case-insensitive look-up of reference data by any of its names.

Built once per use (an import, a form) from the small reference tables, so that
matching thousands of rows costs no query per row.
"""

from collections.abc import Iterable

from accounts.models import Agency

from .models import CommandArea, Drug, Force


class ReferenceLookup:
    def __init__(self, entries: Iterable[tuple[str, object]], *, kind: str, plural: str = ""):
        self.kind = kind
        self.plural = plural or f"{kind}s"
        self._by_name = {}
        for name, value in entries:
            self._by_name[name.strip().casefold()] = value
        # The entries' own names, in order, for messages listing what is known.
        self.names = sorted({str(value) for value in self._by_name.values()})

    def get(self, name: str):
        """The entry called `name`, or None."""
        return self._by_name.get(name.strip().casefold())


def force_lookup() -> ReferenceLookup:
    return ReferenceLookup(
        ((name, force) for force in Force.objects.all() for name in force.names()),
        kind="force",
    )


def command_area_lookup() -> ReferenceLookup:
    return ReferenceLookup(
        ((area.name, area) for area in CommandArea.objects.all()), kind="command area"
    )


def drug_lookup() -> ReferenceLookup:
    return ReferenceLookup(((drug.name, drug) for drug in Drug.objects.all()), kind="drug")


def agency_lookup() -> ReferenceLookup:
    return ReferenceLookup(
        ((agency.name, agency) for agency in Agency.objects.all()), kind="agency", plural="agencies"
    )
