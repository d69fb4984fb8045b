"""Which characters no text of the graph may hold, and how a message names one.

One rule for both ends: the sources refuse such a character in their input
(`ingest.textio`, so that ``kg validate`` refuses whatever would break ``kg build`` or a
display), and the pages ignore a URL parameter that holds one (`app_pages._shared`). The rule
lives here, in ``kg.schema``, because it is a rule of the text a record may carry and because
this is the one layer both may import: ``ingest/`` imports nothing of ``kg`` but
``kg.schema``, and the app pages import ``kg`` (tests/test_layers.py).
"""

from __future__ import annotations

import re

__all__ = ["BAD_CHARS", "bad_char", "control_char"]

#: Characters refused in every text: C0 controls but tab, line feed and carriage return;
#: DEL; C1 controls; lone surrogates; the non-characters U+FFFE and U+FFFF.
BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NAMES = {0: "NUL", 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL"}


def control_char(text: str) -> str | None:
    """Name the code point of the first refused character in `text` (``'U+0000'``), or None.

    The pages say it so in their notices.

    Parameters
    ----------
    text : str
        A URL parameter's value, or any text.

    Returns
    -------
    str or None

    Examples
    --------
    >>> control_char("drug:alectinib\\x00"), control_char("ok")
    ('U+0000', None)
    """
    m = BAD_CHARS.search(text)
    return f"U+{ord(m.group()):04X}" if m else None


def bad_char(text: str) -> str | None:
    """Describe the first refused character in `text`: its kind, code point and common name.

    The sources say it so in their problems (`ingest.textio`).

    Parameters
    ----------
    text : str
        A cell, a value or a whole file's text; tab, line feed and carriage return are
        allowed.

    Returns
    -------
    str or None
        E.g. ``'control character U+0000 (NUL)'``, ``'lone surrogate U+D800'`` or
        ``'non-character U+FFFE'``; None when the text holds none.

    Examples
    --------
    >>> bad_char("fine\\ttext"), bad_char("a\\x00b")
    (None, 'control character U+0000 (NUL)')
    """
    m = BAD_CHARS.search(text)
    if m is None:
        return None
    c = ord(m.group())
    kind = ("lone surrogate" if 0xD800 <= c <= 0xDFFF else
            "non-character" if c in (0xFFFE, 0xFFFF) else "control character")
    return f"{kind} U+{c:04X}" + (f" ({_NAMES[c]})" if c in _NAMES else "")
