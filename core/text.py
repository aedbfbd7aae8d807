"""How values are quoted in messages to people."""

_QUOTED_MAX = 60


def quoted(text: str) -> str:
    """The value as shown in a message: in curly quotes, long values shortened."""
    if len(text) > _QUOTED_MAX:
        text = text[: _QUOTED_MAX - 1] + "…"
    return f"“{text}”"
