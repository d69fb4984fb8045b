"""Hostile URL parameters and data text in AppTest: shown as text, explained, never raised.

A URL is anyone's to write: a NUL in an id, HTML, Markdown links and images, Streamlit's own
directives. Each must come back as the usual yellow notice or as plain text: no exception
box, no error box, and no markup built from it (the Markdown sent to the browser holds the
value only as character references). The same holds for text from the data files: a drug
named like an HTML tag is shown as that text (see ``test_browser_hostile.py`` for the real
browser).
"""

from __future__ import annotations

import html

import pytest

from app_pages._shared import control_char, esc
from tests.app.conftest import blocks

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "[link](https://evil.example/l)",
    "![img](https://evil.example/x.png)",
    ":material/home: :red[red] $x^2$ **bold** `code` www.evil.example a@evil.example",
]


def _markdown_values(at) -> list[str]:  # noqa: ANN001
    out = [m.value for m in blocks(at)] + [c.value for c in at.caption]
    out += [x.value for x in at.warning] + [x.value for x in at.info] + [x.value for x in
                                                                          at.error]
    return [str(v) for v in out]


def _shown(at) -> str:  # noqa: ANN001
    return html.unescape("\n".join(_markdown_values(at))).replace("\u2060", "")


def _ok(at) -> None:  # noqa: ANN001
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _no_markup_from(payload: str, at) -> None:  # noqa: ANN001
    for value in _markdown_values(at):
        for piece in ("<script", "<img", "](", "![", ":material/", ":red[", "https://evil",
                      "www.evil", "a@evil", "**bold**", "`code`", "$x^2$"):
            if piece in payload:
                assert piece not in value, (piece, value[:300])


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("page, param", [("search", "q"), ("references", "q"),
                                         ("entity", "id"), ("graph", "id")])
def test_url_text_is_shown_as_text(run_page, page, param, payload):
    at = run_page(page, **{param: payload})
    _ok(at)
    _no_markup_from(payload, at)
    if page in ("search", "references", "entity"):  # the graph page falls back to its default
        assert payload in _shown(at)


@pytest.mark.parametrize("page, params", [
    ("entity", {"id": "drug:alectinib\x00"}),
    ("search", {"q": "alectinib\x00"}),
    ("references", {"q": "Gainor\x00"}),
    ("graph", {"id": "drug:alectinib\x00", "depth": "2"}),
    ("matrix", {"variant": "ALK:p.G1202R\x00", "drug": "drug:alectinib"}),
    ("trials", {"trial": "JapicCTI-132316\x1b", "endpoint": "PFS"}),
    ("home", {"source": "curated\x00"}),
])
def test_a_control_character_in_the_url_gets_the_yellow_notice(run_page, page, params):
    at = run_page(page, **params)
    _ok(at)
    notices = " ".join(w.value for w in at.warning)
    assert "Ignored" in notices and "control character U+00" in notices, notices


def test_escaping_helpers():
    assert esc("a\nb") == "a&#10;b" and esc(None) == ""
    assert esc("1 of 3: ok") == "1 of 3: ok"  # stays readable
    assert esc(":material/home: :red[x] drug:red") == (
        "&#58;material/home: &#58;red&#91;x&#93; drug&#58;red")
    assert html.unescape(esc(PAYLOADS[4])).replace("\u2060", "") == PAYLOADS[4]
    assert control_char("x\x00") == "U+0000" and control_char("naïve – text") is None


def test_deeply_nested_json_in_console_parameters_is_explained(run_page):
    at = run_page("console", q="MATCH (n) RETURN n LIMIT 1", params="[" * 5000)
    assert not at.exception, [e.value for e in at.exception]
    assert any("not JSON" in html.unescape(c.value) for c in at.code) or at.error
