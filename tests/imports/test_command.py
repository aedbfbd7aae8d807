"""`manage.py import_csv`: every rule of interfaces.md §1 "Import behaviour", on real files."""

import getpass

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from lines.models import Line

from .utils import ERROR_LINE, LINES_HEADER, line_rows, run_import, write_csv

pytestmark = pytest.mark.django_db

VALID = "L1,Dolla,Merseyside Police,York,2021-03-01,"


def test_imports_a_valid_file_and_prints_the_summary_line(tmp_path):
    path = write_csv(tmp_path, "lines.csv", LINES_HEADER, *line_rows(3))

    run = run_import("lines", path)

    assert run.status == 0
    assert run.stdout == "created 3, updated 0, unchanged 0, skipped 0\n"
    assert run.stderr == ""
    assert Line.objects.count() == 3


def test_header_in_any_order_and_case_with_spaces(tmp_path):
    header = " First_Identified ,COMMAND_AREAS,Origin_Force,  reference,NAME,Closed_On"
    path = write_csv(tmp_path, "lines.csv", header, "2021-03-01,York,Merseyside,L1,Dolla,")

    run = run_import("lines", path)

    assert run.status == 0, run.stderr
    line = Line.objects.get(reference="L1")
    assert (line.name, line.first_identified.isoformat()) == ("Dolla", "2021-03-01")


def test_byte_order_mark_is_tolerated(tmp_path):
    path = write_csv(tmp_path, "lines.csv", LINES_HEADER, VALID, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    run = run_import("lines", path)

    assert run.status == 0, run.stderr
    assert Line.objects.filter(reference="L1").exists()


def test_extra_columns_are_ignored(tmp_path):
    path = write_csv(tmp_path, "lines.csv", f"notes,{LINES_HEADER},colour", f"x,{VALID},red")

    assert run_import("lines", path).status == 0
    assert Line.objects.count() == 1


def test_an_optional_column_may_be_left_out(tmp_path):
    header = "reference,name,origin_force,command_areas,first_identified"
    path = write_csv(tmp_path, "lines.csv", header, "L1,Dolla,Merseyside,York,2021-03-01")

    assert run_import("lines", path).status == 0
    assert Line.objects.get().closed_on is None


def test_missing_required_column_is_named(tmp_path):
    header = "reference,name,command_areas,first_identified"
    path = write_csv(tmp_path, "lines.csv", header, "L1,Dolla,York,2021-03-01")

    run = run_import("lines", path)

    assert run.status == 1
    assert run.error_lines == [
        f"{path}:1: origin_force: This required column is missing from the header."
    ]
    assert run.stdout == ""
    assert not Line.objects.exists()


def test_a_column_named_twice_is_an_error(tmp_path):
    path = write_csv(tmp_path, "lines.csv", f"{LINES_HEADER},Name", f"{VALID},Other")

    run = run_import("lines", path)

    assert run.status == 1
    assert run.error_lines == [f"{path}:1: name: This column appears more than once in the header."]


def test_file_that_is_not_utf8_says_so_on_the_right_line(tmp_path):
    path = write_csv(
        tmp_path,
        "lines.csv",
        LINES_HEADER,
        VALID,
        "L2,Café,Merseyside,York,2021-03-01,",
        encoding="latin-1",
    )

    run = run_import("lines", path)

    assert run.status == 1
    [error] = run.error_lines
    assert error.startswith(f"{path}:3: (file): The file is not UTF-8")
    assert "0xE9" in error
    assert not Line.objects.exists()


def test_empty_file_says_so(tmp_path):
    path = write_csv(tmp_path, "empty.csv")

    run = run_import("lines", path)

    assert run.status == 1
    assert run.error_lines == [
        f"{path}:1: (file): The file is empty: its first row must be a header naming the columns."
    ]


def test_file_of_blank_lines_is_empty(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\xef\xbb\xbf\n  \n")

    run = run_import("lines", path)

    assert run.status == 1
    assert "The file is empty" in run.stderr


def test_file_without_a_header_says_so(tmp_path):
    path = write_csv(tmp_path, "lines.csv", VALID, "L2,Blade,Merseyside,York,2021-03-01,")

    run = run_import("lines", path)

    assert run.status == 1
    [error] = run.error_lines
    assert error.startswith(f"{path}:1: (file): The file has no header")
    assert "reference, name, origin_force" in error


def test_header_only_file_imports_nothing_successfully(tmp_path):
    path = write_csv(tmp_path, "lines.csv", LINES_HEADER)

    run = run_import("lines", path)

    assert run.status == 0
    assert run.stdout == "created 0, updated 0, unchanged 0, skipped 0\n"


def test_bad_row_after_3000_good_ones_writes_nothing(tmp_path):
    bad = "L99999,Broken,Atlantis Police,York,2021-03-01,"
    path = write_csv(tmp_path, "big.csv", LINES_HEADER, *line_rows(3000), bad)

    run = run_import("lines", path)

    assert run.status == 1
    assert len(run.error_lines) == 1
    assert run.error_lines[0].startswith(f"{path}:3002: origin_force: Unknown force “Atlantis")
    assert not Line.objects.exists()
    assert not AuditEvent.objects.filter(object_type="lines.line").exists()


def test_second_import_of_the_same_file_changes_nothing(tmp_path):
    path = write_csv(tmp_path, "lines.csv", LINES_HEADER, *line_rows(5))
    run_import("lines", path)
    before = list(Line.objects.values().order_by("pk"))

    run = run_import("lines", path)

    assert run.stdout == "created 0, updated 0, unchanged 5, skipped 0\n"
    assert list(Line.objects.values().order_by("pk")) == before


def test_a_changed_row_updates_the_existing_record(tmp_path):
    rows = line_rows(3)
    run_import("lines", write_csv(tmp_path, "v1.csv", LINES_HEADER, *rows))
    rows[1] = rows[1].replace("Brand 2", "Renamed")

    run = run_import("lines", write_csv(tmp_path, "v2.csv", LINES_HEADER, *rows))

    assert run.stdout == "created 0, updated 1, unchanged 2, skipped 0\n"
    assert Line.objects.get(reference="L00002").name == "Renamed"
    assert Line.objects.count() == 3


def test_dry_run_writes_nothing_and_exits_0(tmp_path):
    path = write_csv(tmp_path, "lines.csv", LINES_HEADER, *line_rows(4))

    run = run_import("lines", path, "--dry-run")

    assert run.status == 0
    assert run.stdout.startswith("created 4, updated 0, unchanged 0, skipped 0")
    assert "dry run" in run.stdout
    assert not Line.objects.exists()
    assert not AuditEvent.objects.exists()


def test_dry_run_of_an_invalid_file_reports_and_exits_non_zero(tmp_path):
    path = write_csv(tmp_path, "lines.csv", LINES_HEADER, "L1,Dolla,Merseyside,York,2021-02-30,")

    run = run_import("lines", path, "--dry-run")

    assert run.status == 1
    assert run.error_lines == [f"{path}:2: first_identified: “2021-02-30” is not a real date."]


def test_at_most_50_error_lines(tmp_path):
    bad = [f"B{n},Broken,Nowhere,York,2021-01-01," for n in range(60)]
    path = write_csv(tmp_path, "lines.csv", LINES_HEADER, *bad)

    run = run_import("lines", path)

    assert run.status == 1
    assert len(run.error_lines) == 50
    assert run.error_lines[0].startswith(f"{path}:2: origin_force:")
    assert run.error_lines[-1].startswith(f"{path}:51: origin_force:")


def test_every_error_line_has_the_contract_form_with_file_line_numbers(tmp_path):
    path = write_csv(
        tmp_path,
        "lines.csv",
        LINES_HEADER,
        VALID,
        "",  # a blank line still counts as a line of the file
        'L2,"Two-line',
        'brand",Merseyside,York,2021-03-01,',  # one record on lines 4 and 5
        "L3,,Merseyside,Leeds,2021-13-01,",
    )

    run = run_import("lines", path)

    assert run.status == 1
    assert run.error_lines == [
        f"{path}:6: name: This column is required but the cell is empty.",
        f"{path}:6: command_areas: Unknown command area “Leeds”. The command areas are: "
        "Craven, Hambleton, Harrogate, Richmondshire, Ryedale, Scarborough, Selby, York.",
        f"{path}:6: first_identified: “2021-13-01” is not a real date.",
    ]
    for line in run.error_lines:
        match = ERROR_LINE.match(line)
        assert match and match["path"] == str(path), line


def test_path_is_printed_as_given_on_the_command_line(tmp_path, monkeypatch):
    write_csv(tmp_path, "lines.csv", LINES_HEADER, "L1,Dolla,Nowhere,York,2021-03-01,")
    monkeypatch.chdir(tmp_path)

    run = run_import("lines", "lines.csv")

    assert run.error_lines[0].startswith("lines.csv:2: origin_force: ")


def test_unknown_kind_is_an_error_listing_the_known_kinds(tmp_path):
    path = write_csv(tmp_path, "x.csv", LINES_HEADER, VALID)

    with pytest.raises(CommandError) as error:
        call_command("import_csv", "nonsense", str(path))

    assert "Unknown KIND “nonsense”" in str(error.value)
    assert "lines, line_numbers" in str(error.value)


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="cannot open the file"):
        call_command("import_csv", "lines", str(tmp_path / "nowhere.csv"))


def test_one_import_event_per_real_import_acting_as_no_user(tmp_path):
    path = write_csv(tmp_path, "lines.csv", LINES_HEADER, *line_rows(2))

    run_import("lines", path)

    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert event.user is None
    import_id = event.detail["import"]
    assert event.detail == {
        "kind": "lines",
        "file": str(path),
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "capability": "change_lines",
        # Run on the server by whoever may: the system account says who that was.
        "via": "manage.py import_csv",
        "system_user": getpass.getuser(),
        "import": import_id,
    }
    # The per-record events are kept: the law wants collection logged, record by record.
    created = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE)
    assert created.count() == 2
    assert {event.detail["import"] for event in created} == {import_id}


def test_verbosity_0_prints_nothing_on_success(tmp_path):
    path = write_csv(tmp_path, "lines.csv", LINES_HEADER, VALID)

    assert run_import("lines", path, "--verbosity", "0").stdout == ""


def test_a_file_of_another_kind_is_reported_as_such(tmp_path):
    path = write_csv(
        tmp_path,
        "numbers.csv",
        "line_reference,number,attributed_from",
        "L1,07712 345678,2021-01-01",
    )

    run = run_import("lines", path)

    assert run.status == 1
    assert run.error_lines[-1] == (
        f"{path}:1: (file): This looks like a “line_numbers” file (Line numbers): its header "
        "has that kind's columns. Import it as that kind."
    )
