"""Who gets what from every URL of the service: the one access table.

`TABLE` names every named URL pattern of config.urls and what each role gets from it:
anonymous visitors, an intelligence officer, a manager, a partner of the agency the
records are shared with (City of York Council), a partner of another agency (North
Yorkshire Fire and Rescue Service, which they are not shared with) and an
administrator. The admin site is one entry: the administrators' own site.

tests/test_access_table.py walks the URLconf and fails on any URL pattern missing
here, then requests each URL as each role and compares. A URL is requested with the
records of `Records` in its arguments: a line, a person, a referral shared with the
partner's agency, a report... tests/audit/test_consultations.py requests again each
URL a role may open (200) and fails when it wrote no audit event, unless its EXEMPT
says why the page shows no record.
"""

import datetime
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

ROLES = ("anonymous", "intel", "manager", "partner", "partner2", "administrator")

# What a request answers. LOGIN: a redirect to the sign-in page, which brings the
# visitor back to this URL once signed in. AWAY: a redirect anywhere else.
OK, NO_CONTENT, AWAY, BAD, FORBIDDEN, MISSING, NOT_ALLOWED = 200, 204, 302, 400, 403, 404, 405
LOGIN = "sign-in"


@dataclass(frozen=True)
class Entry:
    """One URL: the records its arguments are the primary keys of (attributes of
    `Records`), the method it is requested with and, in the order of ROLES, what each
    role gets. A POST-only URL is POSTed, empty, and whatever it does is rolled back."""

    args: tuple[str, ...]
    method: str
    expected: tuple[int | str, ...]
    query: str = ""


def get(expect: str, *args: str, query: str = "") -> Entry:
    return Entry(args, "GET", _parse(expect), query)


def post(expect: str, *args: str) -> Entry:
    return Entry(args, "POST", _parse(expect))


def _parse(expect: str) -> tuple[int | str, ...]:
    cells = tuple(LOGIN if cell == "login" else int(cell) for cell in expect.split())
    assert len(cells) == len(ROLES), f"{expect!r}: one result per role of {ROLES}"
    return cells


# The admin site's URLs (one per registered model and action) are one entry, requested
# at its index: only administrators get in; the others are refused by our sign-in page.
ADMIN = "admin:*"

# The number of `Records.attribution`, as typed in the number search.
A_NUMBER = "?number=07712345678"

# The possible new lines' settings, so that the page scans (and audits) what it finds.
BURSTS = (
    "?recipients=20&minutes=10&days=3&start-day=1&start-month=3&start-year=2026"
    "&end-day=31&end-month=3&end-year=2026"
)

# fmt: off
TABLE: dict[str, Entry] = {
    #                                        anon  int mgr ptn p2  admin
    "web:home":                        get("login 200 200 302 302 200"),
    "web:health":                      get("200   200 200 200 200 200"),
    "accounts:login":                   get("200   302 302 302 302 302"),
    "accounts:logout":                 post("login 302 302 302 302 302"),
    "accounts:password_change":         get("login 200 200 200 200 200"),
    "accounts:password_change_done":    get("login 200 200 200 200 200"),
    "accounts:password_reset":          get("200   200 200 200 200 200"),
    "accounts:password_reset_done":     get("200   200 200 200 200 200"),
    "accounts:password_reset_confirm":  get("200   200 200 200 200 200", "uidb64", "token"),
    "accounts:password_reset_complete": get("200   200 200 200 200 200"),
    "accounts:password_confirm":        get("login 200 200 200 200 200"),
    "accounts:invitation_accept":       get("200   200 200 200 200 200", "uidb64", "token"),
    # A link that is not current says so; another user's is refused (403, audited).
    "accounts:email_confirm":           get("login 200 200 200 200 200", "token"),
    "accounts:two_factor_verify":       get("login 200 200 200 200 200"),
    "accounts:two_factor_setup":        get("login 200 200 200 200 200"),
    # No authenticator set up yet: sent to set one up first.
    "accounts:recovery_codes":          get("login 302 302 302 302 302"),
    "audit:event_list":                 get("login 403 200 403 403 200"),
    "audit:event_export":               get("login 403 200 403 403 200"),
    "imports:start":                    get("login 200 403 403 403 403"),
    "imports:start_large":              get("login 200 403 403 403 403", "large_kind"),
    "imports:job_detail":               get("login 200 403 403 403 403", "import_job"),
    "imports:job_problems":             get("login 200 403 403 403 403", "import_job"),
    "imports:job_confirm":             post("login 302 403 403 403 403", "import_job"),
    "imports:job_cancel":              post("login 302 403 403 403 403", "import_job"),
    "imports:job_status":               get("login 200 403 403 403 403", "import_job"),
    "lines:line_list":                  get("login 200 200 403 403 403"),
    "lines:line_export":                get("login 200 200 403 403 403"),
    "lines:line_create":                get("login 200 403 403 403 403"),
    "lines:line_detail":                get("login 200 200 403 403 403", "line"),
    "lines:line_update":                get("login 200 403 403 403 403", "line"),
    "lines:line_close":                 get("login 200 403 403 403 403", "line"),
    "lines:line_number_attribute":      get("login 200 403 403 403 403", "line"),
    "lines:line_number_end":            get("login 200 403 403 403 403", "line", "attribution"),
    "lines:intelligence_entry_add":     get("login 200 403 403 403 403", "line"),
    "lines:number_search":              get("login 200 200 403 403 403"),
    "lines:number_record":              get("login 200 403 403 403 403", query=A_NUMBER),
    "lines:number_search_for":          get("login 302 302 403 403 403", "number"),
    "persons:person_list":              get("login 200 200 403 403 403"),
    "persons:person_export":            get("login 200 200 403 403 403"),
    "persons:person_create":            get("login 200 403 403 403 403"),
    "persons:person_detail":            get("login 200 200 403 403 403", "person"),
    "persons:person_update":            get("login 200 403 403 403 403", "person"),
    "persons:person_number_add":        get("login 200 403 403 403 403", "person"),
    "persons:person_address_add":       get("login 200 403 403 403 403", "person"),
    "persons:line_role_add":            get("login 200 403 403 403 403", "person"),
    "persons:person_number_change":     get("login 200 403 403 403 403", "person", "phone"),
    "persons:person_address_change":    get("login 200 403 403 403 403", "person", "address"),
    "persons:line_role_change":         get("login 200 403 403 403 403", "person", "line_role"),
    "operations:operation_list":        get("login 200 200 403 403 403"),
    "operations:operation_export":      get("login 200 200 403 403 403"),
    "operations:operation_create":      get("login 200 403 403 403 403"),
    "operations:operation_detail":      get("login 200 200 403 403 403", "operation"),
    "operations:operation_update":      get("login 200 403 403 403 403", "operation"),
    "operations:arrest_list":           get("login 200 200 403 403 403"),
    "operations:arrest_export":         get("login 200 200 403 403 403"),
    "operations:arrest_create":         get("login 200 403 403 403 403"),
    "operations:arrest_detail":         get("login 200 200 403 403 403", "arrest"),
    "operations:arrest_update":         get("login 200 403 403 403 403", "arrest"),
    "operations:charge_list":           get("login 200 200 403 403 403"),
    "operations:charge_export":         get("login 200 200 403 403 403"),
    "operations:charge_create":         get("login 200 403 403 403 403"),
    "operations:charge_detail":         get("login 200 200 403 403 403", "charge"),
    "operations:charge_update":         get("login 200 403 403 403 403", "charge"),
    "operations:sentence_list":         get("login 200 200 403 403 403"),
    "operations:sentence_export":       get("login 200 200 403 403 403"),
    "operations:sentence_create":       get("login 200 403 403 403 403"),
    "operations:sentence_detail":       get("login 200 200 403 403 403", "sentence"),
    "operations:sentence_update":       get("login 200 403 403 403 403", "sentence"),
    "operations:seizure_list":          get("login 200 200 403 403 403"),
    "operations:seizure_export":        get("login 200 200 403 403 403"),
    "operations:seizure_create":        get("login 200 403 403 403 403"),
    "operations:seizure_detail":        get("login 200 200 403 403 403", "seizure"),
    "operations:seizure_update":        get("login 200 403 403 403 403", "seizure"),
    "safeguarding:home":                get("login 200 200 200 200 403"),
    "safeguarding:referral_list":       get("login 200 200 200 200 403"),
    "safeguarding:referral_export":     get("login 200 200 200 200 403"),
    "safeguarding:referral_create":     get("login 200 403 200 200 403"),
    "safeguarding:referral_detail":     get("login 200 200 200 404 403", "referral"),
    "safeguarding:referral_update":     get("login 200 403 200 404 403", "referral"),
    "safeguarding:referral_close":      get("login 200 403 200 404 403", "referral"),
    "safeguarding:referral_reopen":    post("login 302 403 302 404 403", "referral"),
    "safeguarding:referral_lines":      get("login 200 403 403 403 403", "referral"),
    "safeguarding:occupant_add":        get("login 200 403 200 404 403", "referral"),
    "safeguarding:occupant_change":     get("login 200 403 200 404 403", "referral", "occupant"),
    "safeguarding:exchange_add":        get("login 200 403 200 404 403", "referral"),
    "safeguarding:action_add":          get("login 200 403 200 404 403", "referral"),
    "safeguarding:action_change":       get("login 200 403 200 404 403", "referral", "action"),
    "safeguarding:share_add":           get("login 200 403 200 404 403", "referral"),
    "safeguarding:share_confirm":      post("login 302 403 403 403 403", "referral", "share"),
    "safeguarding:share_withdraw":     post("login 302 403 403 403 403", "referral", "share"),
    "panel:report_list":                get("login 403 200 403 403 200"),
    "panel:report_export":              get("login 403 200 403 403 200"),
    "panel:report_create":              get("login 403 200 403 403 403"),
    "panel:report_detail":              get("login 403 200 403 403 200", "report"),
    "panel:report_pdf":                 get("login 403 200 403 403 200", "report"),
    "panel:report_docx":                get("login 403 200 403 403 200", "report"),
    "panel:report_table":               get("login 403 200 403 403 200", "report", "report_table"),
    "panel:report_refresh":            post("login 403 302 403 403 403", "report"),
    "panel:report_publish":            post("login 403 302 403 403 403", "report"),
    "panel:report_paragraphs":          get("login 403 200 403 403 403", "report"),
    "panel:report_title_block":         get("login 403 200 403 403 403", "report"),
    "panel:report_section":             get("login 403 200 403 403 403", "report", "section"),
    "panel:report_section_arrange":    post("login 403 302 403 403 403", "report", "section"),
    "panel:death_list":                 get("login 200 403 403 403 403"),
    "panel:death_export":               get("login 200 403 403 403 403"),
    "panel:death_create":               get("login 200 403 403 403 403"),
    "panel:death_update":               get("login 200 403 403 403 403", "death"),
    "panel:annotation_list":            get("login 403 200 403 403 403"),
    "panel:annotation_create":          get("login 403 200 403 403 403"),
    "panel:annotation_edit":            get("login 403 200 403 403 403", "annotation"),
    # MoPI reviews: seen by those who see every record of a kind (managers to oversee
    # them), done by those who change every one; a partner never sees a MoPI field.
    "reviews:queue":                    get("login 200 200 403 403 403"),
    "reviews:review":                   get("login 200 403 403 403 403", "review_kind", "referral"),
    # Each user's own watches and notifications; `watch` and `notification` are intel's.
    "watches:watch_list":               get("login 200 200 200 200 200"),
    "watches:watch_start":             post("login 400 400 400 400 400"),
    "watches:watch_stop":              post("login 302 404 404 404 404", "watch"),
    "watches:watch_email":             post("login 302 404 404 404 404", "watch"),
    "watches:notification_list":        get("login 200 200 200 200 200"),
    "watches:notifications_read":      post("login 302 302 302 302 302"),
    "watches:notification_open":        get("login 302 404 404 404 404", "notification"),
    # Call data: intelligence officers only (managers, partners and administrators never).
    "calls:home":                       get("login 200 403 403 403 403"),
    "calls:source_list":                get("login 200 403 403 403 403"),
    "calls:source_export":              get("login 200 403 403 403 403"),
    "calls:source_create":              get("login 200 403 403 403 403"),
    "calls:source_detail":              get("login 200 403 403 403 403", "source"),
    "calls:source_update":              get("login 200 403 403 403 403", "source"),
    "calls:number_profile":             get("login 200 403 403 403 403"),
    "calls:common_contacts":            get("login 200 403 403 403 403"),
    "calls:possible_new_lines":         get("login 200 403 403 403 403", query=BURSTS),
    "calls:handset_continuity":         get("login 200 403 403 403 403"),
    "calls:successor_attribute":       post("login 302 403 403 403 403", "line"),
    # Police over everything they see, partners over the referrals shared with them.
    "search:search":                    get("login 200 200 200 200 403"),
    ADMIN:                              get("login 403 403 403 403 200"),
}
# fmt: on


@dataclass
class Records:
    """The records the URLs are asked about; see `records()` in tests/access_walk.py."""

    line: Any
    attribution: Any
    number: Any
    person: Any
    phone: Any
    address: Any
    line_role: Any
    operation: Any
    arrest: Any
    charge: Any
    sentence: Any
    seizure: Any
    referral: Any
    occupant: Any
    action: Any
    share: Any
    report: Any
    death: Any
    annotation: Any
    import_job: Any
    watch: Any
    notification: Any
    source: Any
    report_table: str = "safeguarding"
    review_kind: str = "referral"
    large_kind: str = "calls"
    section: str = "county_lines"
    uidb64: str = "x"
    token: str = "x"

    def url_args(self, names: tuple[str, ...]) -> list:
        values = [getattr(self, name) for name in names]
        return [getattr(value, "pk", value) for value in values]


# --- Walking the URLconf ------------------------------------------------------------------

# Values tried, in order, for each path converter or regex group.
SAMPLES = ["1", "x", str(uuid.UUID(int=1)), datetime.date(2024, 1, 31).isoformat()]


def _sample(regex: str) -> str:
    for candidate in [*SAMPLES, regex.split("|")[0]]:
        if re.fullmatch(regex, candidate):
            return candidate
    raise AssertionError(f"No sample value matches {regex!r}: add one to SAMPLES.")


def _fill_regex_groups(regex: str) -> str:
    """Replace each (?P<name>...) group with a value it matches."""
    parts, position = [], 0
    while (start := regex.find("(?P<", position)) != -1:
        parts.append(regex[position:start])
        body_start = regex.index(">", start) + 1
        depth, end = 1, body_start
        while depth:
            if regex[end - 1] != "\\":
                depth += {"(": 1, ")": -1}.get(regex[end], 0)
            end += 1
        parts.append(_sample(regex[body_start : end - 1]))
        position = end
    parts.append(regex[position:])
    return "".join(parts).replace("\\", "")


def _concrete(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return re.sub(
            r"<(?:\w+:)?(\w+)>",
            lambda match: _sample(pattern.converters[match[1]].regex),
            str(pattern),
        )
    if isinstance(pattern, RegexPattern):
        return _fill_regex_groups(str(pattern).removeprefix("^").removesuffix("$"))
    raise AssertionError(f"Unknown kind of URL pattern: {pattern!r}")


@dataclass(frozen=True)
class Pattern:
    name: str | None
    url: str  # with a sample value in each argument
    route: str  # as written, for the message naming a missing entry
    callback: Any


def _walk(patterns, prefix="/", route="/", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(
                entry.url_patterns,
                prefix + _concrete(entry.pattern),
                route + str(entry.pattern),
                inner,
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield Pattern(
                name, prefix + _concrete(entry.pattern), route + str(entry.pattern), entry.callback
            )


def url_patterns() -> list[Pattern]:
    """Every URL pattern of the project, the admin site's included."""
    return list(_walk(get_resolver().url_patterns))


def table_key(pattern: Pattern) -> str | None:
    """The entry of TABLE that answers for `pattern`."""
    if pattern.url.startswith("/admin/"):
        return ADMIN
    return pattern.name


def missing_entry_message(pattern: Pattern) -> str:
    """What to add to TABLE for a URL pattern it does not name yet."""
    if pattern.name is None:
        return f"{pattern.route} has no name: give it one, then add it to TABLE."
    args = re.findall(r"<(?:\w+:)?(\w+)>", pattern.route)
    arg_text = "".join(f', "<Records attribute for {arg}>"' for arg in args)
    return (
        f"{pattern.name} ({pattern.route}) is not in the access table. Add a line to TABLE "
        f"in tests/access_table.py saying what each of {' '.join(ROLES)} gets from it:\n"
        f'    "{pattern.name}": get("login 200 200 403 403 403"{arg_text}),\n'
        f"(post(...) for a POST-only URL; an argument names the attribute of Records whose "
        f"primary key it takes: add one, made in records() of tests/access_walk.py, "
        f"if none fits)."
    )
