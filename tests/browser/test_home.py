"""Each role's home page, with something in every section, passes axe-core (WCAG 2.2 A
and AA), and the regions its sections make have names no other region of the page has
(axe's "landmark-unique", within the page's main content: the banners around it are the
layout's)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from imports.models import ImportJob
from panel.models import PanelReport
from panel.periods import quarter_of
from safeguarding import services
from tests.lines.factories import LineFactory, command_area
from tests.safeguarding.factories import ActionFactory, ReferralFactory, agency

from .helpers import axe_violations

pytestmark = pytest.mark.browser


def landmark_findings(page) -> list[str]:
    violations = page.evaluate(
        "() => window.axe.run({include: [['main']]}, "
        "{runOnly: {type: 'rule', values: ['landmark-unique']}, resultTypes: ['violations']})"
        ".then(result => result.violations)"
    )
    return [
        f"{violation['id']}: " + ", ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in violations
    ]


def checked(page) -> dict[str, list[str]]:
    return {"axe": axe_violations(page), "landmarks": landmark_findings(page)}


@pytest.fixture
def records(intel, partner):
    today = timezone.localdate()
    LineFactory(command_areas=[command_area("York"), command_area("Selby")])
    ImportJob.objects.create(
        kind="lines", file_name="lines.csv", uploaded_by=intel, status=ImportJob.Status.DONE
    )
    quarter = quarter_of(today).previous()
    PanelReport.objects.create(
        period_kind=quarter.kind,
        start=quarter.start,
        end=quarter.end,
        as_at=quarter.end,
        title="Quarterly paper",
    )
    referral = ReferralFactory()
    ActionFactory(referral=referral, due_on=today)
    services.share_add(
        referral=referral, user=partner, agency=agency("North Yorkshire Fire and Rescue Service")
    )


@pytest.mark.parametrize("role", ["intel", "manager", "partner"])
def test_each_roles_home_page(request, page, live_server, sign_in_as, records, role):
    sign_in_as(request.getfixturevalue(role))
    page.goto(reverse("web:home"))
    assert page.locator(".govuk-summary-card").count() >= 2

    assert checked(page) == {"axe": [], "landmarks": []}
