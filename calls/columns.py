"""The columns of a `calls` file (interfaces.md §6), in their usual order: read by the
import kind, written by the demo's and the benchmark's generators. Nothing here needs
Django, so a generator runs without it."""

FILE_COLUMNS = (
    "source",
    "from_number",
    "to_number",
    "started_at",
    "kind",
    "duration_seconds",
    "imei",
    "imsi",
    "cell_id",
)
REQUIRED_COLUMNS = FILE_COLUMNS[:5]
