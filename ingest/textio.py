"""Text checks every source shares: strict UTF-8 with the line of a bad byte, and no control
characters (so `kg validate` refuses whatever would break `kg build` or a display).

Which characters are refused, and how a message names one (`BAD_CHARS`, `bad_char`), is the
rule of `kg.schema.text`, shared with the app pages; it is imported here so that the
adapters keep importing it from this module."""

from __future__ import annotations

from kg.schema.errors import IngestError, InputProblem
from kg.schema.text import BAD_CHARS, bad_char

__all__ = ["BAD_CHARS", "bad_char", "decode_utf8", "first_bad_char"]


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
