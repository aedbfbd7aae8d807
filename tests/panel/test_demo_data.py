"""The demo data of `seed_demo` gives the January 2022 panel report's figures, as
`manage.py panel_statistics` computes them."""

import json

from django.core.management import call_command


def test_the_demo_data_gives_the_january_2022_reports_figures(demo_data, capsys):
    def statistics(start, end, as_at=None):
        arguments = ["--start", start, "--end", end] + (["--as-at", as_at] if as_at else [])
        capsys.readouterr()
        call_command("panel_statistics", *arguments)
        return json.loads(capsys.readouterr().out)

    year_2020 = statistics("2020-01-01", "2020-12-31")
    assert (
        year_2020["lines"]["identified"],
        year_2020["lines"]["numbers_used"],
        year_2020["lines"]["active_at_end"],
    ) == (36, 94, 3)
    year_2021 = statistics("2021-01-01", "2021-12-31", "2022-01-15")
    assert year_2021["lines"]["identified"] == 26
    assert year_2021["lines"]["identified_still_active"] == 10
    assert year_2021["enforcement"]["persons_sentenced"] == 29
    assert year_2021["enforcement"]["custody_years"] > 100
    assert year_2021["drug_deaths"]["total"] > 90
    assert year_2021["drug_deaths"]["by_substance"]["Cocaine"] >= 20
    assert year_2021["drug_deaths"]["by_substance"]["Heroin"] >= 20
    october = statistics("2021-10-01", "2021-10-31")
    assert october["enforcement"]["persons_charged"] == 18
    operation = statistics("2021-11-08", "2021-11-21")
    assert operation["enforcement"]["arrests"] == 34
    first_week = statistics("2021-11-08", "2021-11-14")
    assert float(first_week["enforcement"]["cash_seized_gbp"]) > 10_000
    offences = statistics("2018-11-01", "2021-10-31")["drug_offences"]["by_month"]
    assert len(offences) == 36 and all(offences.values())
    # The lockdown months stand out.
    assert offences["2020-04"] > 1.5 * offences["2019-04"]
