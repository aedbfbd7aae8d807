"""Staff users, their role, and the agency each belongs to; their recovery codes."""

import hashlib
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

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


class UserManager(DjangoUserManager["User"]):
    def create_superuser(
        self,
        username: str,
        email: str | None = None,
        password: str | None = None,
        **extra_fields: Any,
    ) -> "User":
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A member of staff. What a role may do is defined in accounts.permissions, nowhere else."""

    objects: ClassVar[UserManager] = UserManager()

    role = models.CharField(max_length=30, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    # Set by an administrator: until the user chooses a new password they reach nothing
    # but the change-password page (accounts.middleware.PasswordChangeRequiredMiddleware).
    password_change_required = models.BooleanField(
        "must choose a new password at next sign-in", default=False
    )
    # A new address an administrator gave, used for nothing (password resets go to
    # `email`) until the user, signed in, confirms it (accounts.email_changes).
    pending_email = models.EmailField("new email address, not yet confirmed", blank=True)
    pending_email_since = models.DateTimeField(null=True, blank=True)

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

    def save(self, *args: Any, **kwargs: Any) -> None:
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


def recovery_code_digest(code: str) -> str:
    """The SHA-256 digest of a recovery code as typed: spaces and dashes, case, and the
    digits 0 and 1 for the letters O and I (base32 has neither digit) do not matter."""
    normal = "".join(str(code).split()).replace("-", "").upper().translate(_LOOKALIKES)
    return hashlib.sha256(normal.encode()).hexdigest()


_LOOKALIKES = str.maketrans("01", "OI")


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A user's single-use recovery codes, as a django-otp device: `devices_for_user`,
    `verify_token` and django-otp's throttling treat them like the authenticator app.

    Only each code's digest is kept (RecoveryCode), so whoever reads the database (or a
    backup of it) learns no code. A code is 80 random bits: far too many to find from a
    digest by trying them, so a fast digest, looked up directly, is enough."""

    class Meta(Device.Meta):
        verbose_name = "recovery codes"
        verbose_name_plural = "recovery codes"

    def get_throttle_factor(self) -> int:
        return settings.RECOVERY_CODE_THROTTLE_FACTOR

    def verify_token(self, token: str) -> bool:
        """Accepts one of the codes once: it is deleted as it is used."""
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        used, _ = self.codes.filter(digest=recovery_code_digest(token)).delete()
        if used:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        else:
            self.throttle_increment()
        return bool(used)


class RecoveryCode(models.Model):
    """The digest of one unused recovery code (recovery_code_digest); never the code."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "digest"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"A recovery code of {self.device.user}"
