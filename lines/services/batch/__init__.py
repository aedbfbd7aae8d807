"""Writes of many lines or attributions at once: what the CSV imports call, a block at a time.

Each service takes a block of rows (a few thousand), in file order, and for the whole
block: loads the existing records by natural key in one query, validates every row in
memory with the rules of `lines.rules` (the same functions behind the forms), then
writes what is new with one bulk insert, what changed with one bulk update and leaves
alone what is unchanged, and writes one audit event per record created or changed, in
bulk. Lines go through the engine every kind keyed by reference shares
(`records.upserts`); attributions have a batch of their own (`numbers` says why).

Nothing is locked while a block is validated (a re-import of an unchanged file would
otherwise lock every line). What keeps concurrent writers apart: an update applies only
if the record is still as it was read (else `RecordsChanged`: the import stops and is
rolled back), a new line's reference is unique, and the database refuses overlapping
attributions (`line_number_no_overlap`), so of two imports or an import and a form
attributing overlapping periods at the same moment, one is refused.

A row may repeat the key of an earlier row: of this block (it is found in the block's
key map) or of an earlier block (already written, so found in the database). Either
way it applies to the record the earlier row wrote, as a later edit would: the later
row wins and is counted as updated (or unchanged).

Rows are mappings of parsed values (see each service). A key that is absent means
"the file does not have this column": that field is left as it is.
"""

from .lines import line_upsert_many
from .numbers import line_number_upsert_many

__all__ = ["line_number_upsert_many", "line_upsert_many"]
