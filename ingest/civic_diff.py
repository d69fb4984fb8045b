"""Compare the evidence items of two CIViC releases: added, removed, changed (which fields).

Pure functions over ``{evidence_id: {column: value}}`` mappings, as returned by
`ingest.civic_release.read_evidence` (the CLI reads the files; this module never touches
them):
`diff_evidence` computes a `ReleaseDiff`; `generate_table` renders it as text lines;
`diff_to_json` / `diff_from_json` convert it to and from a JSON-ready mapping.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FieldChange", "ChangedItem", "ReleaseDiff", "diff_evidence", "generate_table",
           "diff_to_json", "diff_from_json", "SUMMARY_COLUMNS"]

Rows = Mapping[int, Mapping[str, str]]
# Columns shown for added and removed items in the table.
SUMMARY_COLUMNS = ("molecular_profile", "evidence_type", "evidence_direction", "significance",
                   "evidence_level", "therapies", "disease")


@dataclass(frozen=True)
class FieldChange:
    """One field of one evidence item that differs between the releases."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class ChangedItem:
    """An evidence item present in both releases with at least one changed field."""

    evidence_id: int
    changes: tuple[FieldChange, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        """Names of the changed fields."""
        return tuple(c.field for c in self.changes)


@dataclass(frozen=True)
class ReleaseDiff:
    """Everything that differs between two releases' evidence items."""

    old_release: str
    new_release: str
    added: tuple[dict[str, str], ...] = ()
    removed: tuple[dict[str, str], ...] = ()
    changed: tuple[ChangedItem, ...] = ()
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()
    ignored: tuple[str, ...] = field(default=())

    def summary(self) -> dict[str, int]:
        """Return the number of added, removed and changed items."""
        return {"added": len(self.added), "removed": len(self.removed),
                "changed": len(self.changed)}


def diff_evidence(old: Rows, new: Rows, *, old_release: str = "old", new_release: str = "new",
                  ignore: Iterable[str] = ()) -> ReleaseDiff:
    """Compare two releases' evidence items by evidence id.

    Parameters
    ----------
    old, new : mapping
        ``{evidence_id: {column: value}}`` of each release.
    old_release, new_release : str, optional
        Release names, for the report.
    ignore : iterable of str, optional
        Columns not compared (e.g. ``last_review_date``).

    Returns
    -------
    ReleaseDiff
        Items sorted by evidence id; changed fields in column order. Only columns present
        in both releases are compared; the others are listed in ``columns_added`` /
        ``columns_removed``.

    Examples
    --------
    >>> d = diff_evidence({1: {"evidence_id": "1", "evidence_level": "C"}},
    ...                   {1: {"evidence_id": "1", "evidence_level": "B"},
    ...                    2: {"evidence_id": "2", "evidence_level": "D"}})
    >>> d.summary(), d.changed[0].fields
    ({'added': 1, 'removed': 0, 'changed': 1}, ('evidence_level',))
    """
    ignored = tuple(dict.fromkeys(ignore))
    old_cols = _columns(old)
    new_cols = _columns(new)
    common = [c for c in old_cols if c in new_cols and c not in ignored]
    changed: list[ChangedItem] = []
    for eid in sorted(set(old) & set(new)):
        o, n = old[eid], new[eid]
        changes = tuple(FieldChange(c, o.get(c, ""), n.get(c, "")) for c in common
                        if o.get(c, "") != n.get(c, ""))
        if changes:
            changed.append(ChangedItem(eid, changes))
    return ReleaseDiff(
        old_release=old_release, new_release=new_release,
        added=tuple(dict(new[e]) for e in sorted(set(new) - set(old))),
        removed=tuple(dict(old[e]) for e in sorted(set(old) - set(new))),
        changed=tuple(changed),
        columns_added=tuple(c for c in new_cols if c not in old_cols),
        columns_removed=tuple(c for c in old_cols if c not in new_cols),
        ignored=ignored)


def _columns(rows: Rows) -> list[str]:
    cols: dict[str, None] = {}
    for r in rows.values():
        cols.update(dict.fromkeys(r))
    return list(cols)


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(columns: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]
    out = [" | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
           "-+-".join("-" * w for w in widths)]
    out += [" | ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
            for r in rows]
    return out


def generate_table(diff: ReleaseDiff, *, width: int = 48) -> Iterator[str]:
    """Yield the diff as plain-text tables: summary, added, removed, changed fields.

    Parameters
    ----------
    diff : ReleaseDiff
        From `diff_evidence`.
    width : int, optional
        Longer cell values are cut to this many characters (the JSON keeps them whole).

    Yields
    ------
    str
        One line at a time, without newline.
    """
    s = diff.summary()
    yield (f"CIViC evidence items {diff.old_release} -> {diff.new_release}: "
           f"{s['added']} added, {s['removed']} removed, {s['changed']} changed")
    if diff.columns_added or diff.columns_removed:
        yield (f"columns added: {', '.join(diff.columns_added) or '-'}; "
               f"columns removed: {', '.join(diff.columns_removed) or '-'}")
    if diff.ignored:
        yield f"not compared: {', '.join(diff.ignored)}"
    for title, items in (("added", diff.added), ("removed", diff.removed)):
        if not items:
            continue
        yield ""
        yield f"{title} ({len(items)})"
        yield from _table(["evidence_id", *SUMMARY_COLUMNS],
                          [[r.get("evidence_id", ""),
                            *(_short(r.get(c, ""), width) for c in SUMMARY_COLUMNS)]
                           for r in items])
    if diff.changed:
        yield ""
        yield f"changed ({len(diff.changed)})"
        yield from _table(["evidence_id", "field", "old", "new"],
                          [[str(item.evidence_id), c.field, _short(c.old, width),
                            _short(c.new, width)]
                           for item in diff.changed for c in item.changes])


def diff_to_json(diff: ReleaseDiff) -> dict[str, Any]:
    """Return the diff as a JSON-ready mapping (whole values, nothing cut).

    Parameters
    ----------
    diff : ReleaseDiff
        From `diff_evidence`.

    Returns
    -------
    dict
        ``old_release``, ``new_release``, ``summary``, ``columns_added``,
        ``columns_removed``, ``ignored``, ``added``, ``removed`` and ``changed``.

    See Also
    --------
    diff_from_json
    """
    return {
        "old_release": diff.old_release, "new_release": diff.new_release,
        "summary": diff.summary(),
        "columns_added": list(diff.columns_added), "columns_removed": list(diff.columns_removed),
        "ignored": list(diff.ignored),
        "added": [dict(r) for r in diff.added],
        "removed": [dict(r) for r in diff.removed],
        "changed": [{"evidence_id": c.evidence_id, "fields": list(c.fields),
                     "changes": {f.field: {"old": f.old, "new": f.new} for f in c.changes}}
                    for c in diff.changed],
    }


def diff_from_json(obj: Mapping[str, Any]) -> ReleaseDiff:
    """Rebuild a `ReleaseDiff` from `diff_to_json` output.

    Parameters
    ----------
    obj : mapping
        A mapping `diff_to_json` returned (or its JSON, loaded).

    Returns
    -------
    ReleaseDiff

    Raises
    ------
    KeyError
        A required key is missing.

    See Also
    --------
    diff_to_json
    """
    return ReleaseDiff(
        old_release=obj["old_release"], new_release=obj["new_release"],
        added=tuple(dict(r) for r in obj["added"]),
        removed=tuple(dict(r) for r in obj["removed"]),
        changed=tuple(ChangedItem(int(c["evidence_id"]), tuple(
            FieldChange(f, c["changes"][f]["old"], c["changes"][f]["new"])
            for f in c["fields"])) for c in obj["changed"]),
        columns_added=tuple(obj.get("columns_added", ())),
        columns_removed=tuple(obj.get("columns_removed", ())),
        ignored=tuple(obj.get("ignored", ())))
