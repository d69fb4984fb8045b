"""References: one formatter for every citation shown, and the bibliography page's view.

`format_reference` turns a Publication's properties into a Vancouver-style `Reference` with
its DOI and PubMed links; claim cards, entity pages and the bibliography all use it.
`bibliography` lists every work with what in the graph rests on it, and `to_bibtex` writes
works back out as BibTeX (through `kg.exports.bibtex_entry`, the one entry formatter).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from kg.views.base import (
    ASSERTED_IN,
    CITES_SOURCE,
    HIDDEN_PROPS,
    REPORTED_IN,
    Runner,
    humanize,
)

__all__ = ["Reference", "BibItem", "doi_url", "pmid_url", "format_reference", "bibliography",
           "bibliography_page", "to_bibtex"]


def doi_url(doi: str | None) -> str | None:
    """Return the resolver URL of a DOI, or None.

    Parameters
    ----------
    doi : str or None
        A DOI, bare or as ``doi:...`` or a ``doi.org`` URL.

    Returns
    -------
    str or None
        ``https://doi.org/<doi>`` (percent-encoded), None without a DOI.

    Examples
    --------
    >>> doi_url("10.4103/CRST.CRST_72_20")
    'https://doi.org/10.4103/CRST.CRST_72_20'
    """
    if not doi:
        return None
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", str(doi).strip(), flags=re.I)
    return f"https://doi.org/{quote(doi, safe='/:;()._-')}"


def pmid_url(pmid: str | int | None) -> str | None:
    """Return the PubMed URL of a PubMed id, or None.

    Parameters
    ----------
    pmid : str, int or None
        A PubMed id (digits).

    Returns
    -------
    str or None
        The PubMed page, None when `pmid` is not all digits.

    Examples
    --------
    >>> pmid_url("27432227")
    'https://pubmed.ncbi.nlm.nih.gov/27432227/'
    """
    if pmid is None or not str(pmid).strip().isdigit():
        return None
    return f"https://pubmed.ncbi.nlm.nih.gov/{str(pmid).strip()}/"


def _initials(given: str) -> str:
    return "".join(p[0].upper() for p in re.split(r"[\s.\-]+", given) if p)


def _author(name: str) -> str:
    name = name.strip()
    if name.lower() in ("others", "et al", "et al."):
        return "et al."
    if "," in name:
        last, given = (x.strip() for x in name.split(",", 1))
    else:
        parts = name.split()
        last, given = parts[-1], " ".join(parts[:-1])
    return f"{last} {_initials(given)}".strip()


@dataclass(frozen=True)
class Reference:
    """A formatted reference with its links."""

    text: str
    short: str
    pub_id: str | None = None
    doi_url: str | None = None
    pmid_url: str | None = None
    url: str | None = None
    bib_key: str | None = None

    @property
    def best_url(self) -> str | None:
        """The DOI link, else PubMed, else any URL."""
        return self.doi_url or self.pmid_url or self.url


def format_reference(pub: Mapping[str, Any] | None, *, pmid: str | None = None,
                     url: str | None = None) -> Reference:
    """Format a Publication's properties as a Vancouver-style reference.

    Parameters
    ----------
    pub : mapping or None
        Publication node properties (``authors``, ``year``, ``title``, ``journal``,
        ``volume``, ``pages``, ``doi``, ``pmid``, ``url``, ``name``, ``id``).
    pmid, url : str, optional
        Used when there is no publication node (a CIViC record cites a PubMed id).

    Returns
    -------
    Reference

    Examples
    --------
    >>> r = format_reference({"authors": ["Gainor, Justin F.", "Dardaei, Leila"],
    ...     "year": 2016, "title": "Molecular Mechanisms of Resistance",
    ...     "journal": "Cancer Discovery", "volume": "6", "pages": "1118--1133",
    ...     "doi": "10.1158/2159-8290.CD-16-0596", "name": "Gainor 2016"})
    >>> r.text
    'Gainor JF, Dardaei L. Molecular Mechanisms of Resistance. Cancer Discovery. 2016;6:1118-1133.'
    >>> r.doi_url
    'https://doi.org/10.1158/2159-8290.CD-16-0596'
    """
    if not pub:
        label = f"PMID {pmid}" if pmid else (url or "no publication recorded")
        return Reference(text=label, short=label, pmid_url=pmid_url(pmid), url=url)
    authors = [_author(a) for a in (pub.get("authors") or []) if str(a).strip()]
    if len(authors) > 6:
        authors = authors[:3] + ["et al."]
    who = ", ".join(a for a in authors if a != "et al.")
    if "et al." in authors:
        who = f"{who}, et al." if who else "et al."
    title = str(pub.get("title") or pub.get("name") or "").rstrip(".")
    journal = str(pub.get("journal") or "").rstrip(".")
    year = pub.get("year")
    vol, pages = pub.get("volume"), str(pub.get("pages") or "").replace("--", "-")
    where = f"{year}" if year else ""
    if vol:
        where += f";{vol}"
    if pages:
        where += f":{pages}"
    parts = [p for p in (who, title, journal, where) if p]
    text = ". ".join(parts) + "." if parts else str(pub.get("id") or "")
    text = text.replace("..", ".")
    return Reference(
        text=text, short=str(pub.get("name") or pub.get("id") or ""),
        pub_id=pub.get("id"), doi_url=doi_url(pub.get("doi")),
        pmid_url=pmid_url(pub.get("pmid") or pmid), url=pub.get("url") or url,
        bib_key=pub.get("bib_key"))


# -- the bibliography -------------------------------------------------------------------
@dataclass(frozen=True)
class BibItem:
    """One work of the bibliography with what it supports."""

    id: str
    reference: Reference
    props: dict[str, Any]
    source: str
    supports: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...]
    cites: tuple[tuple[str, str], ...]
    cited_by: tuple[tuple[str, str], ...]

    @property
    def n_supported(self) -> int:
        """How many things rest on this work."""
        return sum(len(v) for _, v in self.supports)


_SUPPORT_KIND = {ASSERTED_IN: "claims made", CITES_SOURCE: "cited for support by claims",
                 REPORTED_IN: "reports"}


def _bib_item(r: Mapping[str, Any]) -> BibItem:
    pub = dict(r["pub"] or {})
    src = "civic" if pub.get("source") == "civic" and not pub.get("bib_key") else "curated"
    groups: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for s in r.get("supports") or []:
        groups[_SUPPORT_KIND.get(s["rel"], humanize(s["rel"]))].append(
            (s["id"], s["label"], str(s["name"] or s["id"])))
    return BibItem(
        id=r["id"], reference=format_reference({**pub, "id": r["id"]}),
        props={k: v for k, v in pub.items() if k not in HIDDEN_PROPS}, source=src,
        supports=tuple((k, tuple(sorted(set(v), key=lambda x: (x[1], x[2]))))
                       for k, v in sorted(groups.items())),
        cites=tuple((c["id"], str(c["name"] or c["id"])) for c in r.get("cites") or []),
        cited_by=tuple((c["id"], str(c["name"] or c["id"])) for c in r.get("cited_by") or []))


def bibliography(run: Runner, *, source: str = "both") -> list[BibItem]:
    """Return every publication, sorted by its formatted reference, with what it supports.

    Every work is fetched (the BibTeX download needs them all); a page of the bibliography
    is `bibliography_page`.

    Parameters
    ----------
    run : Runner
        Executes named queries.
    source : {'both', 'curated', 'civic'}
        ``curated`` keeps works of the curated bibliography, ``civic`` those imported only
        from CIViC.

    Returns
    -------
    list of BibItem
    """
    total = int(run("33_reference_count", {"source": source, "words": []})[0]["total"])
    rows = run("28_references", {"source": source, "words": [], "skip": 0,
                                 "limit": max(total, 1)})
    items = [_bib_item(r) for r in rows]
    return sorted(items, key=lambda b: (b.reference.text.lower(), b.id))


def bibliography_page(run: Runner, *, source: str = "both", text: str = "", page: int = 1,
                      per_page: int = 100) -> tuple[list[BibItem], int]:
    """Return one page of the bibliography and how many works match, paged on the server.

    Only the works of the page are fetched with what they support (``28_references`` with
    ``SKIP``/``LIMIT``); the total is counted on the server (``33_reference_count``). Works
    are sorted by first author (title when there is none), then title and id.

    Parameters
    ----------
    run : Runner
        Executes named queries.
    source : {'both', 'curated', 'civic'}
        As in `bibliography`.
    text : str
        Words that must all occur (case-insensitive) in a work's title, name, authors,
        journal, year, key, kind or id; '' keeps every work.
    page : int
        1-based page number; a page past the end gives no items.
    per_page : int
        Works per page.

    Returns
    -------
    items : list of BibItem
        The works of the page, in order.
    total : int
        Works matching `source` and `text` on every page.

    Raises
    ------
    ValueError
        `page` or `per_page` below 1.
    """
    if page < 1 or per_page < 1:
        raise ValueError(f"page ({page}) and per_page ({per_page}) must be at least 1")
    words = [w.lower() for w in str(text).split()]
    total = int(run("33_reference_count", {"source": source, "words": words})[0]["total"])
    if (page - 1) * per_page >= total:
        return [], total
    rows = run("28_references", {"source": source, "words": words,
                                 "skip": (page - 1) * per_page, "limit": per_page})
    return [_bib_item(r) for r in rows], total


def to_bibtex(items: Iterable[BibItem]) -> str:
    """Write works as BibTeX, keyed by their curated bib key (else a key from the id).

    Parameters
    ----------
    items : iterable of BibItem
        Works, e.g. from `bibliography`.

    Returns
    -------
    str
        One ``@article``-style entry per work (entry type as recorded), fields sorted.

    Examples
    --------
    >>> it = BibItem(id="PMID:1", reference=format_reference({"name": "X 2020"}),
    ...              props={"bib_key": "x2020", "title": "T", "year": 2020,
    ...                     "authors": ["X, A"], "pmid": "1", "entry_type": "article"},
    ...              source="curated", supports=(), cites=(), cited_by=())
    >>> print(to_bibtex([it]))
    @article{x2020,
      author = {X, A},
      pmid = {1},
      title = {T},
      year = {2020}
    }
    <BLANKLINE>
    """
    from kg.exports import bibtex_entry

    return "\n".join(
        bibtex_entry(it.props.get("bib_key") or re.sub(r"[^A-Za-z0-9]+", "_", it.id).strip("_"),
                     dict(it.props))
        for it in items)
