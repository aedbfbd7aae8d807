"""The demo lines' figures and words: what the January 2022 panel report says of 2020
and 2021, and the names, places and intelligence the demo lines are made of.

Every name, number and event in them is fictitious.
"""

import datetime
from dataclasses import dataclass

from ..models import ClosureType


@dataclass(frozen=True)
class DemoYear:
    """The lines first identified in one year, and the panel's figures for them."""

    year: int
    identified: int
    still_active: int  # active on `as_at`
    as_at: datetime.date
    numbers_used: int | None  # distinct numbers with attributed_from <= as_at; None: any
    # Of the `still_active` lines, how many have not been closed at all since.
    never_closed: int
    origins: dict[str, int]  # origin force's full name: lines (adds up to `identified`)
    areas: dict[str, int]  # main destination command area: lines (adds up to `identified`)
    into_two_areas: int  # lines that also deal into a neighbouring command area


DEMO_YEARS = (
    DemoYear(
        year=2020,
        identified=36,
        still_active=3,
        as_at=datetime.date(2020, 12, 31),
        numbers_used=94,
        never_closed=1,
        origins={
            "Merseyside Police": 9,
            "Greater Manchester Police": 7,
            "West Yorkshire Police": 7,
            "South Yorkshire Police": 5,
            "Metropolitan Police Service": 5,
            "West Midlands Police": 2,
            "Cleveland Police": 1,
        },
        areas={
            "Harrogate": 11,
            "York": 10,
            "Scarborough": 9,
            "Selby": 2,
            "Ryedale": 2,
            "Craven": 1,
            "Hambleton": 1,
        },
        into_two_areas=4,
    ),
    DemoYear(
        year=2021,
        identified=26,
        still_active=10,
        as_at=datetime.date(2022, 1, 15),
        numbers_used=None,
        never_closed=6,
        # Before replacements (a Line that takes over a closed one's number keeps its
        # origin and areas); after them, as the paper names them: Merseyside 7,
        # Manchester 5, West Yorkshire 5, London 4, South Yorkshire 4, Humberside 1; into
        # Harrogate 8, York 7, Scarborough 6 (tests/panel/test_paper_2021.py).
        origins={
            "Merseyside Police": 6,
            "Greater Manchester Police": 6,
            "West Yorkshire Police": 6,
            "South Yorkshire Police": 4,
            "Metropolitan Police Service": 2,
            "West Midlands Police": 1,
            "Humberside Police": 1,
        },
        areas={
            "Harrogate": 7,
            "York": 6,
            "Scarborough": 6,
            "Selby": 2,
            "Ryedale": 2,
            "Richmondshire": 2,
            "Craven": 1,
        },
        into_two_areas=3,
    ),
)

# Where a line into the first area also deals.
NEIGHBOURING_AREAS = {
    "Harrogate": ["York", "Craven", "Hambleton"],
    "York": ["Selby", "Ryedale", "Harrogate"],
    "Scarborough": ["Ryedale"],
    "Selby": ["York"],
    "Ryedale": ["Scarborough", "York"],
    "Craven": ["Harrogate"],
    "Hambleton": ["Richmondshire", "Harrogate"],
    "Richmondshire": ["Hambleton"],
}

ORIGIN_CITIES = {
    "Merseyside Police": "Liverpool",
    "Greater Manchester Police": "Manchester",
    "West Yorkshire Police": "Leeds",
    "South Yorkshire Police": "Sheffield",
    "Metropolitan Police Service": "London",
    "West Midlands Police": "Birmingham",
    "Cleveland Police": "Middlesbrough",
    "Humberside Police": "Hull",
}

# Brand names tied to an origin, used first for lines from there.
ORIGIN_BRANDS = {"Merseyside Police": ["Scouse Mike", "Scally"]}
BRANDS = [
    "Dolla", "Blade", "Tony", "Nico", "AJ", "Bossman", "Kenny", "Jay", "Deezy", "Milly",
    "Frankie", "Benz", "Ricky", "Spider", "Loco", "Bugsy", "Zee", "Tee", "Razor", "Charlie",
    "Bravo", "Smokey", "Nitro", "Ghost", "K-Man", "Finesse", "Drip", "Mango", "Ace", "Kash",
    "Lucky", "Boogie", "Manny", "Dee", "Rocco", "Sonic", "Marley", "Vinnie", "Jonny", "Scotty",
    "Digga", "Stacks", "Flash", "Ozzy", "Rambo", "Tiny", "Sully", "Leon", "Junior", "Danny",
    "Max", "Biggz", "Remy", "Tommy", "Pablo", "Shorty", "Rex", "Moe", "Tank", "Skinny",
    "Coco", "Bootsy", "Snowy", "Jet",
]  # fmt: skip

ACTIVITIES = [
    "crack cocaine and heroin sold through runners travelling in by train",
    "cocaine supplied to users through bulk 'flare' text messages",
    "heroin and crack cocaine run from a cuckooed flat near the town centre",
    "a child from the origin area found holding drugs and the deal line handset",
    "crack cocaine and heroin, with runners moving between two cuckooed addresses",
    "cocaine and cannabis delivered by hire car at weekends",
    "heroin supplied to street users; a vulnerable adult's home used as a base",
    "crack cocaine, with reports of a knife shown to a user in debt",
]
CLOSURES = {
    ClosureType.TYPE_1: "Closed (Type 1) after the line holder was arrested and charged.",
    ClosureType.TYPE_2: "Closed (Type 2) after the deal line number was deactivated.",
    ClosureType.OTHER: "Closed after the group stopped using the line.",
}
REPLACEMENT = "Took over the deal line number of {reference} {name} after that line was closed."

# (source evaluation, assessment, handling code, conditions, text): the 3x5x2 grading.
NOT_OUTSIDE_NYP = "Not to be disclosed outside NYP without the originating officer's agreement."
SANITISED_TO_PARTNERS = "Source protection: share with partner agencies only in sanitised form."
SANITISED_TO_FORCE = "Sanitise before sharing with the exporting force."
INTELLIGENCE = [
    ("1", "A", "P", "", "{name} deal line sent flare messages offering 'two for £15' in {area}."),
    (
        "2",
        "B",
        "C",
        NOT_OUTSIDE_NYP,
        "Runner aged about 15 believed to travel from {city} to {area} on Fridays, "
        "returning on Sunday with cash.",
    ),
    (
        "2",
        "C",
        "P",
        "",
        "Users in {area} say the {name} line answers on a new number; the old handset was dropped.",
    ),
    (
        "3",
        "D",
        "C",
        SANITISED_TO_PARTNERS,
        "A vulnerable tenant in {area} is said to have had their flat taken over by {name}.",
    ),
    ("1", "B", "P", "", "Line holder of {name} believed to direct runners by phone from {city}."),
    (
        "2",
        "A",
        "C",
        SANITISED_TO_FORCE,
        "Cash from the {name} line collected weekly by a courier driving a hire car from {city}.",
    ),
    ("3", "E", "P", "", "Anonymous report that {name} is run by a local user; thought malicious."),
    (
        "1",
        "C",
        "P",
        "",
        "{name} deal line advertising crack and heroin 'open all night' in {area}.",
    ),
]

# More intelligence, a few entries a line: every source evaluation and assessment, some
# to be shared only on conditions.
MORE_INTELLIGENCE = [
    ("1", "A", "P", "", "Officers saw a runner for {name} hand a package over at {area} station."),
    (
        "2",
        "B",
        "P",
        "",
        "{name} deal line is texting prices to users in {area} every morning at about 10am.",
    ),
    (
        "2",
        "C",
        "C",
        NOT_OUTSIDE_NYP,
        "A user in {area} says two youths from {city} stay at a flat for a week at a time.",
    ),
    ("3", "C", "P", "", "{name} is said to have moved its runners to a new address in {area}."),
    (
        "1",
        "B",
        "C",
        SANITISED_TO_PARTNERS,
        "A school in {area} is concerned a pupil is carrying drugs for {name}.",
    ),
    ("2", "D", "P", "", "Unconfirmed report that {name} also supplies users in a nearby town."),
    ("3", "E", "P", "", "A caller claims a neighbour runs {name}; the account is inconsistent."),
    (
        "1",
        "A",
        "P",
        "",
        "Test purchase from the {name} deal line in {area}: crack cocaine, two wraps for £20.",
    ),
    (
        "2",
        "B",
        "C",
        SANITISED_TO_FORCE,
        "The {name} line holder is believed to use a second handset kept in {city}.",
    ),
    ("2", "A", "P", "", "Runner for {name} stopped in {area} with cash and a burner phone."),
    ("3", "D", "P", "", "Rumour among users in {area} that {name} is about to change its number."),
    (
        "1",
        "C",
        "P",
        "",
        "{name} deal line handset seen by a partner agency at a cuckooed address in {area}.",
    ),
]
