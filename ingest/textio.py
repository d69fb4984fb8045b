"""Text checks every source shares: strict UTF-8 with the line of a bad byte, and no control
characters (so `kg validate` refuses whatever would break `kg build` or a display)."""

from __future__ import annotations

import re

from kg.schema.errors import IngestError, InputProblem

__all__ = ["BAD_CHARS", "bad_char", "decode_utf8", "first_bad_char"]

#: Characters refused in every text source: C0 controls but tab, line feed and carriage
#: return; DEL; C1 controls; lone surrogates; the non-characters U+FFFE and U+FFFF.
BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def bad_char(text: str) -> str | None:
    """Describe the first control character in `text`, or return None when there is none.

    Parameters
    ----------
    text : str

    Returns
    -------
    str or None
        E.g. ``'control character U+0000 (NUL)'``.

    Examples
    --------
    >>> bad_char("fine\\ttext"), bad_char("a\\x00b")
    (None, 'control character U+0000 (NUL)')
    """
    m = BAD_CHARS.search(text)
    if m is None:
        return None
    c = ord(m.group())
    names = {0: "NUL", 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL"}
    kind = ("lone surrogate" if 0xD800 <= c <= 0xDFFF else
            "non-character" if c in (0xFFFE, 0xFFFF) else "control character")
    return f"{kind} U+{c:04X}" + (f" ({names[c]})" if c in names else "")


def decode_utf8(data: bytes, shown: str) -> str:
    """Decode a file's bytes as strict UTF-8, or raise naming the byte and its line.

    Parameters
    ----------
    data : bytes
        The file's contents.
    shown : str
        The file name used in the message.

    Returns
    -------
    str
        The text, without a leading byte-order mark.

    Raises
    ------
    IngestError
        The bytes are not UTF-8; the problem names the line and the offending byte.

    Examples
    --------
    >>> try:
    ...     decode_utf8(b"a: 1\\nb: \\xff\\n", "x.yaml")
    ... except IngestError as exc:
    ...     print(exc.problems[0])
    x.yaml:2: byte 0xff (column 4) is not valid UTF-8; re-save the file as UTF-8
    """
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        pos = exc.start
        line = data.count(b"\n", 0, pos) + 1
        col = pos - (data.rfind(b"\n", 0, pos) + 1) + 1
        raise IngestError(InputProblem(
            shown, line, f"byte 0x{data[pos]:02x} (column {col}) is not valid UTF-8; re-save "
            "the file as UTF-8")) from None


def first_bad_char(text: str, shown: str) -> InputProblem | None:
    """Return a problem naming the line of the first control character in `text`, or None.

    Parameters
    ----------
    text : str
        A whole file's text.
    shown : str
        The file name used in the message.

    Returns
    -------
    InputProblem or None

    Examples
    --------
    >>> str(first_bad_char("ok\\nno\\x07\\n", "f.bib"))
    'f.bib:2: control character U+0007 in the text (column 3); remove it'
    """
    m = BAD_CHARS.search(text)
    if m is None:
        return None
    line = text.count("\n", 0, m.start()) + 1
    col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
    return InputProblem(shown, line, f"{bad_char(m.group())} in the text (column {col}); "
                        "remove it")
