"""Reading a CSV file into blocks of parsed rows, a block ahead of the writer.

`read_records` decodes the file line by line and yields its non-blank records with
the line each starts on. `BlockParser` turns the records after the header into
`ParsedBlock`s: each row's cells parsed by the kind's columns, and the problems found
(a row with any goes on to the batch service all the same, to be checked, not written).

It does so on a thread of its own. Parsing is pure Python on the file's text; writing
a block mostly waits for the database. While the runner waits for one block to be
written, the next is read and parsed, so on a machine with a second core an import
takes little more than the longer of the two instead of their sum. The queue between
them holds two blocks, so memory stays bounded whatever the file's size. Column
parsers therefore run on that thread and must not touch the database: a kind loads
what they need in `ImportKind.prepare()`, which the runner calls first.
"""

import codecs
import contextlib
import csv
import queue
import sys
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import connections

from core.batch import RowInError

from .kinds import Column, ImportKind

# A column of the kind and its position in the file (None: the file does not have it).
ColumnAt = tuple[Column, int | None]


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def format(self, path: str) -> str:
        message = " ".join(self.message.split())  # one problem, one line
        return f"{path}:{self.line}: {self.column}: {message}"

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}


class Unreadable(Exception):
    """The file cannot be read on from `line`: reading stops, the problem is reported."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _decoded_lines(source: Iterable[bytes]) -> Iterator[str]:
    """The file's lines as text; a UTF-8 byte-order mark at the start is dropped.

    Each line is decoded on its own (not through io.TextIOWrapper, which decodes 8 KB
    at a time), so that a byte that is not UTF-8 is reported on the line it is on;
    `\\n` never occurs inside a UTF-8 multi-byte sequence, so splitting first is safe.
    """
    for number, raw in enumerate(source, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise Unreadable(
                number,
                f"The file is not UTF-8 (byte 0x{raw[error.start]:02X} on this line is not "
                "valid UTF-8). Save it as “CSV UTF-8” and try again.",
            ) from None


def _is_blank(cells: list[str]) -> bool:
    return not "".join(cells).strip()  # one join, not a generator per row


def read_records(source: BinaryIO) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, cells) for each non-blank record of the file.

    The line is the physical line (header = 1); a quoted cell may span lines, which
    `reader.line_num` accounts for. Raises `Unreadable` where reading cannot go on.
    """
    reader = csv.reader(_decoded_lines(source))
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise Unreadable(previous + 1, f"This row cannot be read as CSV ({error}).") from None
        start, previous = previous + 1, reader.line_num
        if not _is_blank(cells):
            yield start, cells


def count_rows(source: BinaryIO) -> int:
    """The number of non-blank records after the header (as far as the file can be read).

    A cheap streaming pass, used to size the progress bar and to decide whether an
    upload is checked in the request or in a background task.
    """
    rows = -1  # the header
    try:
        for _line, _cells in read_records(source):
            rows += 1
    except Unreadable:
        pass
    return max(rows, 0)


@dataclass
class ParsedBlock:
    """Up to `block_size` rows to hand to the batch service, with everything else read
    since the last block."""

    # (line, values); a row with cells in error is a `RowInError`, checked, never written.
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)  # the cells' problems
    rows_in_error: int = 0
    rows_read: int = 0
    skipped: int = 0
    is_full: bool = False
    unreadable: Unreadable | None = None  # reading stopped after this block
    # A kind that reads its rows itself (`ImportKind.read_rows`): what it made of them,
    # and the first and last line they came from. `rows` is then empty.
    read: Any = None
    lines: tuple[int, int] = (1, 1)


_END = object()
SWITCH_INTERVAL = 0.0005  # seconds
REQUIRED_CELL_EMPTY = "This column is required but the cell is empty."


class BlockParser:
    """Iterates over the file's `ParsedBlock`s, parsed on a thread of its own.

    Use as a context manager: leaving it (normally or on an error in the writer)
    stops the thread and waits for it. An unexpected error in a parser is raised in
    the iterating thread, as if parsing had happened there.
    """

    def __init__(
        self,
        importer: ImportKind,
        records: Iterator[tuple[int, list[str]]],
        columns: list[ColumnAt],
    ) -> None:
        self.importer = importer
        self.records = records
        self.columns = columns
        self.skips = type(importer).skips is not ImportKind.skips
        self._queue: queue.Queue = queue.Queue(maxsize=2)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="import-parser", daemon=True)

    def __enter__(self) -> "BlockParser":
        # The writer gives up the interpreter at every query and needs it back the moment
        # the answer comes; by default it could wait 5 ms for the parser to let go, a few
        # times per block. Handing over every 0.5 ms costs the parser next to nothing.
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._switch_interval, SWITCH_INTERVAL))
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stopping.set()
        while self._thread.is_alive():
            with contextlib.suppress(queue.Empty):  # room, should the thread wait to hand over
                self._queue.get(timeout=0.05)
        self._thread.join()
        sys.setswitchinterval(self._switch_interval)

    def __iter__(self) -> Iterator[ParsedBlock]:
        while True:
            item = self._queue.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def _run(self) -> None:
        try:
            with connections["default"].execute_wrapper(_no_queries):
                self._parse_blocks()
        except BaseException as error:  # handed to the iterating thread, raised there
            self._put(error)
        finally:
            connections.close_all()  # this thread's own, should a parser have opened one
            self._put(_END)

    def _parse_blocks(self) -> None:
        if self.importer.reads_rows:
            self._read_blocks()
            return
        block = ParsedBlock()
        block_size = self.importer.block_size
        try:
            for line, cells in self.records:
                if self._stopping.is_set():
                    return
                block.rows_read += 1
                self._parse_row(block, line, cells)
                if len(block.rows) >= block_size:
                    block.is_full = True
                    self._put(block)
                    block = ParsedBlock()
        except Unreadable as error:
            block.unreadable = error
        self._put(block)

    def _read_blocks(self) -> None:
        """The blocks of a kind that reads its rows itself: its records handed over a
        block at a time, without a call per cell."""
        positions = {column.name: index for column, index in self.columns}
        block_size = self.importer.block_size
        records: list[tuple[int, list[str]]] = []
        unreadable = None
        try:
            for record in self.records:
                records.append(record)
                if len(records) >= block_size:
                    if self._stopping.is_set():
                        return
                    self._put(self._read_block(records, positions, is_full=True))
                    records = []
        except Unreadable as error:
            unreadable = error
        block = self._read_block(records, positions, is_full=False)
        block.unreadable = unreadable
        self._put(block)

    def _read_block(
        self, records: list[tuple[int, list[str]]], positions: dict[str, int | None], is_full: bool
    ) -> ParsedBlock:
        block = ParsedBlock(rows_read=len(records), is_full=is_full)
        if records:
            block.lines = (records[0][0], records[-1][0])
            errors = block.errors
            block.read = self.importer.read_rows(
                records,
                positions,
                lambda line, column, message: errors.append(RowError(line, column, message)),
            )
        return block

    def _parse_row(self, block: ParsedBlock, line: int, cells: list[str]) -> None:
        texts = {
            column.name: (cells[index].strip() if index < len(cells) else "")
            for column, index in self.columns
            if index is not None  # an optional column the file does not have says nothing
        }
        if self.skips and self.importer.skips(texts):
            block.skipped += 1
            return
        values: dict[str, Any] = {}
        in_error: list[str] = []
        for column, _index in self.columns:
            text = texts.get(column.name)
            if text is None:
                continue
            values[column.name] = None
            if not text:
                if column.required:
                    block.errors.append(RowError(line, column.name, REQUIRED_CELL_EMPTY))
                    in_error.append(column.name)
                continue
            control = control_character(text)
            if control:
                block.errors.append(RowError(line, column.name, control))
                in_error.append(column.name)
                continue
            try:
                values[column.name] = column.parse(text)
            except ValidationError as error:
                block.errors.extend(RowError(line, column.name, m) for m in error.messages)
                in_error.append(column.name)
        if in_error:
            # Still handed to the batch service, which checks the rest of it: every
            # problem of a row is found in one pass, not one more with each upload.
            block.rows.append((line, RowInError(values, columns_in_error=frozenset(in_error))))
            block.rows_in_error += 1
        else:
            block.rows.append((line, values))

    def _put(self, item) -> None:
        while True:
            try:
                self._queue.put(item, timeout=0.05)
                return
            except queue.Full:
                if self._stopping.is_set() and item is not _END:
                    return


def _no_queries(execute, sql, params, many, context):
    raise RuntimeError(
        "A column parser queried the database: parsers run on the import's reading "
        "thread; load what they need in ImportKind.prepare()."
    )


# Line breaks and tabs may stand in a cell (an address); no other control character may.
_ALLOWED_CONTROLS = frozenset("\t\n\r")


def control_character(text: str) -> str:
    """The message for a cell holding a control character (a NUL byte, an escape), else ""."""
    if text.isprintable():  # the usual case, in one pass
        return ""
    for character in text:
        if character in _ALLOWED_CONTROLS:
            continue
        if unicodedata.category(character) == "Cc":
            return (
                f"The cell holds a control character (U+{ord(character):04X}). "
                "Remove it and import the file again."
            )
    return ""
