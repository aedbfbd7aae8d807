"""Writing CSV files and running `import_csv` the way a person would, for the import tests."""

import re
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

LINES_HEADER = "reference,name,origin_force,command_areas,first_identified,closed_on"
NUMBERS_HEADER = "line_reference,number,attributed_from,attributed_to"
ERROR_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+): (?P<column>[^:]+): (?P<message>.+)$")


@dataclass
class Run:
    status: int
    stdout: str
    stderr: str

    @property
    def error_lines(self) -> list[str]:
        return self.stderr.splitlines()


def write_csv(directory: Path, name: str, *lines: str, encoding: str = "utf-8") -> Path:
    path = directory / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding) if lines else b"")
    return path


def csv_upload(*lines: str, name: str = "lines.csv") -> SimpleUploadedFile:
    """The file a browser would send for these lines."""
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def line_rows(count: int, *, prefix: str = "L", start: int = 1) -> list[str]:
    """`count` valid rows of a `lines` file."""
    return [
        f"{prefix}{n:05d},Brand {n},Merseyside Police,York;Selby,2021-01-{(n % 28) + 1:02d},"
        for n in range(start, start + count)
    ]


def run_import(kind: str, path: Path | str, *args: str) -> Run:
    """`manage.py import_csv KIND PATH ARGS`: its exit status and what it printed."""
    stdout, stderr = StringIO(), StringIO()
    try:
        call_command("import_csv", kind, str(path), *args, stdout=stdout, stderr=stderr)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return Run(status, stdout.getvalue(), stderr.getvalue())
