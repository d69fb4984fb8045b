"""The scenario's drugs and alterations, found in the graph.

`alk_inhibitors` lists the drugs a scenario may name; `resolve_drug` finds a typed drug among
them (every problem names its field); `normalise_alteration` finds the variant, mechanism or
gene a typed alteration names, as the search box would (`kg.search_hits.rank_hits`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kg.search import rank_hits, tokenize
from kg.sheets.model import Alteration
from kg.views.base import DRUG, GENE, MECHANISM, VARIANT, Runner

__all__ = ["alk_inhibitors", "normalise_alteration", "resolve_drug", "is_alk_inhibitor"]


def is_alk_inhibitor(d: Mapping[str, Any]) -> bool:
    """Return whether a drug is an ALK inhibitor: it targets ALK, or its class says so.

    Parameters
    ----------
    d : mapping
        The drug's properties (``targets``, ``drug_class``).

    Returns
    -------
    bool

    Examples
    --------
    >>> is_alk_inhibitor({"targets": ["ALK", "ROS1"]}), is_alk_inhibitor({"drug_class": "MET"})
    (True, False)
    """
    return "ALK" in (d.get("targets") or []) or "alk" in str(d.get("drug_class") or "").lower()



def alk_inhibitors(run: Runner) -> list[dict[str, Any]]:
    """Return the ALK inhibitors of the graph: the drugs a scenario may name.

    A drug is an ALK inhibitor when it targets ALK (``TARGETS``) or its class says so.

    Parameters
    ----------
    run : Runner
        Executes named queries (``41_prep_vocabulary``).

    Returns
    -------
    list of dict
        ``id``, ``name``, ``synonyms``, ``generation``, sorted by name.

    Examples
    --------
    >>> from kg.views import store_runner
    >>> [d["name"] for d in alk_inhibitors(store_runner(store))]
    ['alectinib', 'brigatinib', 'ceritinib', 'crizotinib', 'lorlatinib']
    """
    rows = [r for r in run("41_prep_vocabulary", {}) if r["label"] == DRUG
            and is_alk_inhibitor(r)]
    return sorted(({"id": r["id"], "name": str(r.get("name") or r["id"]),
                    "synonyms": list(r.get("synonyms") or []),
                    "generation": r.get("generation")} for r in rows),
                  key=lambda d: (d["name"].lower(), d["id"]))


def normalise_alteration(run: Runner, text: str) -> Alteration:
    """Find the variant, mechanism or gene a typed alteration names.

    The text is cut into tokens as the search box cuts it (`kg.search.tokenize`), the nodes
    whose search text holds every token are ranked (`kg.search.rank_hits`), and the best hit
    is taken: an exact name or synonym first (a variant before a mechanism before a gene),
    else a partial match (reported as such, with the number of other matches).

    Parameters
    ----------
    run : Runner
        Executes named queries (``45_alteration_candidates``).
    text : str
        What was typed: ``G1202R``, ``ALK p.G1202R``, ``MET amplification`` ...

    Returns
    -------
    Alteration
        ``node_id`` None when nothing in the graph matches.

    Examples
    --------
    >>> from kg.views import store_runner
    >>> a = normalise_alteration(store_runner(store), "ALK p.G1202R")
    >>> a.node_id, a.matched
    ('ALK:p.G1202R', 'name')
    >>> normalise_alteration(store_runner(store), "ZZZ9 Q999X").node_id is None
    True
    """
    terms = tokenize(text)
    rows = run("45_alteration_candidates", {"terms": terms}) if terms else []
    hits = [h for h in rank_hits(rows, text) if h.tier < 2]
    if not hits:
        return Alteration(text=text, node_id=None, name="", label="", matched="")
    order = {VARIANT: 0, MECHANISM: 1, GENE: 2}
    best_tier = min(h.tier for h in hits)
    pool = [h for h in hits if h.tier == best_tier]
    pool.sort(key=lambda h: (h.matched != "name", order.get(h.label, 3),
                             h.source == "civic", h.name.lower(), h.id))
    h = pool[0]
    return Alteration(text=text, node_id=h.id, name=h.name, label=h.label,
                      matched=h.matched if best_tier == 0 else "partial",
                      others=len(pool) - 1 if best_tier else 0)


def resolve_drug(text: str, drugs: Mapping[str, Mapping[str, Any]], field: str,
                 problems: list[str]) -> str | None:
    """Find the ALK inhibitor a typed drug names (by id, name or synonym).

    Parameters
    ----------
    text : str
        What was typed (``alectinib``, ``Alecensa``, ``drug:alectinib``).
    drugs : mapping
        Drug id -> its properties: the drugs of the graph.
    field : str
        The scenario field the text came from (``drug``, ``prior``), named in problems.
    problems : list of str
        Where a problem is appended: no such drug, or one that is not an ALK inhibitor
        (each naming the ALK inhibitors of the graph).

    Returns
    -------
    str or None
        The drug's id; None when a problem was appended.
    """
    want = text.strip().lower()
    found = [d for d in drugs.values() if want in (
        str(d["id"]).lower(), str(d.get("name") or "").lower(),
        *(str(s).lower() for s in d.get("synonyms") or []))]
    alk = sorted(str(d.get("name")) for d in drugs.values() if is_alk_inhibitor(d))
    if not found:
        problems.append(f"{field}: no drug named {text!r} in the graph; ALK inhibitors in the "
                        f"graph: {', '.join(alk) or 'none'}")
        return None
    d = sorted(found, key=lambda x: (not is_alk_inhibitor(x), str(x["id"])))[0]
    if not is_alk_inhibitor(d):
        problems.append(f"{field}: {d.get('name')!r} is not an ALK inhibitor in the graph "
                        f"(class: {d.get('drug_class') or 'not recorded'}); ALK inhibitors: "
                        f"{', '.join(alk)}")
        return None
    return str(d["id"])
