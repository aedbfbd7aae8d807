"""The analyses of call data, each answering with frozen dataclasses that name the
sources they draw on. Who may run them is the caller's check (VIEW_CALL_DATA); every
run shown is a consultation (calls.consultation.call_data_consulted).

- `profile`: a number's profile (contacts, handsets, activity in the week, lines);
- `common`: the contacts two or more numbers (or lines) share;
- `successors`: the numbers that may have taken over from a line's quiet numbers;
- `new_lines`: numbers texting many people in bursts that no line is attributed;
- `handsets`: the numbers that shared a handset, in order.
"""

from .common import CommonContact, CommonContacts, common_contacts, common_contacts_of_lines
from .handsets import HandsetContinuity, HandsetNumbers, HandsetUse, handset_continuity
from .new_lines import (
    BurstSettings,
    LineOverlap,
    PossibleNewLine,
    PossibleNewLines,
    TooManySenders,
    burst_settings,
    possible_new_lines,
)
from .pairs import SourceRef
from .profile import WEEKDAYS, Contact, Handset, LineUse, NumberProfile, number_profile
from .successors import (
    Candidate,
    Evidence,
    SuccessorCandidates,
    successor_candidates,
    successor_candidates_cached,
)

__all__ = [
    "WEEKDAYS",
    "BurstSettings",
    "Candidate",
    "CommonContact",
    "CommonContacts",
    "Contact",
    "Evidence",
    "Handset",
    "HandsetContinuity",
    "HandsetNumbers",
    "HandsetUse",
    "LineOverlap",
    "LineUse",
    "NumberProfile",
    "PossibleNewLine",
    "PossibleNewLines",
    "SourceRef",
    "SuccessorCandidates",
    "TooManySenders",
    "burst_settings",
    "common_contacts",
    "common_contacts_of_lines",
    "handset_continuity",
    "number_profile",
    "possible_new_lines",
    "successor_candidates",
    "successor_candidates_cached",
]
