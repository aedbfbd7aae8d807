"""The demo referrals of `seed_demo` (interfaces.md §5): some shared with only City of
York Council, some with only North Yorkshire Fire and Rescue Service, some with both,
some with neither; each partner sees a different part, with overdue actions among them."""

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from safeguarding.models import Referral, SafeguardingAction
from safeguarding.selectors import visible_referrals


def references(username: str) -> set[str]:
    user = User.objects.get(username=username)
    return set(visible_referrals(user=user).values_list("reference", flat=True))


def test_each_partner_sees_a_different_part_of_the_referrals(demo_data):
    york, fire, police = references("partner"), references("partner2"), references("intel")
    everything = set(Referral.objects.values_list("reference", flat=True))

    assert police == everything
    assert york - fire and fire - york, "each sees some the other does not"
    assert york & fire, "some are shared with both"
    assert everything - york - fire, "some are shared with neither"
    assert references("manager") == everything and not references("admin")


def test_each_partner_has_overdue_actions_and_the_pages_show_them(demo_data):
    today = timezone.localdate()
    for username in ("partner", "partner2"):
        user = User.objects.get(username=username)
        overdue = SafeguardingAction.objects.overdue(today).filter(
            referral__in=visible_referrals(user=user), owner_agency=user.agency
        )
        assert overdue.exists(), username
        client = Client()
        client.force_login(user)
        home = client.get(reverse("safeguarding:home")).content.decode()
        assert 'data-testid="overdue"' in home


def test_seeding_twice_creates_no_second_referral(demo_data):
    count = Referral.objects.count()
    call_command("seed_demo", verbosity=0)
    assert Referral.objects.count() == count
