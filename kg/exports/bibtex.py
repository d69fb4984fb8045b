"""BibTeX export: the works in the graph that came from ``references.bib``.

`bibtex_entry` is the one entry formatter (the sheets and the reference views use it too);
the reader is `ingest.bibtex.parse_bibtex`.
"""

from __future__ import annotations

from typing import Any

from kg.graph import EvidenceGraph

__all__ = ["bibtex_entry", "generate_bibtex"]

# -- BibTeX ----------------------------------------------------------------------------------

_BIB_FIELDS = ("title", "journal", "year", "volume", "pages", "doi", "pmid", "url")


def _bib_escape(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")


def bibtex_entry(key: str, props: dict[str, Any], *, pubkind: bool = False) -> str:
    """Format one work's properties as a BibTeX entry (fields sorted, braces escaped).

    Parameters
    ----------
    key : str
        The citation key.
    props : dict
        Publication properties (``authors`` list, ``title``, ``year``, ``entry_type`` ...).
    pubkind : bool, optional
        Also write ``pub_kind`` as the project's ``pubkind`` field.

    Returns
    -------
    str
        The entry, ending with a newline; the entry type is ``entry_type`` (default
        ``article``).

    Examples
    --------
    >>> print(bibtex_entry("x2020", {"authors": ["X, A"], "title": "T {1}", "year": 2020}))
    @article{x2020,
      author = {X, A},
      title = {T \\{1\\}},
      year = {2020}
    }
    <BLANKLINE>
    """
    import re

    fields: dict[str, str] = {}
    if props.get("authors"):
        fields["author"] = " and ".join(props["authors"])
    for k in _BIB_FIELDS:
        if props.get(k) not in (None, ""):
            fields[k] = str(props[k])
    if pubkind and props.get("pub_kind"):
        fields["pubkind"] = str(props["pub_kind"])
    kind = re.sub(r"[^a-z]", "", str(props.get("entry_type") or "article").lower()) or "misc"
    body = ",\n".join(f"  {k} = {{{_bib_escape(v)}}}" for k, v in sorted(fields.items()))
    return f"@{kind}{{{key},\n{body}\n}}\n"


def generate_bibtex(eg: EvidenceGraph, *, keys: set[str] | None = None) -> str:
    """Return BibTeX for the graph's works that have a bib key (optionally only `keys`).

    Read it back with `ingest.bibtex.parse_bibtex`.

    Parameters
    ----------
    eg : EvidenceGraph
        The graph whose Publication nodes are written.
    keys : set of str, optional
        Only these bib keys (default: every Publication with a ``bib_key``).

    Returns
    -------
    str
        The entries (see `bibtex_entry`) in node-id order, separated by blank lines;
        empty when no work has a bib key.
    """
    return "\n".join(
        bibtex_entry(n.props["bib_key"], n.props, pubkind=True) for n in eg.nodes()
        if n.label == "Publication" and n.props.get("bib_key")
        and (keys is None or n.props["bib_key"] in keys))
