"""Reference data shared by every area: police forces, the force's command areas, drugs.

Created by data migrations (interfaces.md §2), edited by administrators, matched
case-insensitively by imports and never created implicitly.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from core.rules import Name, name_problems

# The names of reference data, as the admin site's messages call them.
FULL_NAME = Name("the full name")
SHORT_NAME = Name("the short name")
ALIASES = Name("the aliases", plural=True)
NAME = Name("the name")


class Force(models.Model):
    """A police force: a line's origin ("exporting") force area."""

    name = models.CharField("full name", max_length=100, unique=True)
    short_name = models.CharField(max_length=60, unique=True)
    aliases = models.CharField(
        max_length=200, blank=True, help_text="Other names it is known by, separated by ;"
    )
    place = models.CharField(
        max_length=60,
        blank=True,
        help_text="The place reports name for its area (Manchester, London); the short name "
        "when empty",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problems = name_problems(
            {
                "name": (FULL_NAME, self.name),
                "short_name": (SHORT_NAME, self.short_name),
                "aliases": (ALIASES, self.aliases),
            }
        )
        if problems:
            raise ValidationError(problems)

    @property
    def alias_list(self) -> list[str]:
        return [alias.strip() for alias in self.aliases.split(";") if alias.strip()]

    @property
    def place_name(self) -> str:
        """Where a line from this force comes from, as a report says it."""
        return self.place or self.short_name

    def names(self) -> list[str]:
        """Every name an import or a search may use for this force."""
        return [self.name, self.short_name, *self.alias_list]


class NamedReference(models.Model):
    name = models.CharField(max_length=80, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problems = name_problems({"name": (NAME, self.name)})
        if problems:
            raise ValidationError(problems)


class CommandArea(NamedReference):
    """One of the deploying force's local policing areas: where lines deal."""

    class Meta(NamedReference.Meta):
        constraints = [models.UniqueConstraint(Lower("name"), name="command_area_name_unique_ci")]


class Drug(NamedReference):
    class Meta(NamedReference.Meta):
        constraints = [models.UniqueConstraint(Lower("name"), name="drug_name_unique_ci")]
