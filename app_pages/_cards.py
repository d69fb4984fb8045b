"""Links, references and claim cards as HTML built from escaped values.

In-app links carry the settings (`app_pages._params.sticky`); every value from the
data goes through `esc` / `attr` (`app_pages._text`); `html_block` renders the markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import streamlit as st

from app_pages._basket import add_button
from app_pages._params import sticky, with_sticky
from app_pages._style import LABEL_COLOURS, PAGES, entity_href
from app_pages._text import attr, attr_text, esc
from kg import views as V

__all__ = ["badge", "link", "ext", "html_block", "section", "reference_html", "claim_html",
           "claim_box", "cards_html", "form_html"]


def badge(label: str) -> str:
    """Return a node label as a badge in its colour (`LABEL_COLOURS`).

    Parameters
    ----------
    label : str
        A node label.

    Returns
    -------
    str
        An HTML ``<span>``; the label is escaped.
    """
    colour = LABEL_COLOURS.get(label, "#888")
    return (f'<span style="background:{attr(colour)};color:#fff;border-radius:0.4em;'
            f'padding:0.05em 0.45em;font-size:0.78em;white-space:nowrap">{esc(label)}</span>')


def link(node_id: str, text: str | None = None) -> str:
    """Return an in-app link to a node's entity page (same tab).

    Parameters
    ----------
    node_id : str
        The node's id.
    text : str, optional
        The link text (default the id); escaped.

    Returns
    -------
    str
        An HTML ``<a>`` to `entity_href` of the id, carrying the settings
        (`sticky`).
    """
    return (f'<a href="{attr(with_sticky(entity_href(node_id)))}">'
            f'{esc(text if text is not None else node_id)}</a>')


def ext(url: str | None, text: str) -> str:
    """Return an external link (new tab), or '' without a URL.

    Parameters
    ----------
    url : str or None
        Where it goes.
    text : str
        The link text; escaped.

    Returns
    -------
    str
    """
    if not url:
        return ""
    return f'<a href="{attr(url)}" target="_blank" rel="noopener noreferrer">{esc(text)}</a>'


def html_block(markup: str, where: Any = None) -> None:
    """Render markup built from escaped values (in `where`, default the main area).

    It goes through ``st.html`` (sanitised by DOMPurify, then set as the element's HTML),
    not ``st.markdown``: the browser's Markdown pipeline re-parses every tag into React
    elements, which made large tables and claim lists take most of a page's load time
    (docs/browser-speed.md). Empty markup shows nothing.

    Parameters
    ----------
    markup : str
        HTML whose every data value went through `esc`.
    where : container, optional
        A column or container; default the page's main area.

    Returns
    -------
    None
    """
    if not markup.strip():
        return
    if "<" not in markup:  # st.html would check a tagless string as a file path
        markup = f"<span>{markup}</span>"
    (where or st).html(markup)


def section(heading: str = "", body: str = "", *, caption: str = "", level: int = 3,
            where: Any = None) -> None:
    """Draw a heading, its caption and its body as one element.

    Every Streamlit element costs the browser about 3.5 ms before a page shows anything (a
    page's elements are drawn together), so a page's sections are one ``st.html`` each rather
    than a subheader, a caption and a block (docs/browser-speed.md). The heading looks like
    ``st.subheader`` (``level`` 3; ``h1.kg-page-title`` for a page title, ``h4`` for a
    group) and the caption like ``st.caption`` (styles in `app_pages._layout.STYLE`).

    Parameters
    ----------
    heading : str, optional
        The heading's HTML (every data value through `esc`); none when empty.
    body : str, optional
        The section's HTML.
    caption : str, optional
        A caption under the heading, as HTML.
    level : {1, 3, 4}, optional
        The heading's level.
    where : container, optional
        A column or container; default the page's main area.

    Returns
    -------
    None
    """
    html_block(section_html(heading, body, caption=caption, level=level), where)


def section_html(heading: str = "", body: str = "", *, caption: str = "",
                 level: int = 3, later: bool = False) -> str:
    """Return a section's markup (as `section` draws it) to join with others in one element.

    Consecutive sections of a page, with no widget between them, go out as one
    ``st.html``: every element costs the browser's first drawing (docs/browser-speed.md).

    Parameters
    ----------
    heading, body, caption, level
        As for `section`.
    later : bool, optional
        The section is below the page's first screen: wrap it in `later_html`, so the
        browser lays it out and paints it when it is scrolled near, not before the page's
        first drawing.

    Returns
    -------
    str

    Examples
    --------
    >>> section_html("CNS endpoints", "<p>x</p>", caption="Open a figure")
    "<h3 class='kg-h'>CNS endpoints</h3><p class='kg-caption'>Open a figure</p><p>x</p>"
    >>> section_html("Claims", "<p>x</p>", later=True)
    "<div class='kg-later'><h3 class='kg-h'>Claims</h3><p>x</p></div>"
    """
    cls = "kg-page-title" if level == 1 else "kg-h"
    out = ((f"<h{level} class='{cls}'>{heading}</h{level}>" if heading else "")
           + (f"<p class='kg-caption'>{caption}</p>" if caption else "") + body)
    return later_html(out) if later else out


def later_html(markup: str) -> str:
    """Return `markup` in a box the browser lays out and paints only when it is near the
    screen (CSS ``content-visibility: auto``, app_pages/_layout.py).

    For the parts of a long page below its first screen (the drug page's): the page is drawn
    sooner, and what is further down costs nothing until it is scrolled near. The text is in
    the document all along and prints (tested); the CSS specification keeps it for find in
    page and assistive technology; ``innerText`` leaves it out until it is drawn
    (docs/browser-speed.md, "Eighth pass").

    Examples
    --------
    >>> later_html("<p>x</p>")
    "<div class='kg-later'><p>x</p></div>"
    """
    return f"<div class='kg-later'>{markup}</div>"


def choice_links(choices: Iterable[tuple[str, str]], current: str,
                 href: Callable[[str], str], *,
                 title: Callable[[str], str] | None = None) -> str:
    """Return a row of choices as links, the current one in bold and not a link.

    The pages' choices that only change what is shown (a trial, an endpoint, a page of
    works) are links rather than widgets: every widget costs each page load
    (docs/browser-speed.md).

    Parameters
    ----------
    choices : iterable of (str, str)
        (value, text shown) in order; the text is escaped here.
    current : str
        The chosen value.
    href : callable
        Value -> the link's URL.
    title : callable, optional
        Value -> a tooltip ('' for none).

    Returns
    -------
    str
        The links joined by `` · ``.

    Examples
    --------
    >>> choice_links([("PFS", "PFS"), ("OS", "OS")], "PFS", lambda v: "trials?endpoint=" + v)
    "<b>PFS</b> · <a href='trials?endpoint=OS'>OS</a>"
    """
    out = []
    for value, text in choices:
        if value == current:
            out.append(f"<b>{esc(text)}</b>")
            continue
        tip = title(value) if title else ""
        out.append(f"<a href='{attr(href(value))}'" + (f" title='{attr(tip)}'" if tip else "")
                   + f">{esc(text)}</a>")
    return " · ".join(out)


def form_html(page: str, name: str, label: str, *, value: str = "", placeholder: str = "",
              button: str = "Search") -> str:
    """Return a form of one text box that opens `page` with ``<name>=<the text>``.

    A plain HTML form (``method="get"``) in a page's one element, instead of a Streamlit text
    box: a widget cost each page load about 35 ms of the browser's work before it showed
    anything (docs/browser-speed.md, "Seventh pass"). Served by ``serve.py``, the in-app
    script (`app_pages._base_url.IN_APP_LINKS`) opens the result in the same session, as it
    does for links, leaving out empty fields; otherwise the browser loads it afresh. The
    settings (`app_pages._params.sticky`) ride along as hidden fields.

    Parameters
    ----------
    page : str
        The page the form opens (a key of `app_pages._style.PAGES`).
    name : str
        The query parameter the box fills.
    label : str
        The box's label (text).
    value, placeholder : str, optional
        The box's text, and its hint when empty (text).
    button : str, optional
        The submit button's text.

    Returns
    -------
    str

    Examples
    --------
    >>> out = form_html("search", "q", "Search", value='"G1202R"')
    >>> out.startswith('<form class="kg-form" action="search" method="get" role="search">')
    True
    >>> 'name="q" value="&#34;G1202R&#34;"' in out
    True
    """
    fid = f"kg-form-{page}-{name}"
    hidden = "".join(f'<input type="hidden" name="{attr(k)}" value="{attr_text(v)}">'
                     for k, v in sticky().items())
    return (f'<form class="kg-form" action="{attr(PAGES[page][3])}" method="get" '
            f'role="search"><label for="{attr(fid)}">{esc(label)}</label>'
            f'<div class="kg-form-row"><input id="{attr(fid)}" type="search" '
            f'name="{attr(name)}" value="{attr_text(value)}" '
            f'placeholder="{attr_text(placeholder)}" '
            f'autocomplete="off"><button type="submit">{esc(button)}</button></div>'
            f"{hidden}</form>")


def note_html(text: str) -> str:
    """Return a short notice ("No CNS figures for this selection.") inside a section's markup.

    It looks like ``st.info`` but joins the section's element (`section_html`).

    Parameters
    ----------
    text : str
        HTML (every data value through `esc`).

    Returns
    -------
    str
    """
    return f"<div class='kg-note'>{text}</div>"


def reference_html(ref: V.Reference, *, locator: str | None = None,
                   own_page: bool = True) -> str:
    """Return a formatted reference with its DOI/PubMed links and (unless `own_page`) its page.

    Parameters
    ----------
    ref : kg.views.Reference
        The reference.
    locator : str, optional
        Where in the work (page, figure, table), shown after the reference.
    own_page : bool
        Link the publication's own page in the browser (False on that page itself).

    Returns
    -------
    str
        HTML, every value escaped.
    """
    links = " · ".join(x for x in (
        ext(ref.doi_url, "DOI"), ext(ref.pmid_url, "PubMed"),
        ext(ref.url, "link") if ref.url and ref.url not in (ref.doi_url, ref.pmid_url) else "",
        link(ref.pub_id, "publication page") if ref.pub_id and own_page else "") if x)
    loc = f" — <b>locator:</b> {esc(locator)}" if locator else ""
    return f"{esc(ref.text)}{loc}" + (f" [{links}]" if links else "")


_DIRECTION = {"supports": ("#1a7f37", "supports"),
              "does_not_support": ("#cf222e", "does not support")}


def _entities(items: Sequence[dict[str, Any]]) -> str:
    return ", ".join(link(x["id"], x.get("name") or x["id"]) for x in items if x.get("id"))


def claim_html(card: V.ClaimCard, role: str | None = None) -> str:
    """Return one claim as HTML: statement, direction, level, source, reference, quote.

    Parameters
    ----------
    card : kg.views.ClaimCard
        The claim.
    role : str, optional
        The role the page's entity plays in it (e.g. ``'subject'``).

    Returns
    -------
    str
        HTML, every value escaped: ``<div class='kg-claim'>`` whose parts are lines of their
        own by its style (no ``<br>`` between them: every element costs the page's first
        drawing; docs/browser-speed.md).
    """
    colour, direction = _DIRECTION.get(card.direction, ("#666", card.direction or "?"))
    src = "CIViC" if card.source == "civic" else "curated"
    head = (f"<b>{esc(card.name)}</b>"
            f"<small>{_entities(card.subjects) or '?'} <i>{esc(V.humanize(card.predicate))}"
            f"</i> {_entities(card.objects) or ''} · <b style='color:{colour}'>{esc(direction)}</b>"
            " · evidence level "
            f"<b>{esc(card.level_text)}</b> · {esc(src)}"
            + (f" · this page's role: {esc(role)}" if role else "")
            + f" · {link(card.id, 'claim page')}</small>")
    parts = [head]
    if card.quote:
        parts.append(f"<blockquote style='margin:0.3em 0'>“{esc(card.quote)}”</blockquote>")
    parts.append(f"<small><b>Reference:</b> {reference_html(card.reference, locator=card.locator)}"
                 "</small>")
    if card.source == "civic" and (card.source_url or card.source_record_id):
        record = (ext(card.source_url, card.source_record_id or "record")
                  or esc(card.source_record_id))
        parts.append(f"<small>CIViC record: {record}"
                     + "".join(f" · {esc(k.replace('_', ' '))}: {esc(v)}" for k, v in card.extra)
                     + "</small>")
    if card.cited:
        parts.append("<small>cites for support: " + "; ".join(
            (link(r.pub_id, r.short) if r.pub_id else esc(r.short))
            + (f" ({ext(r.best_url, 'source')})" if r.best_url else "")
            for r in card.cited) + "</small>")
    if card.outcomes:
        parts.append("<small>rests on: " + "; ".join(
            link(o["id"], f"{o.get('name') or o['id']}: {o.get('value_text') or ''}"
                 f"{' ' + o['unit'] if o.get('unit') else ''}")
            for o in card.outcomes) + "</small>")
    if card.conflicts:
        parts.append("<small><b style='color:#b35900'>Conflicting evidence:</b> " + "; ".join(
            link(k["id"], k.get("name") or k["id"]) for k in card.conflicts) + "</small>")
    if card.statement:
        label = "CIViC evidence statement" if card.source == "civic" else "Curator's note"
        if len(card.statement) > 240:
            parts.append(f"<details><summary><small>{label}</small></summary>"
                         f"<small style='color:#666'>{esc(card.statement)}</small></details>")
        else:
            parts.append(f"<small style='color:#666'>{label}: {esc(card.statement)}</small>")
    return "<div class='kg-claim'>" + "".join(parts) + "</div>"


def claim_box(card: V.ClaimCard, role: str | None = None) -> None:
    """Render a claim card in a bordered container.

    Parameters
    ----------
    card : kg.views.ClaimCard
        The claim.
    role : str, optional
        The role the page's entity plays in it.

    Returns
    -------
    None
    """
    with st.container(border=True):
        html_block(claim_html(card, role))
        add_button(card.id, key=f"add:{card.id}:{role or ''}")  # the tumour-board basket


def cards_html(cards: Sequence[V.ClaimCard], roles: Sequence[str | None] = ()) -> str:
    """Return claim cards as HTML, each in a bordered box (`claim_html`).

    Parameters
    ----------
    cards : sequence of kg.views.ClaimCard
        The claims, in the order shown.
    roles : sequence of str or None, optional
        The role the page's entity plays in each claim; none by default.

    Returns
    -------
    str
    """
    roles = list(roles) or [None] * len(cards)
    return "".join(f"<div class='kg-card'>{claim_html(c, r)}</div>"
                   for c, r in zip(cards, roles, strict=True))

