"""Names that display one way and match another: every name, alias and reference of the
service refuses bidirectional controls and zero-width characters (`core.rules`), naming
the field, in every form, import and on the admin site; names in any alphabet still go in.

Each attack types or imports a name with one hidden character inside it (`Smi‮th`
shows as `Smiht`; `Smi​th` looks like `Smith` and is not found as `Smith`)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Agency, User
from core.batch import RowProblem
from core.references import REFERENCE_INVISIBLE, normalise_reference
from core.rules import Name, hidden_character_message
from core.text import quoted
from lines.models import Line
from operations.models import Arrest, Operation
from panel.models import ChartAnnotation, DrugDeath
from persons.models import LineRole, Person
from persons.services import person_create, person_upsert_many
from reference.models import CommandArea, Drug, Force
from safeguarding.models import Occupant, Referral

from ..helpers import date_fields
from ..imports.utils import LINES_HEADER, run_import, write_csv
from ..lines.factories import LineFactory, command_area, force
from ..operations.factories import OperationFactory
from ..persons.factories import PersonFactory
from ..safeguarding.factories import OccupantFactory, ReferralFactory

pytestmark = pytest.mark.django_db

# The characters refused, each named as a reader would know it.
HIDDEN = [
    pytest.param("\u202e", id="U+202E right-to-left override"),
    pytest.param("\u202a", id="U+202A left-to-right embedding"),
    pytest.param("\u2066", id="U+2066 left-to-right isolate"),
    pytest.param("\u2069", id="U+2069 pop directional isolate"),
    pytest.param("\u200b", id="U+200B zero-width space"),
    pytest.param("\u200c", id="U+200C zero-width non-joiner"),
    pytest.param("\u200d", id="U+200D zero-width joiner"),
    pytest.param("\ufeff", id="U+FEFF byte-order mark"),
    pytest.param("\u200f", id="U+200F right-to-left mark"),
    pytest.param("\u00ad", id="U+00AD soft hyphen"),
    pytest.param("\u3164", id="U+3164 Hangul filler"),
    pytest.param("\u034f", id="U+034F combining grapheme joiner"),
    pytest.param("\ufe0f", id="U+FE0F variation selector"),
    pytest.param("\U000e0100", id="U+E0100 variation selector"),
    pytest.param("\u180b", id="U+180B Mongolian variation selector"),
    pytest.param("\u17b4", id="U+17B4 Khmer inherent vowel"),
    pytest.param("\u2800", id="U+2800 braille blank"),
]
# Every way in refuses by the one rule (above, each character): tried with one of each kind,
# a bidirectional control, a zero-width character and a character of no category refused.
SOME_HIDDEN = [
    pytest.param("\u202e", id="U+202E right-to-left override"),
    pytest.param("\u200b", id="U+200B zero-width space"),
    pytest.param("\u034f", id="U+034F combining grapheme joiner"),
]
# Names in other alphabets, with accents, apostrophes and joins: all of them people's.
GOOD_NAMES = [
    "Łukasz",
    "Zoë",
    "李",
    "O’Neill",
    "Smith-Jones",
    "محمد",
    "Nguyễn",
    "Фёдор",
    "Zoe\u0308",
]


def hidden(what: str, *, plural: bool = False) -> str:
    return hidden_character_message(what, plural=plural)


# --- The rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize("character", HIDDEN)
def test_names_and_references_refuse_each_hidden_character_by_the_one_rule(character):
    assert Name("the surname").problem(f"Smi{character}th") == (
        "The surname contains a hidden character, such as a right-to-left mark. "
        "Type it again, without copying it"
    )
    with pytest.raises(ValidationError) as refused:
        normalise_reference(f"CL-{character}1")
    assert refused.value.messages == [REFERENCE_INVISIBLE] == [hidden("the reference")]


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_names_in_any_alphabet_are_accepted_as_written(name):
    assert Name("the surname").problem(name) == ""
    assert Name("the surname").normal(name) == name


def test_a_name_is_kept_on_one_line_with_single_spaces():
    assert Name("the surname").normal(" Van\u00a0der\tBerg \n") == "Van der Berg"
    aliases = Name("the alias", one_per_line=True)
    assert aliases.normal(" Zed  \r\n\r\nZee\tDog ") == "Zed\r\n\r\nZee Dog"


def test_the_message_says_which_alias_holds_the_character():
    aliases = Name("the alias", one_per_line=True)

    assert aliases.problem("Zed\r\nZee\u200bDog") == hidden("the second alias")
    assert aliases.problem("Zee\u200bDog") == hidden("the alias")
    assert aliases.problem("\n".join(["A"] * 9 + ["B\u202e"])) == hidden("alias 10")
    assert aliases.problem("Zed\r\n\r\nZee Dog\n") == ""


def test_a_message_quoting_a_value_shows_its_hidden_characters_by_their_code():
    assert quoted("Mersey\u202eside") == "“Mersey[U+202E]side”"
    assert quoted("12 High St\nYork") == "“12 High St\nYork”"


# --- Forms ------------------------------------------------------------------------------------


def _person_create(_setup):
    return (
        reverse("persons:person_create"),
        {"reference": "NYP/P/9", "surname": "Smith", "forenames": "Jo", "aliases": "Zed"},
        lambda: not Person.objects.exists(),
    )


def _person_update(_setup):
    person = PersonFactory(surname="Smith", forenames="Jo", aliases="Zed")
    return (
        reverse("persons:person_update", args=[person.pk]),
        {"surname": "Smith", "forenames": "Jo", "aliases": "Zed", "version": person.version},
        lambda: Person.objects.get().version == person.version,
    )


def _line_data() -> dict:
    return {
        "name": "Blade",
        "origin_force": force().pk,
        "command_areas": [command_area().pk],
        **date_fields("first_identified", "2024-02-01"),
    }


def _line_create(_setup):
    return (
        reverse("lines:line_create"),
        {"reference": "CL-9", **_line_data()},
        lambda: not Line.objects.exists(),
    )


def _line_update(_setup):
    line = LineFactory(name="Blade")
    return (
        reverse("lines:line_update", args=[line.pk]),
        {**_line_data(), "version": line.version},
        lambda: Line.objects.get().version == line.version,
    )


def _operation_create(_setup):
    return (
        reverse("operations:operation_create"),
        {
            "reference": "OP-9",
            "name": "Operation Reuben",
            "kind": "warrant",
            **date_fields("started_on", "2021-10-10"),
        },
        lambda: not Operation.objects.exists(),
    )


def _operation_update(_setup):
    operation = OperationFactory(name="Operation Reuben")
    return (
        reverse("operations:operation_update", args=[operation.pk]),
        {
            "name": "Operation Reuben",
            "kind": operation.kind,
            **date_fields("started_on", operation.started_on),
            "version": operation.version,
        },
        lambda: Operation.objects.get().version == operation.version,
    )


def _occupant_add(_setup):
    referral = ReferralFactory()
    return (
        reverse("safeguarding:occupant_add", args=[referral.pk]),
        {"name": "Alan Smith", "age": "61"},
        lambda: not Occupant.objects.exists(),
    )


def _occupant_change(_setup):
    occupant = OccupantFactory(name="Alan Smith")
    return (
        reverse("safeguarding:occupant_change", args=[occupant.referral_id, occupant.pk]),
        {"name": "Alan Smith", "version": occupant.version},
        lambda: Occupant.objects.get().version == occupant.version,
    )


def _annotation_create(_setup):
    count = ChartAnnotation.objects.count()
    return (
        reverse("panel:annotation_create"),
        {
            "name": "Fourth lockdown",
            **date_fields("starts_on", "2021-11-01"),
            **date_fields("ends_on", "2021-11-30"),
        },
        lambda: ChartAnnotation.objects.count() == count,
    )


# (form, client, field, what its message calls the field)
FORM_FIELDS = [
    (_person_create, "intel_client", "surname", hidden("the surname")),
    (_person_create, "intel_client", "forenames", hidden("the forenames", plural=True)),
    (_person_create, "intel_client", "aliases", hidden("the alias")),
    (_person_update, "intel_client", "surname", hidden("the surname")),
    (_person_update, "intel_client", "aliases", hidden("the alias")),
    (_line_create, "intel_client", "name", hidden("the brand name")),
    (_line_update, "intel_client", "name", hidden("the brand name")),
    (_operation_create, "intel_client", "name", hidden("the operation's name")),
    (_operation_update, "intel_client", "name", hidden("the operation's name")),
    (_occupant_add, "intel_client", "name", hidden("their name")),
    (_occupant_change, "intel_client", "name", hidden("their name")),
    (_annotation_create, "manager_client", "name", hidden("the name of the period")),
]


@pytest.mark.parametrize("character", SOME_HIDDEN)
@pytest.mark.parametrize(
    ("form", "client_name", "field", "message"),
    [pytest.param(*row, id=f"{row[0].__name__[1:]}-{row[2]}") for row in FORM_FIELDS],
)
def test_each_form_refuses_a_hidden_character_in_a_name_naming_the_field(
    request, character, form, client_name, field, message
):
    client = request.getfixturevalue(client_name)
    url, data, nothing_written = form(request)

    response = client.post(url, {**data, field: f"{data[field][:2]}{character}{data[field][2:]}"})

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert f'<a href="#id_{field}">{escape(message)}</a>' in html  # linked to its field
    assert nothing_written()


# (URL name, its arguments, the field typed, what is typed, the records that stay as they were)
REFERENCE_FIELDS = [
    ("persons:person_create", None, "reference", "P-1", lambda: Person.objects.count()),
    ("lines:line_create", None, "reference", "CL-1", lambda: Line.objects.count()),
    ("operations:operation_create", None, "reference", "OP-1", lambda: Operation.objects.count()),
    ("operations:arrest_create", None, "person_reference", "P-1", lambda: Arrest.objects.count()),
    ("operations:arrest_create", None, "line_reference", "CL-1", lambda: Arrest.objects.count()),
    ("panel:death_create", None, "reference", "D-1", lambda: DrugDeath.objects.count()),
    ("safeguarding:referral_create", None, "reference", "BG-1", lambda: Referral.objects.count()),
    ("persons:line_role_add", "person", "line_reference", "CL-1", lambda: LineRole.objects.count()),
    (
        "safeguarding:occupant_add",
        "referral",
        "person_reference",
        "P-1",
        lambda: Occupant.objects.count(),
    ),
    (
        "safeguarding:referral_lines",
        "referral",
        "line_references",
        "CL-1; CL-2",
        lambda: Referral.suspected_lines.through.objects.count(),
    ),
]


@pytest.mark.parametrize("character", SOME_HIDDEN)
@pytest.mark.parametrize(
    ("url_name", "owner", "field", "typed", "count"),
    [pytest.param(*row, id=f"{row[0]}-{row[2]}") for row in REFERENCE_FIELDS],
)
def test_each_reference_typed_in_a_form_refuses_a_hidden_character(
    intel_client, character, url_name, owner, field, typed, count
):
    person, referral = PersonFactory(reference="P-1"), ReferralFactory()
    LineFactory(reference="CL-1"), LineFactory(reference="CL-2")
    before = count()
    args = {"person": [person.pk], "referral": [referral.pk], None: []}[owner]

    response = intel_client.post(
        reverse(url_name, args=args),
        {field: f"{typed[:2]}{character}{typed[2:]}", "version": "1"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [REFERENCE_INVISIBLE]
    assert count() == before


def test_a_person_is_refused_before_their_likely_duplicates_are_looked_for(intel_client):
    PersonFactory(surname="Smith", forenames="Jo", date_of_birth=datetime.date(2001, 2, 3))

    response = intel_client.post(
        reverse("persons:person_create"),
        {"reference": "P-NEW", "surname": "Smi\u200bth", "forenames": "Jo"}
        | date_fields("date_of_birth", "2001-02-03"),
    )

    assert response.context["form"].errors == {"surname": [hidden("the surname")]}
    assert response.context["duplicates"] == []
    assert Person.objects.count() == 1


def test_people_named_in_any_alphabet_are_added_as_typed(intel_client):
    response = intel_client.post(
        reverse("persons:person_create"),
        {
            "reference": "P-1",
            "surname": "李",
            "forenames": "Łukasz  Zoë",
            "aliases": "Фёдор\r\nمحمد",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    person = Person.objects.get()
    assert (person.surname, person.forenames, person.alias_list) == (
        "李",
        "Łukasz Zoë",  # spaces made one
        ["Фёдор", "محمد"],
    )


# --- Imports ----------------------------------------------------------------------------------

PERSONS_HEADER = "reference,surname,forenames,date_of_birth,gender"
# (kind, header, a good row, a row with `{}` where the character goes, its column, message)
IMPORT_COLUMNS = [
    (
        "persons",
        PERSONS_HEADER,
        "P-1,Smith,Jo,2001-02-03,",
        "P-2,Smi{}th,Jo,2001-02-03,",
        "surname",
        hidden("the surname"),
    ),
    (
        "persons",
        PERSONS_HEADER,
        "P-1,Smith,Jo,2001-02-03,",
        "P-2,Smith,J{}o,2001-02-03,",
        "forenames",
        hidden("the forenames", plural=True),
    ),
    (
        "lines",
        LINES_HEADER,
        "CL-1,Dolla,Merseyside,York,2021-03-01,",
        "CL-2,Bla{}de,Merseyside,York,2021-03-01,",
        "name",
        hidden("the brand name"),
    ),
]


@pytest.mark.parametrize("character", SOME_HIDDEN)
@pytest.mark.parametrize(
    ("kind", "header", "good", "bad", "column", "message"),
    [pytest.param(*row, id=f"{row[0]}-{row[4]}") for row in IMPORT_COLUMNS],
)
def test_each_import_refuses_a_hidden_character_in_a_name_and_writes_nothing(
    tmp_path, character, kind, header, good, bad, column, message
):
    path = write_csv(tmp_path, f"{kind}.csv", header, good, bad.format(character))

    run = run_import(kind, path)

    assert run.status == 1
    assert run.error_lines == [f"{path}:3: {column}: {message}"]
    assert not Person.objects.exists() and not Line.objects.exists()  # the file refused whole


def test_names_in_any_alphabet_are_imported_as_written(tmp_path):
    rows = [f"P-{n},{name},{name},," for n, name in enumerate(GOOD_NAMES)]
    path = write_csv(tmp_path, "persons.csv", PERSONS_HEADER, *rows)

    run = run_import("persons", path)

    assert run.status == 0, run.stderr
    assert sorted(Person.objects.values_list("surname", flat=True)) == sorted(GOOD_NAMES)


# --- Every other way in: the models' rules (services, the admin site) ---------------------------


def _records():
    """One record of each model with a name, and the field holding it."""
    referral = ReferralFactory()
    return [
        (Person(reference="P-1", surname="Smith"), "surname", hidden("the surname")),
        (Person(reference="P-1", surname="S", forenames="Jo"), "forenames", None),
        (Person(reference="P-1", surname="S", aliases="Zed"), "aliases", hidden("the alias")),
        (
            Line(
                reference="CL-1",
                name="Dolla",
                origin_force=force(),
                first_identified=datetime.date(2021, 3, 1),
            ),
            "name",
            hidden("the brand name"),
        ),
        (
            Operation(
                reference="OP-1",
                name="Reuben",
                kind="warrant",
                started_on=datetime.date(2021, 3, 1),
            ),
            "name",
            hidden("the operation's name"),
        ),
        (Occupant(referral=referral, name="Alan Smith"), "name", hidden("their name")),
        (
            ChartAnnotation(
                name="Lockdown",
                starts_on=datetime.date(2021, 1, 1),
                ends_on=datetime.date(2021, 2, 1),
            ),
            "name",
            hidden("the name of the period"),
        ),
        (Agency(name="Harbour Housing", code="HH"), "name", hidden("the agency's name")),
        (
            User(username="olive", password="!", role="manager", first_name="Olive"),
            "first_name",
            None,
        ),
        (
            User(username="olive", password="!", role="manager", last_name="Officer"),
            "last_name",
            None,
        ),
        (Force(name="Harbour Police", short_name="Harbour"), "name", hidden("the full name")),
        (Force(name="Harbour Police", short_name="Harbour"), "short_name", None),
        (
            Force(name="Harbour Police", short_name="Harbour", aliases="Docks"),
            "aliases",
            hidden("the aliases", plural=True),
        ),
        (CommandArea(name="Whitby"), "name", hidden("the name")),
        (Drug(name="Spice"), "name", hidden("the name")),
    ]


def test_every_model_with_a_name_refuses_a_hidden_character_in_it():
    messages = {
        "forenames": hidden("the forenames", plural=True),
        "first_name": hidden("the first name"),
        "last_name": hidden("the last name"),
        "short_name": hidden("the short name"),
    }
    for record, field, message in _records():
        record.full_clean(validate_unique=False, validate_constraints=False)  # as it is: fine
        value = getattr(record, field)
        setattr(record, field, f"{value[:1]}\u202e{value[1:]}")
        with pytest.raises(ValidationError) as refused:
            record.full_clean(validate_unique=False, validate_constraints=False)
        assert refused.value.message_dict.get(field) == [message or messages[field]], record


def test_a_username_is_refused_a_hidden_character_once():
    user = User(username="intel\u3164", password="!", role="manager")  # shows as `intel`
    with pytest.raises(ValidationError) as refused:
        user.full_clean(validate_unique=False)
    assert refused.value.message_dict == {"username": [hidden("the username")]}

    user.username = "intel\u202e"  # Django's own validator says so, and only it
    with pytest.raises(ValidationError) as refused:
        user.full_clean(validate_unique=False)
    assert refused.value.message_dict == {"username": [User.username_validator.message]}


def test_a_service_refuses_what_no_form_checked(intel):
    with pytest.raises(ValidationError) as refused:
        person_create(user=intel, reference="P-1", surname="Smi\u2066th")
    assert refused.value.message_dict == {"surname": [hidden("the surname")]}
    assert not Person.objects.exists()


def test_the_batch_service_refuses_what_no_parser_checked(intel):
    rows = [{"reference": "P-1", "surname": "Smith", "forenames": "J\ufeffo"}]

    result = person_upsert_many(user=intel, rows=rows)

    assert result.problems == [RowProblem(0, "forenames", hidden("the forenames", plural=True))]
    assert not Person.objects.exists()


def test_the_admin_site_refuses_a_hidden_character_in_a_staff_name(administrator_client, manager):
    url = reverse("admin:accounts_user_change", args=[manager.pk])
    response = administrator_client.post(
        url,
        {
            "username": manager.username,
            "first_name": "Ma\u200bnager",
            "last_name": "Le\u202eonard",
            "email": manager.email,
            "role": manager.role,
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "first_name": [hidden("the first name")],
        "last_name": [hidden("the last name")],
    }
    manager.refresh_from_db()
    assert "\u200b" not in manager.first_name


def test_the_admin_site_refuses_a_hidden_character_in_an_agency_or_a_force(administrator_client):
    agency = administrator_client.post(
        reverse("admin:accounts_agency_add"),
        {"name": "Harbour\u200dHousing", "code": "HH", "kind": "housing", "is_active": "on"},
    )
    merseyside = force()
    forces = administrator_client.post(
        reverse("admin:reference_force_change", args=[merseyside.pk]),
        {"name": merseyside.name, "short_name": merseyside.short_name, "aliases": "Scouse\u2069"},
    )

    assert agency.context["adminform"].form.errors == {"name": [hidden("the agency's name")]}
    assert forces.context["adminform"].form.errors == {
        "aliases": [hidden("the aliases", plural=True)]
    }
    assert not Agency.objects.filter(name__startswith="Harbour").exists()
    merseyside.refresh_from_db()
    assert "\u2069" not in merseyside.aliases
