"""Values from the data or the URL, written so that they show as text: `esc` and `attr`.

Every value from the data or the URL goes through `esc` before it reaches Markdown or HTML
(STYLE.md, non-negotiable 4): markup characters become character references, autolinks and
Streamlit's shortcodes are broken. `attr` escapes a value for an HTML attribute, and
`attr_text` text from the data or the URL that an attribute holds for the reader to read or
edit (a form's box).
"""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = ["esc", "attr", "attr_text"]

#: Characters that can start HTML or Markdown (links, images, emphasis, code, math,
#: Streamlit's :colour[...] directives), written as character references.
_MARKUP = {**{c: f"&#{ord(c)};" for c in "\\`*_[]!~$#|{}^\n\r\t"},
           "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
_TABLE = str.maketrans(_MARKUP)
#: A colon before a letter: Streamlit reads ``:red[...]``, ``:red`` alone, ``:blue-badge[...]``
#: and ``:material/home:`` anywhere, even inside a word (``drug:red`` loses its "red").
_SHORTCODE = re.compile(r":(?=[A-Za-z/])")
#: Where a GFM autolink literal would begin (http://, https://, www., e-mail): a WORD JOINER
#: (U+2060, invisible) is put there so the text is not turned into a link.
_AUTOLINK = re.compile(r"(?i)(?<=http)(?=:)|(?<=https)(?=:)|(?<=www)(?=\.)|(?=@)"
                       r"|(?<=mailto)(?=:)|(?<=xmpp)(?=:)")


def esc(text: Any) -> str:
    """Escape any value for HTML and Markdown alike: it shows as plain text (None gives '').

    Use it for every value from the data or the URL, in `html_block` markup and in any
    Streamlit call whose text is Markdown (``st.markdown``, ``st.caption``, ``st.warning``,
    widget labels ...). Characters that start markup become character references, line breaks
    do not start new blocks, URLs and e-mail addresses do not become links, and a colon
    before a letter (Streamlit's ``:red[...]`` and ``:material/home:``) is a character
    reference. Mid-line text only: a value at the very start of a Markdown block could still
    begin a list (``1. ``).

    Parameters
    ----------
    text : object
        Shown as text, never as markup.

    Returns
    -------
    str

    Examples
    --------
    >>> esc("[x](https://evil.example) <b> :material/home: drug:red")
    '&#91;x&#93;(https\\u2060&#58;//evil.example) &lt;b&gt; &#58;material/home: drug&#58;red'
    """
    s = _AUTOLINK.sub("\u2060", str(text if text is not None else ""))
    s = s.translate(_TABLE)
    return _SHORTCODE.sub("&#58;", s)


def attr(text: Any) -> str:
    """Escape a value for an HTML attribute in double quotes (an ``href``, a ``title``).

    Parameters
    ----------
    text : object
        The attribute's value (None gives '').

    Returns
    -------
    str

    Examples
    --------
    >>> attr('entity?id=a"b&c')
    'entity?id=a&quot;b&amp;c'
    """
    return html.escape(str(text if text is not None else ""), quote=True)


def attr_text(text: Any) -> str:
    """Write text from the data or the URL as an attribute value (a form box's ``value``).

    Every character but letters, digits, spaces, hyphens and commas becomes a numeric
    character reference, which the browser reads back as the same character: the box shows
    and sends exactly the text, and the markup sent holds no piece of HTML, Markdown or a
    link written out (the rule `esc` keeps for text, without its invisible joiners).

    Parameters
    ----------
    text : object
        The value (None gives '').

    Returns
    -------
    str

    Examples
    --------
    >>> attr_text('[x](https://e.example) "G1202R"')
    '&#91;x&#93;&#40;https&#58;&#47;&#47;e&#46;example&#41; &#34;G1202R&#34;'
    >>> import html; html.unescape(attr_text("a<b>&c ü")) == "a<b>&c ü"
    True
    """
    return "".join(c if c.isalnum() or c in " -," else f"&#{ord(c)};"
                   for c in str(text if text is not None else ""))
