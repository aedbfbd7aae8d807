"""Partner agencies never see county lines: not offered them, refused them if they try."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]

REFUSED = "Failed to load resource: the server responded with a status of 403 (Forbidden)"


@pytest.mark.parametrize("role", ["partner", "partner2"])
def test_a_partner_is_not_offered_lines_and_is_refused_them(
    request, page, sign_in_as, console_errors, role
):
    sign_in_as(request.getfixturevalue(role))

    expect(page.get_by_role("link", name="County lines", exact=True)).to_have_count(0)
    # Their search box looks through the referrals shared with them, never for numbers.
    expect(page.get_by_role("search", name="Search the service")).to_be_visible()
    expect(page.get_by_role("search", name="Phone number search")).to_have_count(0)

    for path in ["/lines/", "/lines/numbers/?number=07712+345678"]:
        response = page.goto(path)
        assert response.status == 403
        expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")
        expect(page.get_by_role("search", name="Phone number search")).to_have_count(0)

    page.get_by_role("link", name="Go to the home page").click()
    expect(page.get_by_test_id("signed-in-user")).to_be_visible()
    # Chromium reports each refused page as a failed load; nothing else may be reported.
    assert console_errors == [REFUSED, REFUSED]
    console_errors.clear()
