"""What an AppTest run shows, read back as a reader sees it: the page tests' shared helpers.

The pages write data text with its markup characters as character references
(`app_pages._shared.esc`), and break shortcodes and autolinks with a word joiner (U+2060);
`seen` and `shown` read the elements of a run back into the text on the screen.
"""

from __future__ import annotations

import html
import re

__all__ = ["ok", "blocks", "markdown_html", "seen", "notices", "shown", "headings",
           "popovers"]


def ok(at) -> None:  # noqa: ANN001
    """Assert that the run shows no exception and no error box."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def blocks(at) -> list:  # noqa: ANN001
    """The page's Markdown and HTML blocks in page order, without the stylesheet and page bar.

    Pages write text with ``st.markdown`` and the markup they build with ``st.html``
    (`app_pages._shared.html_block`); a test reads both, as a reader sees them in turn.
    """
    from app_pages._layout import STYLE

    return [e for e in at if e.type in ("markdown", "html")
            and str(e.value).strip() != STYLE.strip()
            and not str(e.value).startswith('<nav class="kg-nav"')]


def markdown_html(at) -> str:  # noqa: ANN001
    """Every Markdown and HTML block of the page, joined (the HTML the pages build)."""
    return "\n".join(str(m.value) for m in blocks(at))


def seen(at) -> str:  # noqa: ANN001
    """The page's HTML with character references read back: the text a reader sees."""
    return html.unescape(markdown_html(at))


def notices(at, *, errors: bool = False) -> list[str]:  # noqa: ANN001
    """The values of the page's Markdown, captions, warnings and infos (and error boxes)."""
    out = [m.value for m in blocks(at)] + [c.value for c in at.caption]
    out += [x.value for x in at.warning] + [x.value for x in at.info]
    if errors:
        out += [x.value for x in at.error]
    return [str(v) for v in out]


def shown(at, *, errors: bool = False) -> str:  # noqa: ANN001
    """`notices` decoded as a reader sees them, without the word joiners."""
    return html.unescape("\n".join(notices(at, errors=errors))).replace("\u2060", "")


_HEADING = re.compile(r"<h([1-4]) class='kg-(?:page-title|h)'[^>]*>(.*?)</h\1>", re.S)
_LEVEL = {"title": 1, "header": 2, "subheader": 3}


def headings(at, level: int | None = None) -> list[str]:  # noqa: ANN001
    """The page's headings in page order, as a reader sees them (optionally of one level).

    Pages draw a section's heading with its body as one HTML element
    (`app_pages._cards.section`: ``h1.kg-page-title``, ``h3.kg-h``, ``h4.kg-h``); a few are
    still ``st.title`` / ``st.subheader`` elements. Both are read, tags stripped.
    """
    out: list[tuple[int, str]] = []
    for e in at:
        if e.type in _LEVEL:
            out.append((_LEVEL[e.type], str(e.value)))
        elif e.type == "html":
            out += [(int(n), html.unescape(re.sub(r"<[^>]+>", "", body)).strip())
                    for n, body in _HEADING.findall(str(e.value))]
    return [text for n, text in out if level is None or n == level]


def popovers(at) -> list[str]:  # noqa: ANN001
    """The labels of the run's popovers, in page order (the frame's settings first)."""
    from streamlit.proto.Block_pb2 import Block as BlockProto

    out: list[str] = []

    def walk(node) -> None:  # noqa: ANN001
        for child in getattr(node, "children", {}).values():
            proto = getattr(child, "proto", None)
            if isinstance(proto, BlockProto) and proto.WhichOneof("type") == "popover":
                out.append(proto.popover.label)
            walk(child)

    walk(at._tree)
    return out
