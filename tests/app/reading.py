"""What an AppTest run shows, read back as a reader sees it: the page tests' shared helpers.

The pages write data text with its markup characters as character references
(`app_pages._shared.esc`), and break shortcodes and autolinks with a word joiner (U+2060);
`seen` and `shown` read the elements of a run back into the text on the screen.
"""

from __future__ import annotations

import html

__all__ = ["ok", "blocks", "markdown_html", "seen", "notices", "shown"]


def ok(at) -> None:  # noqa: ANN001
    """Assert that the run shows no exception and no error box."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def blocks(at) -> list:  # noqa: ANN001
    """The page's Markdown and HTML blocks in page order, without the app's stylesheet.

    Pages write text with ``st.markdown`` and the markup they build with ``st.html``
    (`app_pages._shared.html_block`); a test reads both, as a reader sees them in turn.
    """
    from app_pages._layout import STYLE

    return [e for e in at if e.type in ("markdown", "html")
            and str(e.value).strip() != STYLE.strip()]


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
