"""Every download names its file in plain ASCII, with nothing that could end the header
or the name early, through core.downloads."""

import re

import pytest
from django.http import HttpResponse

from core.csv_export import csv_response
from core.downloads import as_attachment, safe_filename

SAFE_HEADER = re.compile(r'^attachment; filename="[A-Za-z0-9][A-Za-z0-9._-]*"$')


@pytest.mark.parametrize(
    ("name", "saved_as"),
    [
        ("lines-2024-05-01.csv", "lines-2024-05-01.csv"),
        ('evil".csv', "evil-.csv"),
        ("two\r\nlines.csv", "two-lines.csv"),
        ("../../etc/passwd", "etc-passwd"),
        ("Réfé rence ü.pdf", "Refe-rence-u.pdf"),
        (".hidden", "hidden"),
        ("«»", "download"),
    ],
)
def test_a_file_name_is_made_safe(name, saved_as):
    assert safe_filename(name) == saved_as
    header = as_attachment(HttpResponse(), name)["Content-Disposition"]
    assert SAFE_HEADER.match(header), header


def test_a_csv_download_goes_through_it():
    response = csv_response(filename='a "b"\n.csv', header=["x"], rows=[])

    assert response["Content-Disposition"] == 'attachment; filename="a-b-.csv"'
