"""What the browser tests share besides fixtures: axe-core run in the page, a journey's
screenshots, signing in step by step, and uploading a CSV file.

axe-core comes from npm (package-lock.json) like the front end; it is evaluated through
the browser's debugging protocol, which the pages' Content-Security-Policy does not
govern, so the pages themselves keep their no-inline-script policy.
"""

import os
import re
import shutil
from pathlib import Path

from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.helpers import fill_date

AXE_SOURCE = (Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SERIOUS = ("serious", "critical")
# axe's best practices on landmarks, checked with the WCAG rules whatever their impact
# (moderate): all content, the protective marking included, is inside a landmark, and
# repeated landmarks (two navigations, two table regions) have names of their own.
LANDMARK_RULES = ("region", "landmark-unique")


def axe_violations(page, impacts: tuple[str, ...] | None = None) -> list[str]:
    """axe-core's WCAG 2.2 A and AA violations on the page and those of LANDMARK_RULES,
    one line each (of `impacts` only, if given, and LANDMARK_RULES' always)."""
    page.evaluate(AXE_SOURCE)
    # Only the violations are read: axe details no other result (passes, inapplicable,
    # incomplete: a node each), and only they come back from the page; on a long page the
    # rest is most of axe's time.
    violations = page.evaluate(
        """([tags, landmarks]) => window.axe.run(document, {
          runOnly: {type: 'tag', values: tags},
          rules: Object.fromEntries(landmarks.map(rule => [rule, {enabled: true}])),
          resultTypes: ['violations'],
        }).then(result => result.violations)""",
        [WCAG_TAGS, LANDMARK_RULES],
    )
    found = []
    for violation in violations:
        nodes = [node for node in violation["nodes"] if not _govuk_reveal(violation, node)]
        wanted = impacts is None or violation["impact"] in impacts
        if nodes and (wanted or violation["id"] in LANDMARK_RULES):
            found.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} — "
                + ", ".join(node["target"][0] for node in nodes[:3])
            )
    return found


def _govuk_reveal(violation: dict, node: dict) -> bool:
    """GOV.UK Frontend's conditional reveal: its radios say whether what they reveal is
    shown with `aria-expanded`, which ARIA does not list for a radio. The Design System
    keeps it on purpose (screen readers announce it; govuk-frontend issue 979, a known
    issue of the component), so it is the one finding left out, and only on such a radio."""
    html = node.get("html", "")
    return (
        violation["id"] == "aria-allowed-attr"
        and 'type="radio"' in html
        and "aria-controls=" in html
        and all(
            value.startswith("aria-expanded=")
            for check in node.get("all", []) + node.get("any", [])
            for value in (check.get("data") or {}).get("values", [])
        )
    )


def serious_violations(page) -> list[str]:
    """The serious and critical violations, and any of LANDMARK_RULES."""
    return axe_violations(page, SERIOUS)


def screenshots_dir() -> Path:
    """Where journeys leave their screenshots: $BROWSER_SCREENSHOTS_DIR, else
    browser-screenshots/journeys/ (ignored by git). Not under test-results/: pytest-playwright
    empties that folder whenever a session starts, anyone's."""
    default = Path(settings.BASE_DIR) / "browser-screenshots" / "journeys"
    return Path(os.environ.get("BROWSER_SCREENSHOTS_DIR") or default)


class Journey:
    """A user's way through the service, page by page: each `step` is screenshotted and
    must have no serious or critical axe-core violation, nor any of LANDMARK_RULES."""

    def __init__(self, page, name: str) -> None:
        self.page = page
        self.directory = screenshots_dir() / name
        shutil.rmtree(self.directory, ignore_errors=True)  # no screenshot of an older run
        self.directory.mkdir(parents=True)
        self.steps: list[str] = []

    def step(self, name: str) -> None:
        self.page.wait_for_load_state()
        self.steps.append(name)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        path = self.directory / f"{len(self.steps):02d}-{slug}.png"
        self.page.screenshot(path=path, full_page=True)
        violations = serious_violations(self.page)
        assert violations == [], f"step “{name}” at {self.page.url}: {violations}"


def sign_in_by_cookie(context, user, url: str) -> None:
    """Signs the browser `context` in as `user` at the live server `url`, through a
    session made on the server's side: the sign-in form is tested on its own
    (test_sign_in.py, the officer's and the invitation journeys), and going through it
    before every other test would cost each three pages more."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": url}])


def sign_in_with_password(page, user) -> None:
    """The first step of signing in: the sign-in form, filled and sent."""
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def authenticator_code(device: TOTPDevice) -> str:
    """What the user's authenticator app shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def enter_security_code(page, device: TOTPDevice) -> None:
    """The second step: the code of the user's authenticator app."""
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    page.get_by_label("Code").fill(authenticator_code(device))
    page.get_by_role("button", name="Continue").click()


def upload(page, kind: str, name: str, *lines: str) -> None:
    """On the import page: chooses `kind` ("Lines"), attaches the file `name` made of
    `lines` and asks for the check."""
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Upload a CSV file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": ("\n".join(lines) + "\n").encode()}
    )
    page.get_by_role("button", name="Check file").click()


def prepare_the_2021_report(page) -> None:
    """From the panel reports list: the 2021 report as at 15 January 2022 (the `figures`
    fixture's data), prepared and shown."""
    page.get_by_role("link", name="Prepare a report").click()
    page.get_by_label("Calendar year").check()
    page.locator("#id_year").fill("2021")
    fill_date(page, "Figures as at", "2022-01-15")
    page.get_by_role("button", name="Prepare the report").click()


def expect_the_2021_figures(page) -> None:
    """The 2021 report's first sentence and both figures, drawn, with their text."""
    expect(page.get_by_test_id("section-county_lines")).to_contain_text(
        "In 2021, 3 County Lines were identified, of which 3 remain active."
    )
    for number in (1, 2):
        image = page.get_by_test_id(f"figure-{number}").get_by_role("img")
        expect(image).to_be_visible()
        assert image.get_attribute("alt")
        assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) > 0


def search_from_the_header(page, text: str) -> None:
    """The search box on every page: `text` typed and searched."""
    search = page.get_by_role("search", name="Search the service")
    search.get_by_label("Search", exact=True).fill(text)
    search.get_by_role("button", name="Search").click()
