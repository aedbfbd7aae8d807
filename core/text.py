"""How values are quoted in messages to people."""

from .rules import has_hidden_character, is_hidden

_QUOTED_MAX = 60
# Shown as what they are, spaces between words: an address quoted from a cell has them.
_LAYOUT = frozenset("\t\n\r")


def quoted(text: str) -> str:
    """The value as shown in a message: in curly quotes, long values shortened, and other
    hidden characters (`core.rules`) written as their code, `[U+202E]`: a message quoting
    what a file says never displays otherwise than it reads, nor hides why a value is
    unknown."""
    if has_hidden_character(text):
        text = "".join(
            f"[U+{ord(c):04X}]" if is_hidden(c) and c not in _LAYOUT else c for c in text
        )
    if len(text) > _QUOTED_MAX:
        text = text[: _QUOTED_MAX - 1] + "…"
    return f"“{text}”"
