"""The e-mail telling a watcher that something they watch has new information.

It holds no personal data and names no record: an e-mail leaves the service's
protection, so it says only that there is news, and links to the notifications page,
where the user signs in and each notification is shown by the record's own rule.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

from .selectors import notifications_visible


def notification_emails_send(*, user_ids: list[int]) -> int:
    """One e-mail to each of these users who has notifications waiting for an e-mail,
    then marks them sent. Returns how many e-mails were sent.

    Run again (a task delivered twice), it finds nothing waiting and sends nothing; a
    worker lost between sending and marking would send one e-mail twice, never none."""
    context = {
        "service_name": settings.SERVICE_NAME,
        "link": f"{settings.SERVICE_URL}{reverse('watches:notification_list')}",
    }
    subject = " ".join(render_to_string("watches/email/news_subject.txt", context).split())
    body = render_to_string("watches/email/news.txt", context)
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True).exclude(email=""):
        with transaction.atomic():
            # Only what the user may see: an e-mail for another agency's exchange on a
            # referral they watch would tell them it happened.
            waiting = notifications_visible(user=user).filter(email=True, emailed_at=None)
            if not waiting.update(emailed_at=timezone.now()):
                continue
            send_mail(subject, body, None, [user.email])
            sent += 1
    return sent
