"""Staff users, their role, and the agency each belongs to."""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

from core.rules import Name, name_problems

# Names of agencies and staff, as the admin site's messages call them.
AGENCY_NAME = Name("the agency's name")
USERNAME = Name("the username")
FIRST_NAME = Name("the first name")
LAST_NAME = Name("the last name")


class Agency(models.Model):
    """A police force or partner agency of the Blue Guardian partnership (reference data)."""

    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        FIRE = "fire", "Fire and rescue"
        HEALTH = "health", "Health"
        PROBATION = "probation", "Probation"
        HOUSING = "housing", "Housing"
        OTHER = "other", "Other"

    name = models.CharField(max_length=120, unique=True)
    code = models.CharField(
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z][A-Z0-9]{1,9}$",
                "Enter 2 to 10 capital letters or digits, starting with a letter",
            )
        ],
        help_text="Begins the references the service gives the agency's records (CYC-0042)",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="agency_name_unique_ci")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problems = name_problems({"name": (AGENCY_NAME, self.name)})
        if problems:
            raise ValidationError(problems)


class Role(models.TextChoices):
    INTELLIGENCE_OFFICER = "intelligence_officer", "Intelligence officer"
    MANAGER = "manager", "Manager"
    PARTNER = "partner", "Partner-agency user"
    ADMINISTRATOR = "administrator", "Administrator"


class UserManager(DjangoUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A member of staff. What a role may do is defined in accounts.permissions, nowhere else."""

    objects = UserManager()

    role = models.CharField(max_length=30, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )

    class Meta:
        ordering = ["username"]
        constraints = [
            # A partner-agency user belongs to exactly one agency.
            models.CheckConstraint(
                condition=~models.Q(role=Role.PARTNER) | models.Q(agency__isnull=False),
                name="partner_has_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        names = {
            "first_name": (FIRST_NAME, self.first_name),
            "last_name": (LAST_NAME, self.last_name),
        }
        # Django's validator of usernames refuses controls and formats itself (only letters,
        # digits and @.+-_); the rule adds the letters drawn as nothing, which it lets through.
        try:
            self.username_validator(self.username)
            names["username"] = (USERNAME, self.username)
        except ValidationError:
            pass  # said once, by the validator
        problems = name_problems(names)
        if self.role == Role.PARTNER and self.agency_id is None:
            problems["agency"] = "A partner-agency user must belong to an agency."
        if problems:
            raise ValidationError(problems)

    def save(self, *args, **kwargs) -> None:
        # Only administrators reach the Django admin site; the role decides, not a loose flag.
        self.is_staff = self.role == Role.ADMINISTRATOR
        self.is_superuser = self.role == Role.ADMINISTRATOR
        super().save(*args, **kwargs)

    @property
    def is_partner(self) -> bool:
        return self.role == Role.PARTNER


class UserSession(models.Model):
    """Which sessions are a user's, so that all of them can be ended at once: when the
    account is deactivated or its role changes, or by an administrator. (A session's
    own row says whose it is only inside its encoded data.)"""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Session of {self.user}"
