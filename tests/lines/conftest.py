import datetime

import pytest

from .factories import LineFactory, LineNumberFactory, PhoneNumberFactory


@pytest.fixture
def line(db):
    return LineFactory(
        reference="CL-2024-001", name="Dolla", first_identified=datetime.date(2024, 1, 15)
    )


@pytest.fixture
def attribution(line):
    return LineNumberFactory(
        line=line,
        number=PhoneNumberFactory(e164="+447712345678"),
        attributed_from=datetime.date(2024, 1, 20),
    )
