"""The manager's draft of a panel paper, over the sentences written from the figures.

Every sentence `panel.report` writes is a starting text. What the manager makes of a
section is stored (`PanelReport.drafts`) as one entry per generated sentence:
`{"from": the sentence as written from the figures then, "text": the manager's}`; the
same text when they left it as written, "" when they left it out. The figures a
sentence was written from are the numbers (and months) in its `from`.

When the figures change, the sentences are written again and each entry finds its
sentence among them by its shape (the sentence with its figures taken out):
- left as written: the new sentence is shown;
- rewritten: the manager's text stays, marked with the figures that changed under it
  ("was 1,725, now 1,810") until they accept it (then `from` becomes the new sentence);
- left out: stays out;
- a new sentence, which the manager has not seen: shown where it is written;
- a rewritten sentence whose own is no longer written: kept, marked.

Sections are shown in the order the manager set (`PanelReport.section_order`, each key's
place; a section
they have not placed stays after the one it follows when written) and without those
they left out (`sections_left_out`).
"""

import difflib
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .report import Section

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# A figure: an amount (£10,000, 1,725, 12%, 0.3) or a month's name.
FIGURE = re.compile(rf"£?\d+(?:,\d{{3}})*(?:\.\d+)?%?|\b(?:{MONTHS})\b")
# Below this likeness, two sentences of a section are not the same sentence reworded.
LIKE = 0.75


@dataclass(frozen=True)
class FigureChange:
    was: str
    now: str

    def __str__(self) -> str:
        return f"was {self.was}, now {self.now}"


class DraftSentence(str):
    """A sentence of the paper as the manager left it: still a `str` wherever a sentence
    is one, with what the page and the section's form say beside it."""

    edited: bool = False
    left_out: bool = False
    changes: tuple[FigureChange, ...] = ()
    orphaned: bool = False  # rewritten from a sentence no longer written
    written: str = ""  # the sentence written from the figures now
    written_from: str = ""  # the sentence the manager's text was written from

    @classmethod
    def of(cls, text: str, **marks: Any) -> "DraftSentence":
        sentence = cls(text)
        for name, value in marks.items():
            if not hasattr(cls, name):
                raise TypeError(f"A draft sentence has no {name}")
            setattr(sentence, name, tuple(value) if name == "changes" else value)
        return sentence

    @property
    def marked(self) -> bool:
        return bool(self.changes) or self.orphaned


def figures_in(sentence: str) -> list[str]:
    return FIGURE.findall(sentence)


def shape_of(sentence: str) -> str:
    return FIGURE.sub("#", sentence)


def figure_changes(before: str, after: str) -> list[FigureChange]:
    was, now = figures_in(before), figures_in(after)
    if len(was) != len(now):
        return [FigureChange(", ".join(was), ", ".join(now))] if was != now else []
    return [FigureChange(old, new) for old, new in zip(was, now, strict=True) if old != new]


def match(entries: Sequence[Mapping[str, str]], written: Sequence[str]) -> dict[int, int]:
    """Which written sentence (by index) each entry (by index) was written as: the same
    shape first, in order, then the likeliest rewording of what is left."""
    matched: dict[int, int] = {}
    taken: set[int] = set()
    for e, entry in enumerate(entries):
        shape = shape_of(entry["from"])
        for w, sentence in enumerate(written):
            if w not in taken and shape_of(sentence) == shape:
                matched[e] = w
                taken.add(w)
                break
    pairs = sorted(
        (
            (
                difflib.SequenceMatcher(None, shape_of(entry["from"]), shape_of(sentence)).ratio(),
                e,
                w,
            )
            for e, entry in enumerate(entries)
            if e not in matched
            for w, sentence in enumerate(written)
            if w not in taken
        ),
        reverse=True,
    )
    for likeness, e, w in pairs:
        if likeness >= LIKE and e not in matched and w not in taken:
            matched[e] = w
            taken.add(w)
    return matched


def draft_sentences(
    entries: Sequence[Mapping[str, str]] | None, written: Sequence[str]
) -> list[DraftSentence]:
    """The section's sentences, those left out included (`left_out`, empty): those
    written now, as the manager's draft makes them."""
    if not entries:
        return [DraftSentence.of(sentence, written=sentence) for sentence in written]
    matched = match(entries, written)
    by_written = {w: e for e, w in matched.items()}
    drafted: list[DraftSentence] = []
    next_written = 0

    def new_up_to(limit: int) -> None:
        nonlocal next_written
        for w in range(next_written, limit):
            if w not in by_written:
                drafted.append(DraftSentence.of(written[w], written=written[w]))
        next_written = max(next_written, limit)

    for e, entry in enumerate(entries):
        text, was = entry["text"], entry["from"]
        if e not in matched:
            if text and text != was:
                drafted.append(DraftSentence.of(text, edited=True, orphaned=True, written_from=was))
            continue
        now = written[matched[e]]
        new_up_to(matched[e])
        if not text:
            drafted.append(DraftSentence.of("", left_out=True, written=now, written_from=now))
        elif text == was:
            drafted.append(DraftSentence.of(now, written=now, written_from=now))
        else:
            drafted.append(
                DraftSentence.of(
                    text,
                    edited=True,
                    changes=figure_changes(was, now),
                    written=now,
                    written_from=was,
                )
            )
    new_up_to(len(written))
    return drafted


def entries_after_edit(
    sentences: Sequence[DraftSentence], texts: Sequence[str], accepted: set[int]
) -> list[dict[str, str]]:
    """The section's entries once the manager has saved its form: `texts[i]` is their
    text for `sentences[i]` (as the form showed them); "" leaves it out. A sentence they
    rewrote stays written from the figures it was, until they accept the new ones
    (`accepted`, by index)."""
    entries: list[dict[str, str]] = []
    for index, (sentence, typed) in enumerate(zip(sentences, texts, strict=True)):
        text = " ".join(typed.split())
        if text == " ".join(sentence.written.split()):
            text = sentence.written  # as written, however the box spaced it
        if sentence.orphaned:
            if text:
                entries.append({"from": sentence.written_from, "text": text})
            continue
        if sentence.changes and index not in accepted and text != sentence.written:
            entries.append({"from": sentence.written_from, "text": text})
        else:
            entries.append({"from": sentence.written, "text": text})
    return entries


def arranged(
    sections: list[Section], order: Sequence[str], left_out: Sequence[str]
) -> list[Section]:
    """The sections in the manager's order, less those left out. A section the order
    does not name (new since) comes after the last of those written before it."""
    keys = [section.key for section in sections]
    placed = [key for key in order if key in keys]
    for index, key in enumerate(keys):
        if key in placed:
            continue
        # After the last placed of those written before it (at the end, if it was).
        before = [placed.index(k) for k in keys[:index] if k in placed]
        placed.insert(max(before) + 1 if before else 0, key)
    by_key = {section.key: section for section in sections}
    return [by_key[key] for key in placed if key not in left_out]


def moved(keys: Sequence[str], key: str, step: int) -> list[str]:
    """`keys` with `key` one place up (-1) or down (+1)."""
    keys = list(keys)
    index = keys.index(key)
    other = index + step
    if 0 <= other < len(keys):
        keys[index], keys[other] = keys[other], keys[index]
    return keys


def stored(entries: Sequence[Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """A section's entries as `PanelReport.drafts` keeps them: by their place ("0", "1",
    …), so that the audit log's record of a change compares them as they are."""
    return {str(index): dict(entry) for index, entry in enumerate(entries)}


def entries_of(kept: dict[str, dict[str, str]] | None) -> list[dict[str, str]]:
    places = kept or {}
    return [places[index] for index in sorted(places, key=int)]


def order_stored(keys: Sequence[str]) -> dict[str, int]:
    """The sections' order as `PanelReport.section_order` keeps it: each key's place."""
    return {key: place for place, key in enumerate(keys)}


def order_of(kept: dict[str, int] | None) -> list[str]:
    places = kept or {}
    return sorted(places, key=places.__getitem__)


def written_fingerprint(sentences: Sequence[DraftSentence]) -> str:
    """Which sentences a section's form was shown with, to tell whether the figures were
    computed again before it was saved."""
    shown = "\n".join(f"{s.written}\t{s.written_from}\t{s.orphaned}" for s in sentences)
    return hashlib.sha256(shown.encode()).hexdigest()[:16]
