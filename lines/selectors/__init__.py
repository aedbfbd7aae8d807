"""Reads of lines, numbers and intelligence, scoped to what the user may see.

Only police roles with VIEW_LINES see lines; for anyone else every selector
answers as if there were none, so a view that forgets its capability check
still leaks nothing.

- `records`: the list, the export, one line, its numbers and intelligence;
- `related`: lines sharing a line's numbers;
- `people`: the people and enforcement recorded on a line;
- `timeline`: a line's history, and the referrals that suspect it;
- `numbers`: number look-ups, whole or by part, and overlapping uses.
"""

from .numbers import (
    PART_LIMIT,
    NumberLookup,
    NumberPart,
    get_number_for_user,
    lines_numbers,
    number_in_use_elsewhere,
    number_lookup,
    number_part_lookup,
    number_uses_elsewhere,
    numbers_attributions,
    overlapping_attribution,
    overlapping_use,
)
from .people import LineEnforcement, LinePeopleAndEnforcement, line_people_and_enforcement
from .records import (
    EXPORT_CHUNK,
    AreaCount,
    active_lines_by_command_area,
    active_lines_count,
    get_attribution_for_user,
    get_line_for_user,
    line_attributions,
    line_choice_for_reference,
    line_export_rows,
    line_intelligence,
    line_list,
    numbers_in_use,
    visible_lines,
)
from .references import next_line_reference
from .related import RelatedLine, Relation, SharedNumber, related_lines
from .timeline import TimelineEvent, line_referrals, line_timeline

__all__ = [
    "EXPORT_CHUNK",
    "PART_LIMIT",
    "AreaCount",
    "LineEnforcement",
    "LinePeopleAndEnforcement",
    "NumberLookup",
    "NumberPart",
    "RelatedLine",
    "Relation",
    "SharedNumber",
    "TimelineEvent",
    "active_lines_by_command_area",
    "active_lines_count",
    "get_attribution_for_user",
    "get_line_for_user",
    "get_number_for_user",
    "line_attributions",
    "line_choice_for_reference",
    "line_export_rows",
    "line_intelligence",
    "line_list",
    "line_people_and_enforcement",
    "line_referrals",
    "line_timeline",
    "lines_numbers",
    "next_line_reference",
    "number_in_use_elsewhere",
    "number_lookup",
    "number_part_lookup",
    "number_uses_elsewhere",
    "numbers_attributions",
    "numbers_in_use",
    "overlapping_attribution",
    "overlapping_use",
    "related_lines",
    "visible_lines",
]
