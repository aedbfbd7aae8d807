"""How often a password reset may be asked for.

Without limits, anyone could flood a colleague's inbox with reset e-mails, or use the form
to have the service send mail at will. So, an hour (PASSWORD_RESET_LIMIT_PERIOD):

- at most PASSWORD_RESET_REQUESTS_PER_ADDRESS requests from one client address; past that,
  the page says so (429, with Retry-After) and nothing is looked up;
- at most PASSWORD_RESET_EMAILS_PER_ACCOUNT e-mails to one account, counted by account,
  however the address was typed (case, spaces, Unicode forms all find the same account);
  past that, nothing is sent and the page answers exactly as when an e-mail goes, so that
  it never tells whether an address is anyone's.

Both are counted in the shared cache (core/limits.py says why); every refusal is audited.
"""

from django.conf import settings

from audit.middleware import client_address
from audit.models import AuditEvent
from audit.services import audit_event_record, audit_event_record_capped
from core.limits import window_count

from .models import User


def password_reset_refused_for_address(request) -> int | None:
    """Counts a request from the client's address. Past the limit, the refusal is audited
    and the seconds until requests are taken again are returned; otherwise None."""
    counted = window_count(
        f"password-reset:address:{client_address(request)}", settings.PASSWORD_RESET_LIMIT_PERIOD
    )
    if counted.count <= settings.PASSWORD_RESET_REQUESTS_PER_ADDRESS:
        return None
    audit_event_record_capped(
        per_minute=settings.PASSWORD_RESET_AUDIT_REFUSALS_PER_MINUTE,
        action=AuditEvent.Action.PASSWORD_RESET_REFUSED,
        request=request,
        detail={"reason": "too many requests from this address"},
    )
    return counted.seconds_left()


def password_reset_accounts_to_email(request, accounts: list[User]) -> list[User]:
    """Of the accounts an address typed found, those that may be sent another e-mail this
    hour (each counted); each of the others is audited, and sent nothing."""
    to_email = []
    for account in accounts:
        counted = window_count(
            f"password-reset:account:{account.pk}", settings.PASSWORD_RESET_LIMIT_PERIOD
        )
        if counted.count <= settings.PASSWORD_RESET_EMAILS_PER_ACCOUNT:
            to_email.append(account)
            continue
        audit_event_record(
            action=AuditEvent.Action.PASSWORD_RESET_REFUSED,
            request=request,
            object_type="accounts.user",
            object_id=account.pk,
            username=account.get_username(),
            detail={"reason": "too many e-mails to this account"},
        )
    return to_email
