"""The citation check on claim and publication pages (`kg.views.citation_check`).

A claim page shows, for each work the claim cites, what that work itself reports in the
graph and the verdict; a publication page shows it for the claims the work makes that cite
others, and for the claims that cite the work. "The cited source does not state this" is
flagged in red.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _shared as S
from kg import views as V

__all__ = ["check_html", "citation_check_section"]

_CLASS = {V.SUPPORTED: "#1a7f37", V.NOT_STATED: "#b3261e", V.NOT_CHECKABLE: "#666"}


def check_html(check: V.CitationCheck, *, with_claim: bool = True) -> str:
    """Return one claim's citation check as HTML (every value escaped).

    Parameters
    ----------
    check : kg.views.CitationCheck
        The claim and its cited works.
    with_claim : bool
        Start with the claim's name, quote and locator (False on the claim's own page).

    Returns
    -------
    str
    """
    parts = []
    if with_claim:
        parts.append(f"<b>{S.link(check.claim_id, check.name)}</b>"
                     + (f"<blockquote style='margin:0.2em 0'>“{S.esc(check.quote)}”"
                        f"</blockquote>" if check.quote else "")
                     + f"<small>locator: {S.esc(check.locator)} · level "
                       f"{S.esc(check.evidence_level)}</small>")
    for w in check.cited:
        colour = _CLASS.get(w.verdict, "#666")
        rows = [f"<li>{S.link(f['id'], V.figure_text(f))}"
                + (f" <small>[{S.esc(f.get('locator'))}]</small>" if f.get("locator") else "")
                + (" <b>← supports</b>" if f["id"] in w.supporting else "") + "</li>"
                for f in w.figures]
        rows += [f"<li>claim: {S.link(c['id'], c.get('name') or c['id'])} <small>(level "
                 f"{S.esc(c.get('evidence_level') or '?')})</small>"
                 + (" <b>← supports</b>" if c["id"] in w.supporting else "") + "</li>"
                 for c in w.claims]
        parts.append(
            f"<div style='margin:0.3em 0 0.6em 0'>Cites "
            f"{S.link(w.id, w.reference.short or w.id)} "
            f"<b style='color:{colour}'>— {S.esc(w.verdict_text)}</b>"
            + (f"<br><small>What {S.esc(w.reference.short)} reports in the graph:</small>"
               f"<ul style='margin:0'>{''.join(rows)}</ul>" if rows else "") + "</div>")
    return "".join(parts)


def citation_check_section(g: S.Graph, *, claim_id: str | None = None,
                           publication_id: str | None = None) -> None:
    """Draw the citation check of a claim page or a publication page (nothing if none).

    Parameters
    ----------
    g : app_pages._shared.Graph
        The graph of this run.
    claim_id : str, optional
        On a claim page: that claim.
    publication_id : str, optional
        On a publication page: the work.

    Returns
    -------
    None
    """
    if claim_id:
        checks = [c for c in g.cached(V.citation_check, claims=[claim_id]) if c.cited]
        if checks:
            st.subheader("Citation check")
            st.caption("What each work this claim cites reports in the graph, and whether it "
                       "supports the claim.")
            S.html_block(check_html(checks[0], with_claim=False))
        return
    if not publication_id:
        return
    made = [c for c in g.cached(V.citation_check, by=publication_id) if c.cited]
    citing = g.cached(V.citation_check, cited=publication_id)
    if not (made or citing):
        return
    st.subheader("Citation check")
    if made:
        flagged = sum(c.flagged for c in made)
        st.caption(f"{len(made)} claim(s) made in this work cite other works"
                   + (f"; for {flagged}, the cited source does not state it." if flagged
                      else "."))
        for c in made:
            with st.container(border=True):
                S.html_block(check_html(c))
    if citing:
        st.caption(f"{len(citing)} claim(s) cite this work for their support; beside each, "
                   "what this work reports in the graph.")
        for c in citing:
            with st.container(border=True):
                S.html_block(check_html(c))
