"""What a kind of file declares agrees with what its records write (records.upserts):
a column added to a kind but not written by its records would be parsed and dropped."""

import pytest

from imports.kinds import get_kind, kind_names
from lines.services.batch.lines import LINES
from operations.services import ARRESTS, CHARGES, SEIZURES, SENTENCES
from panel.services import DEATHS, DRUG_OFFENCES
from persons.services import PERSONS
from safeguarding.services import REFERRALS

# Each kind written through the shared engine, and the records it writes.
ON_THE_ENGINE = {
    "lines": LINES,
    "persons": PERSONS,
    "arrests": ARRESTS,
    "charges": CHARGES,
    "sentences": SENTENCES,
    "seizures": SEIZURES,
    "referrals": REFERRALS,
    "police-uk": DRUG_OFFENCES,
    "deaths": DEATHS,
}
# Kinds with a batch write of their own (lines.services.batch.numbers and
# calls.services.call_rows say why).
OWN_BATCH = {"line_numbers", "calls"}
# Columns read and never written: which rows of a police.uk file are read at all.
READ_ONLY = {"police-uk": {"Crime type"}}


def test_every_kind_is_on_the_engine_or_has_a_batch_of_its_own():
    assert set(kind_names()) == set(ON_THE_ENGINE) | OWN_BATCH


@pytest.mark.parametrize("name", sorted(ON_THE_ENGINE))
def test_every_column_of_a_kind_is_one_its_records_write(name):
    records = ON_THE_ENGINE[name]
    written = {
        records.key_column,
        *records.columns.values(),
        *(link.column for link in records.links),
    }
    columns = {column.name for column in get_kind(name)().columns}

    assert columns - READ_ONLY.get(name, set()) <= written
    assert get_kind(name).key == (records.key_column,)
