import datetime

import pytest

from persons.models import PersonAddress, PersonNumber
from tests.lines.factories import LineFactory, LineNumberFactory, PhoneNumberFactory
from tests.operations.factories import OperationFactory
from tests.persons.factories import PersonFactory
from tests.safeguarding.factories import ReferralFactory, agency


@pytest.fixture
def records(db):
    """A little of everything the search box finds."""
    dolla = LineFactory(reference="CL-2024-001", name="Dolla")
    blade = LineFactory(reference="CL-2024-002", name="Blade")
    number = PhoneNumberFactory(e164="+447700900664")
    LineNumberFactory(line=dolla, number=number)
    smith = PersonFactory(reference="P-1", surname="Smith", forenames="Jayden", aliases="Smudge")
    jones = PersonFactory(reference="P-2", surname="Jones", forenames="Ellie")
    khan = PersonFactory(reference="P-3", surname="Khan", forenames="Amir")
    zoe = PersonFactory(reference="P-4", surname="O'Neill", forenames="Zoë")
    PersonNumber.objects.create(person=smith, number=number, used_from=datetime.date(2024, 1, 1))
    PersonAddress.objects.create(person=jones, address="4 Tower Street\nYork", postcode="yo1 9sa")
    operation = OperationFactory(reference="OP-0042", name="Operation Expedite")
    council = ReferralFactory(reference="BG-0001", address="12 Example Street", postcode="YO1 7HH")
    fire = ReferralFactory(
        reference="BG-0002",
        address="3 Example Street",
        postcode="YO1 7HJ",
        referring_agency=agency("North Yorkshire Fire and Rescue Service"),
    )
    return {
        "dolla": dolla,
        "blade": blade,
        "number": number,
        "smith": smith,
        "jones": jones,
        "khan": khan,
        "zoe": zoe,
        "operation": operation,
        "council": council,
        "fire": fire,
    }
