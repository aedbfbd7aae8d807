"""The contract that the demo reproduces the real January 2022 report
(../shared/seed/panel-report-2022-01.txt): the 2021 paper generated from `seed_demo`
makes each of the report's statements, with its figure, sentence by sentence, in the
report's order of sections. A later change to the demo data must keep this passing."""

import datetime
import re

from panel.periods import year_of
from panel.report import report_sections
from panel.selectors import annotations
from panel.snapshots import snapshot_compute

D = datetime.date
AS_AT = D(2022, 1, 15)


def paper_2021():
    period = year_of(D(2021, 1, 1))
    snapshot = snapshot_compute(period=period, as_at=AS_AT)
    return report_sections(
        period=period,
        as_at=AS_AT,
        figures=snapshot.figures,
        previous=snapshot.previous_figures,
        annotations=annotations(),
    )


def sentence_matching(sentences: list[str], pattern: str) -> str:
    """The one sentence that makes the statement; a clear failure naming what is missing."""
    found = [sentence for sentence in sentences if re.search(pattern, sentence)]
    assert found, f"No sentence says {pattern!r} in:\n" + "\n".join(sentences)
    return found[0]


def test_the_2021_paper_makes_each_statement_of_the_real_report(demo_data):
    sections = paper_2021()
    keys = [section.key for section in sections]
    assert keys == [
        "drug_offences",
        "county_lines",
        "enforcement",
        "funding",
        "safeguarding",
        "drug_deaths",
        "strategy",
        "appendix",
    ]
    text = {section.key: section.sentences for section in sections}

    # "When lockdown first occurred in March 2020, there was a spike in recorded drug
    # offences … Figure 1 shows these spikes in recorded offences correlating with
    # periods of lockdown."
    offences = text["drug_offences"]
    sentence_matching(offences, r"first national lockdown began in March 2020, there was a spike")
    spikes = sentence_matching(offences, r"^Figure 1 shows these spikes")
    assert "March to May 2020" in spikes and "November 2020" in spikes
    assert "January to March 2021" in spikes
    # Like for like: police.uk's data stops in October.
    sentence_matching(
        offences,
        r"^Between January and October 2021, 1,725 drug offences were recorded, "
        r"\d+% fewer than in the same months of 2020\.$",
    )

    # "North Yorkshire remains an importing area with most Lines originating in
    # Merseyside, Manchester, West and South Yorkshire, and London into Harrogate, York
    # and Scarborough (see figure 2). In 2020 36 County Lines, using 94 different
    # telephone numbers, were identified, of which only three remained active by the end
    # of the year. In 2021 26 County Lines were identified, of which 10 Lines remain
    # active."
    lines = text["county_lines"]
    sentence_matching(
        lines,
        r"Merseyside, Manchester, West and South Yorkshire, and London, into Harrogate, "
        r"York and Scarborough \(see figure 2\)",
    )
    sentence_matching(
        lines,
        r"^In 2020, 36 County Lines, using 94 different telephone numbers, were identified, "
        r"of which only 3 remained active by the end of the year\.$",
    )
    sentence_matching(
        lines, r"^In 2021, 26 County Lines were identified, of which 10 remain active\.$"
    )
    assert not any(re.search(r"\b0 (County )?Lines?\b", sentence) for sentence in lines)

    # "In 2021, NYP's actions resulted in 29 individuals being handed over 100 years of
    # prison time …, with a further 18 charged in October and 34 arrested over 2 weeks of
    # intensive County Lines disruption in which over £10,000 was seized in the first
    # week alone."
    enforcement = sentence_matching(text["enforcement"], r"29 individuals")
    assert "29 individuals were handed over 100 years of prison time" in enforcement
    assert "a further 18 charged in October" in enforcement
    assert "34 arrested over 2 weeks of intensive County Lines disruption" in enforcement
    assert "over £10,000 was seized in the first week alone" in enforcement
    assert not re.search(r"£[\d,]+\.\d\d", " ".join(text["enforcement"]))  # no pence

    # "… they have successfully obtained national surge funding and funding from
    # exporting policing areas over the last year."
    funding = sentence_matching(text["funding"], r"national surge funding")
    assert "£60,000 of national surge funding" in funding
    assert "exporting forces" in funding

    # "NYP and partners use the Blue Guardian principles to exchange information in
    # relation to locations and individuals" (in counts only, nothing personal).
    partnership = text["safeguarding"]
    sentence_matching(partnership, r"\d+ cuckooing referrals, about \d+ addresses, were made")
    sentence_matching(partnership, r"Blue Guardian principles")
    sentence_matching(partnership, r"shared information with partners \d+ times")
    sentence_matching(partnership, r"Partners completed \d+ safeguarding actions")

    # "There have been over 90 drug-related deaths in 2021 … Cocaine and Heroin are
    # linked to at least 20 deaths."
    deaths = text["drug_deaths"]
    sentence_matching(deaths, r"over 90 drug-related deaths in 2021")
    sentence_matching(deaths, r"^Cocaine and Heroin are each linked to at least 20 deaths")

    # The strategy's "drug testing on arrest" and "treatment referral pathways".
    sentence_matching(text["strategy"], r"drug tested on arrest, \d+% of them positive")

    # The appendix: the exact figures, months as "Nov 2018".
    appendix = sections[-1]
    offences_table = next(t for t in appendix.tables if t.name == "drug-offences-by-month")
    assert offences_table.rows[0] == ["Nov 2018", 148] and offences_table.rows[-1][0] == "Oct 2021"
    enforcement_table = next(t for t in appendix.tables if t.name == "enforcement")
    assert ["Cash seized", "£11,710.00"] in enforcement_table.rows
    assert ["Years of custody", 103.0] in enforcement_table.rows
    assert all(not section.tables for section in sections[:-1])


def test_no_sentence_speaks_of_months_without_data(demo_data):
    sentences = [sentence for section in paper_2021() for sentence in section.sentences]
    for month in ("November 2021", "December 2021"):
        assert not any(month in sentence for sentence in sentences), month
