"""Adapter for a CIViC monthly release directory (the ``*-...Summaries.tsv`` files).

A CIViC release directory holds, for one release date (e.g. ``01-Aug-2024``), the files
``<release>-ClinicalEvidenceSummaries.tsv``, ``-VariantSummaries.tsv``,
``-MolecularProfileSummaries.tsv``, ``-GeneSummaries.tsv`` and ``-AssertionSummaries.tsv``.
Each is read with the `csv` module and an explicit dialect (`CivicDialect`: tab-delimited,
no quoting, strict), after a strict UTF-8 decode. Every file's header is checked against the
columns declared in ``ingest/civic.yaml`` (a missing column is an error, an extra one is
logged), every row must have as many fields as the header, ids must be unique and typed
fields must parse. All problems name the file, the line and the column and are raised
together as one `IngestError`; nothing is yielded from an invalid release.

Mapping (see docs/civic.md for the full rules):

* evidence item -> ``Claim`` ``CIVIC.EID:<n>``; its source -> ``Publication``
  (``PMID:<n>``, ``ASCO:<n>`` or ``DOI:<doi>``); NCT ids -> ``Trial``; therapies -> ``Drug``;
  disease -> ``Disease`` (``DOID:<n>``); molecular profile -> ``Variant``.
* single-variant molecular profiles are the variant itself; ``AND`` profiles are compound
  ``Variant`` nodes (``variant_type`` compound_mutation) with ``COMPONENT_OF`` edges from each
  variant; profiles with ``OR``/``NOT`` are ``Variant`` nodes of ``variant_type``
  molecular_profile, also linked to their variants.
* assertion -> ``Assertion`` ``CIVIC.AID:<n>`` with ``SUPPORTED_BY`` edges to its evidence.
* entities that the curated files already hold (passed in as `known`) are matched and take
  the curated id, so they merge into one node (`kg.graph.assemble`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.common import SourceMeta, display_path, load_meta
from kg.schema import Schema, load_schema
from kg.schema.errors import IngestError, InputProblem
from kg.schema.records import EdgeRecord, NodeRecord, edge_id

__all__ = [
    "FILE_KINDS",
    "CivicDialect",
    "Table",
    "CivicRelease",
    "CivicAdapter",
    "find_release_files",
    "read_table",
    "read_release",
    "read_evidence",
    "split_therapies",
    "normalise_name",
    "EML4_ALK_VARIANTS",
]

log = logging.getLogger(__name__)

FILE_KINDS = ("ClinicalEvidenceSummaries", "VariantSummaries", "MolecularProfileSummaries",
              "GeneSummaries", "AssertionSummaries")
_KEYS = {"ClinicalEvidenceSummaries": "evidence_id", "VariantSummaries": "variant_id",
         "MolecularProfileSummaries": "molecular_profile_id", "GeneSummaries": "gene_id",
         "AssertionSummaries": "assertion_id"}
_MAX_PROBLEMS_PER_FILE = 25

# EML4-ALK fusion variants by EML4 exon joined to ALK exon 20 (Choi 2008, Horn & Pao 2009
# nomenclature). Only the common, unambiguous ones: CIViC names them "EML4::ALK e6-e20".
EML4_ALK_VARIANTS: dict[str, str] = {"e13-e20": "v1", "e20-e20": "v2", "e6-e20": "v3",
                                     "e2-e20": "v5"}

_DIRECTIONS = {"Supports": "supports", "Does Not Support": "does_not_support",
               "N/A": "not_applicable"}
_PROTEIN = re.compile(r"^([A-Z])(\d+)([A-Z]|\*|dup|del|fs)$", re.IGNORECASE)
_FUSION = re.compile(r"^([A-Za-z0-9-]+)::([A-Za-z0-9-]+)(?:\s+(e\d+-e\d+))?$")
_NCT = re.compile(r"^NCT\d{8}$")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


class CivicDialect(csv.Dialect):
    """The CIViC TSV dialect: tab-delimited, unquoted, one record per line."""

    delimiter = "\t"
    quoting = csv.QUOTE_NONE
    quotechar = None
    escapechar = None
    doublequote = False
    skipinitialspace = False
    lineterminator = "\n"
    strict = True


@dataclass(frozen=True)
class Row:
    """One data row of a TSV: its 1-based line number and its cells by column name."""

    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells[column]


@dataclass(frozen=True)
class Table:
    """A parsed, checked TSV file: where it is, its header, rows and checksum."""

    path: Path
    display: str
    header: tuple[str, ...]
    rows: list[Row]
    sha256: str

    def origin(self, row: Row) -> str:
        """Return ``file:line`` of a row, for records and messages."""
        return f"{self.display}:{row.line}"


@dataclass
class CivicRelease:
    """The five checked tables of one release, with the release name."""

    directory: Path
    release: str
    tables: dict[str, Table] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


# -- reading ---------------------------------------------------------------------------------

def find_release_files(directory: Path) -> tuple[str, dict[str, Path]]:
    """Find the five summary files of one release in a directory.

    Parameters
    ----------
    directory : pathlib.Path
        A CIViC monthly release directory.

    Returns
    -------
    tuple of (str, dict)
        The release name (file-name prefix, e.g. ``01-Aug-2024``) and the path of each
        file kind in `FILE_KINDS`.

    Raises
    ------
    IngestError
        Not a directory, a file kind missing or present twice, or files of two releases.
    """
    directory = Path(directory)
    shown = display_path(directory)
    if not directory.is_dir():
        raise IngestError(InputProblem(shown, None, "CIViC release directory not found"))
    problems: list[InputProblem] = []
    paths: dict[str, Path] = {}
    releases: set[str] = set()
    for kind in FILE_KINDS:
        found = sorted(directory.glob(f"*-{kind}.tsv"))
        if len(found) != 1:
            what = "no" if not found else f"{len(found)}"
            problems.append(InputProblem(shown, None, f"{what} *-{kind}.tsv file(s); a release "
                                         f"directory holds exactly one of each of "
                                         f"{', '.join(FILE_KINDS)}"))
            continue
        paths[kind] = found[0]
        releases.add(found[0].name[: -len(f"-{kind}.tsv")])
    if len(releases) > 1:
        problems.append(InputProblem(shown, None, f"files of several releases: "
                                     f"{', '.join(sorted(releases))}"))
    if problems:
        raise IngestError(problems)
    return releases.pop(), paths


def _decode(data: bytes, shown: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        pos = exc.start
        line = data.count(b"\n", 0, pos) + 1
        line_start = data.rfind(b"\n", 0, pos) + 1
        field_no = data.count(b"\t", line_start, pos)
        header = data.split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip("\r")
        names = header.split("\t")
        column = names[field_no] if field_no < len(names) else f"field {field_no + 1}"
        raise IngestError(InputProblem(
            shown, line, f"byte 0x{data[pos]:02x} (file offset {pos}) is not valid UTF-8; "
            "CIViC releases are UTF-8: re-download the file or re-save it as UTF-8",
            column=column)) from exc
    return text.removeprefix("\ufeff")


def read_table(path: Path, columns: Sequence[str], *, key: str | None = None) -> Table:
    """Read and check one CIViC TSV file.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    columns : sequence of str
        Columns that must be in the header (others are allowed and logged).
    key : str, optional
        A column whose values must be unique positive integers (the record id).

    Returns
    -------
    Table

    Raises
    ------
    IngestError
        Not UTF-8, not tab-separated, a missing column, a row with too few or too many
        fields, a duplicate or non-integer key; each problem names the file, the line and
        the column.

    See Also
    --------
    read_release
    """
    shown = display_path(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise IngestError(InputProblem(shown, None, f"cannot read: {exc}")) from exc
    digest = hashlib.sha256(data).hexdigest()
    text = _decode(data, shown)
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, min(sys.maxsize, 1 << 28)))
    reader = csv.reader(io.StringIO(text, newline=""), dialect=CivicDialect)
    try:
        header = tuple(h.strip() for h in next(reader))
    except StopIteration:
        raise IngestError(InputProblem(shown, 1, "empty file: no header line")) from None
    except csv.Error as exc:
        raise IngestError(InputProblem(shown, 1, f"unreadable header: {exc}")) from exc
    problems: list[InputProblem] = []
    if len(header) == 1 and ("," in header[0] or ";" in header[0]):
        sep = "," if "," in header[0] else ";"
        raise IngestError(InputProblem(
            shown, 1, f"not tab-separated: the header line has no tab but "
            f"{header[0].count(sep)} {sep!r} (wrong delimiter?); CIViC releases are TSV",
            column=columns[0] if columns else None))
    missing = [c for c in columns if c not in header]
    for c in missing:
        problems.append(InputProblem(shown, 1, f"missing column {c!r} (expected by "
                                     f"ingest/civic.yaml)", column=c))
    dupes = sorted({h for h in header if header.count(h) > 1})
    for c in dupes:
        problems.append(InputProblem(shown, 1, f"column {c!r} appears twice in the header",
                                     column=c))
    extra = [h for h in header if h not in columns]
    if extra:
        log.info("%s: columns not read by the importer: %s", shown, ", ".join(extra))
    if problems:
        raise IngestError(problems)
    rows: list[Row] = []
    seen: dict[str, int] = {}
    more = 0
    try:
        for cells in reader:
            line = reader.line_num
            if not cells or cells == [""]:
                continue
            if len(problems) >= _MAX_PROBLEMS_PER_FILE:
                more += 1
                continue
            if len(cells) != len(header):
                if len(cells) < len(header):
                    problems.append(InputProblem(
                        shown, line, f"row has {len(cells)} tab-separated fields, the header "
                        f"has {len(header)}: truncated row (column {header[len(cells)]!r} "
                        f"and the {len(header) - len(cells) - 1} after it are missing)",
                        column=header[len(cells)]))
                else:
                    problems.append(InputProblem(
                        shown, line, f"row has {len(cells)} tab-separated fields, the header "
                        f"has {len(header)}: a stray tab inside a field?",
                        column=f"field {len(header) + 1}"))
                continue
            row = Row(line, dict(zip(header, cells, strict=True)))
            if key is not None:
                value = row[key].strip()
                if not value.isdigit():
                    problems.append(InputProblem(shown, line, f"{key} {value!r} is not a "
                                                 "positive integer", column=key))
                    continue
                if value in seen:
                    problems.append(InputProblem(
                        shown, line, f"duplicate {key} {value} (first on line {seen[value]})",
                        record=value, column=key))
                    continue
                seen[value] = line
            rows.append(row)
    except csv.Error as exc:
        problems.append(InputProblem(shown, reader.line_num, f"unreadable row: {exc}"))
    if more:
        problems.append(InputProblem(shown, None, f"... and {more} more rows not checked "
                                     "after the first problems"))
    if problems:
        raise IngestError(problems)
    return Table(Path(path), shown, header, rows, digest)


def read_release(directory: Path, *, meta: SourceMeta | None = None,
                 min_counts: dict[str, int] | None = None) -> CivicRelease:
    """Read and cross-check the five summary files of one CIViC release.

    Parameters
    ----------
    directory : pathlib.Path
        The release directory.
    meta : SourceMeta, optional
        Defaults to ``ingest/civic.yaml`` (expected columns, minimum row counts).
    min_counts : dict, optional
        Minimum data rows per file kind; defaults to ``meta.min_counts``. Pass ``{}`` to
        skip the check (small test fixtures).

    Returns
    -------
    CivicRelease

    Raises
    ------
    IngestError
        Every problem in every file (see `read_table`), typed fields that do not parse,
        references to unknown molecular profiles or variants, and files with fewer rows
        than the minimum.
    """
    meta = meta or load_meta("civic")
    release, paths = find_release_files(Path(directory))
    out = CivicRelease(Path(directory), release)
    problems: list[InputProblem] = []
    for kind in FILE_KINDS:
        try:
            out.tables[kind] = read_table(paths[kind], (meta.columns or {}).get(kind, []),
                                          key=_KEYS[kind])
        except IngestError as exc:
            problems.extend(exc.problems)
    if problems:
        raise IngestError(problems)
    counts = meta.min_counts if min_counts is None else min_counts
    for kind, minimum in (counts or {}).items():
        t = out.tables[kind]
        if len(t.rows) < minimum:
            problems.append(InputProblem(t.display, None, f"only {len(t.rows)} data rows; a "
                                         f"whole release has at least {minimum} "
                                         "(ingest/civic.yaml min_counts): truncated file?"))
    problems.extend(_check_fields(out))
    for w in out.warnings:
        log.warning("%s", w)
    if problems:
        raise IngestError(problems)
    return out


def read_evidence(directory: Path) -> tuple[str, dict[int, dict[str, str]]]:
    """Read only the evidence file of a release, checked, keyed by evidence id.

    Used by ``python -m kg civic-diff``; the header check and row checks of `read_table`
    apply, the cross-file checks and minimum counts of `read_release` do not.

    Returns
    -------
    tuple of (str, dict)
        The release name and ``{evidence_id: {column: value}}``.

    Raises
    ------
    IngestError
        As `read_table`.
    """
    meta = load_meta("civic")
    release, paths = find_release_files(Path(directory))
    kind = "ClinicalEvidenceSummaries"
    table = read_table(paths[kind], (meta.columns or {})[kind], key=_KEYS[kind])
    return release, {int(r["evidence_id"]): dict(r.cells) for r in table.rows}


def _check_fields(rel: CivicRelease) -> list[InputProblem]:
    problems: list[InputProblem] = []
    ev = rel.tables["ClinicalEvidenceSummaries"]
    mp = rel.tables["MolecularProfileSummaries"]
    vs = rel.tables["VariantSummaries"]
    genes = rel.tables["GeneSummaries"]
    as_ = rel.tables["AssertionSummaries"]
    mp_ids = {r["molecular_profile_id"] for r in mp.rows}
    v_ids = {r["variant_id"] for r in vs.rows}

    def bad(t: Table, r: Row, column: str, message: str) -> None:
        key = _KEYS[next(k for k, v in rel.tables.items() if v is t)]
        problems.append(InputProblem(t.display, r.line, message, record=r[key], column=column))

    for r in ev.rows:
        if r["evidence_level"] not in ("A", "B", "C", "D", "E"):
            bad(ev, r, "evidence_level", f"evidence level {r['evidence_level']!r} is not A-E")
        if r["evidence_direction"] not in _DIRECTIONS:
            bad(ev, r, "evidence_direction", f"direction {r['evidence_direction']!r} is not "
                f"one of {', '.join(_DIRECTIONS)}")
        if r["rating"] and not (r["rating"].isdigit() and 1 <= int(r["rating"]) <= 5):
            bad(ev, r, "rating", f"rating {r['rating']!r} is not 1-5")
        if r["doid"] and not r["doid"].isdigit():
            bad(ev, r, "doid", f"DOID {r['doid']!r} is not a number")
        if r["molecular_profile_id"] not in mp_ids:
            rel.warnings.append(f"{ev.display}:{r.line}: EID{r['evidence_id']} names molecular "
                                f"profile {r['molecular_profile_id']}, which is not in "
                                f"{mp.display}; imported as a stub profile")
        if not r["evidence_civic_url"].startswith("http"):
            bad(ev, r, "evidence_civic_url", "no evidence URL")
        if not r["evidence_type"]:
            bad(ev, r, "evidence_type", "no evidence type")
        if not r["citation_id"]:
            bad(ev, r, "citation_id", "no citation id")
        for nct in _split_ids(r["nct_ids"]):
            if not _NCT.match(nct):
                bad(ev, r, "nct_ids", f"{nct!r} is not an NCT id (NCT + 8 digits)")
    for r in mp.rows:
        ids = _split(r["variant_ids"])
        if not ids:
            bad(mp, r, "variant_ids", "molecular profile without variants")
        for vid in ids:
            if not vid.isdigit():
                bad(mp, r, "variant_ids", f"variant id {vid!r} is not a number")
            elif vid not in v_ids:
                rel.warnings.append(f"{mp.display}:{r.line}: molecular profile "
                                    f"{r['molecular_profile_id']} ({r['name']}) names variant "
                                    f"{vid}, which is not in {vs.display} (a CIViC 'factor'?); "
                                    "imported as a variant without a gene")
    for r in vs.rows:
        if not r["gene"].strip():
            bad(vs, r, "gene", "variant without a gene")
        if not r["variant"].strip():
            bad(vs, r, "variant", "variant without a name")
    for r in genes.rows:
        if not r["name"].strip():
            bad(genes, r, "name", "gene without a symbol")
    for r in as_.rows:
        if r["molecular_profile_id"] not in mp_ids:
            rel.warnings.append(f"{as_.display}:{r.line}: AID{r['assertion_id']} names "
                                f"molecular profile {r['molecular_profile_id']}, which is not "
                                f"in {mp.display}; imported as a stub profile")
        for e in _split(r["evidence_item_ids"]):
            if not e.isdigit():
                bad(as_, r, "evidence_item_ids", f"evidence id {e!r} is not a number")
    return problems


# -- helpers -----------------------------------------------------------------------------------

def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(",") if p.strip()]


def _split_ids(cell: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,;]", cell) if p.strip()]


def split_therapies(cell: str) -> list[str]:
    """Split CIViC's comma-joined therapy names, keeping commas between digits.

    CIViC joins therapy names with commas, but some names hold one (``2,4-pyrimidinediamine``,
    ``HER2 Inhibitor CP-724,714``); a comma with a digit on both sides is part of a name.

    Examples
    --------
    >>> split_therapies("Gefitinib,HER2 Inhibitor CP-724,714,Selumetinib")
    ['Gefitinib', 'HER2 Inhibitor CP-724,714', 'Selumetinib']
    >>> split_therapies("2,4-pyrimidinediamine"), split_therapies("")
    (['2,4-pyrimidinediamine'], [])
    """
    return [p.strip() for p in re.split(r"(?<!\d),|,(?!\d)", cell) if p.strip()]


def normalise_name(name: str) -> str:
    """Return the matching key of a name: case-folded, letters and digits only.

    Examples
    --------
    >>> normalise_name("PF-06463922") == normalise_name("pf 06463922")
    True
    """
    return re.sub(r"[\W_]+", "", name.casefold())


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9.+-]+", "_", name.casefold()).strip("_") or "unnamed"


def _year(citation: str) -> int | None:
    found = [m.group(0) for m in _YEAR.finditer(citation)]
    return int(found[-1]) if found else None


@dataclass
class _Profile:
    node_id: str
    kind: str  # single | compound | complex
    variant_ids: list[str]  # CIViC variant ids
    row: Row


# -- the adapter -------------------------------------------------------------------------------

class CivicAdapter:
    """Validate a CIViC release and yield its records, merged onto known (curated) nodes.

    Parameters
    ----------
    directory : pathlib.Path
        A CIViC monthly release directory.
    genes : sequence of str, optional
        Import only evidence and assertions whose molecular profile involves a variant of
        one of these gene symbols (with the profiles, variants and genes they need). Default:
        the whole release.
    known : iterable of NodeRecord, optional
        Nodes of the other sources (curated, bibtex). CIViC genes, drugs, diseases and
        variants that match one of them take its id (matching rules in docs/civic.md).
    schema : Schema, optional
        Defaults to ``kg/schema/schema.yaml``.
    min_counts : dict, optional
        Minimum rows per file; defaults to ``ingest/civic.yaml``; ``{}`` skips the check.

    Raises
    ------
    IngestError
        On construction: every problem in the release (file, line, column), or a requested
        gene that is not in the release.

    Examples
    --------
    >>> civic = CivicAdapter(release_dir, genes=["ALK"])
    >>> sum(1 for n in civic.iter_nodes() if n.label == "Claim")
    144
    """

    meta = load_meta("civic")

    def __init__(self, directory: Path, *, genes: Sequence[str] | None = None,
                 known: Iterable[NodeRecord] = (), schema: Schema | None = None,
                 min_counts: dict[str, int] | None = None) -> None:
        self.directory = Path(directory)
        self.schema = schema or load_schema()
        self.release = read_release(self.directory, meta=self.meta, min_counts=min_counts)
        self.genes = [g.strip() for g in genes if g.strip()] if genes else None
        self._prov = self.meta.provenance(version=self.release.release)
        self._nodes: dict[str, NodeRecord] = {}
        self._edges: dict[str, EdgeRecord] = {}
        self._index_known(known)
        self._map()

    # -- public ------------------------------------------------------------------------------
    def iter_nodes(self) -> Iterator[NodeRecord]:
        """Yield every node, sorted by id (genes, variants, profiles, claims, ...)."""
        for nid in sorted(self._nodes):
            yield self._nodes[nid]

    def iter_edges(self) -> Iterator[EdgeRecord]:
        """Yield every edge, sorted by id; each cites its CIViC record."""
        for eid in sorted(self._edges):
            yield self._edges[eid]

    def provenance(self) -> dict[str, str]:
        """Return this import's provenance: source, release, licence, directory, checksums."""
        out = {**self._prov, "release": self.release.release,
               "directory": display_path(self.directory),
               "genes": ",".join(self.genes) if self.genes else "all",
               "evidence_items": str(self.n_evidence),
               "assertion_links_skipped": str(self.skipped_assertion_links),
               "warnings": str(len(self.release.warnings))}
        for kind, t in self.release.tables.items():
            out[f"sha256_{kind}"] = t.sha256
        return out

    # -- matching against known nodes ------------------------------------------------------------
    def _index_known(self, known: Iterable[NodeRecord]) -> None:
        self.known_ids: dict[str, str] = {}
        self.gene_by_symbol: dict[str, str] = {}
        self.gene_by_synonym: dict[str, str] = {}
        self.drug_by_name: dict[str, str] = {}
        self.disease_by_name: dict[str, str] = {}
        self.variant_by_name: dict[str, str] = {}
        self.compound_by_parts: dict[frozenset[str], str] = {}
        for rec in sorted(known, key=lambda r: r.id):
            self.known_ids.setdefault(rec.id, rec.label)
            p = rec.props
            names = [str(p.get("name", ""))] + [str(s) for s in p.get("synonyms") or []]
            if rec.label == "Gene":
                self.gene_by_symbol.setdefault(str(p.get("name", "")), rec.id)
                for s in p.get("synonyms") or []:
                    self.gene_by_synonym.setdefault(str(s), rec.id)
            elif rec.label == "Drug":
                # CIViC release TSVs name therapies without NCIt ids, so drugs match on the
                # normalised name, synonyms and the name part of the id (drug:<name>).
                for n in names + [rec.id.split(":", 1)[-1]]:
                    if n:
                        self.drug_by_name.setdefault(normalise_name(n), rec.id)
            elif rec.label == "Disease":
                for n in names:
                    if n:
                        self.disease_by_name.setdefault(normalise_name(n), rec.id)
            elif rec.label == "Variant":
                for n in names:
                    if n:
                        self.variant_by_name.setdefault(normalise_name(n), rec.id)
                m = re.match(r"^([A-Z0-9]+):p\.\[(.+)\]$", rec.id)
                if m:
                    parts = frozenset(f"{m.group(1)}:p.{x.strip()}"
                                      for x in m.group(2).split(";"))
                    self.compound_by_parts.setdefault(parts, rec.id)

    def _known(self, nid: str, label: str) -> bool:
        return self.known_ids.get(nid) == label

    # -- mapping --------------------------------------------------------------------------------
    def _map(self) -> None:
        t = self.release.tables
        self.gene_rows = {r["name"].strip(): r for r in t["GeneSummaries"].rows}
        self.variant_rows = {r["variant_id"]: r for r in t["VariantSummaries"].rows}
        self.profile_rows = {r["molecular_profile_id"]: r
                             for r in t["MolecularProfileSummaries"].rows}
        if self.genes is not None:
            symbols = {r["gene"].strip() for r in self.variant_rows.values()}
            unknown = [g for g in self.genes if g not in symbols]
            if unknown:
                raise IngestError(InputProblem(
                    t["GeneSummaries"].display, None, f"--genes: {', '.join(unknown)} not in "
                    "this release (no variant of that gene)"))
        wanted = set(self.genes) if self.genes is not None else None
        # Which profiles (and so which evidence items and assertions) are imported.
        def gene_of(vid: str) -> str | None:
            row = self.variant_rows.get(vid)
            return row["gene"].strip() if row is not None else None

        self.selected_profiles = sorted(
            (mpid for mpid, r in self.profile_rows.items()
             if wanted is None or any(gene_of(v) in wanted for v in _split(r["variant_ids"]))),
            key=int)
        needed_variants = {v for mpid in self.selected_profiles
                           for v in _split(self.profile_rows[mpid]["variant_ids"])}
        self.selected_variants = sorted(
            (vid for vid, r in self.variant_rows.items()
             if wanted is None or r["gene"].strip() in wanted or vid in needed_variants),
            key=int)
        self.variant_node: dict[str, str] = {}
        self._used_variant_ids: set[str] = set()
        self.profiles: dict[str, _Profile] = {}
        self.drug_ids: dict[str, str] = {}
        self.n_evidence = 0
        gtable = t["GeneSummaries"]
        for symbol, grow in sorted(self.gene_rows.items()):
            if wanted is None or symbol in wanted:
                self._gene(symbol, None, gtable.origin(grow))
        for vid in self.selected_variants:
            self._variant(self.variant_rows[vid])
        for mpid in self.selected_profiles:
            self._profile(self.profile_rows[mpid])
        profiles = set(self.selected_profiles)
        # Evidence on a profile missing from the profile file: whole-release imports only.
        evidence = [r for r in t["ClinicalEvidenceSummaries"].rows
                    if r["molecular_profile_id"] in profiles
                    or (wanted is None and r["molecular_profile_id"] not in self.profile_rows)]
        claim_ids: set[str] = set()
        for r in sorted(evidence, key=lambda r: int(r["evidence_id"])):
            claim_ids.add(self._evidence(r))
        self.n_evidence = len(claim_ids)
        self.skipped_assertion_links = 0
        for r in sorted(t["AssertionSummaries"].rows, key=lambda r: int(r["assertion_id"])):
            mpid = r["molecular_profile_id"]
            if mpid in profiles or (mpid not in self.profile_rows and (wanted is None or any(
                    f"CIVIC.EID:{e}" in claim_ids for e in _split(r["evidence_item_ids"])))):
                self._assertion(r, claim_ids)

    # records
    def _node(self, nid: str, label: str, props: dict[str, Any], origin: str) -> None:
        if nid in self._nodes:
            return
        clean = {k: v for k, v in props.items() if v not in (None, "", [])}
        self._nodes[nid] = NodeRecord(nid, label, {**self._prov, **clean}, origin=origin)

    def _edge(self, source: str, rtype: str, target: str, cite: dict[str, Any], origin: str,
              **extra: Any) -> None:
        eid = edge_id(source, rtype, target, "civic", cite["source_record_id"])
        if eid in self._edges:
            return
        props = {**self._prov, **cite, **{k: v for k, v in extra.items() if v not in (None, "")}}
        self._edges[eid] = EdgeRecord(eid, source, target, rtype, props, origin=origin)

    # genes
    def _gene(self, symbol: str, fallback: Row | None, origin: str) -> str:
        nid = self.gene_by_symbol.get(symbol) or self.gene_by_synonym.get(symbol) \
            or f"gene:{symbol}"
        grow = self.gene_rows.get(symbol)
        if grow is not None:
            table = self.release.tables["GeneSummaries"]
            self._node(nid, "Gene", {
                "name": symbol, "entrez_id": grow["entrez_id"] or None,
                "source_record_id": f"GID{grow['gene_id']}",
                "source_url": grow["gene_civic_url"]}, table.origin(grow))
        else:
            self._node(nid, "Gene", {"name": symbol, "entrez_id": fallback["entrez_id"]
                                     if fallback is not None else None}, origin)
        return nid

    # variants
    def _variant_candidates(self, gene: str, name: str, aliases: list[str]) -> tuple[str | None,
                                                                                     list[str]]:
        """Return the canonical id (or None) and the names to match known variants on."""
        names = [f"{gene} {name}"] + [f"{gene} {a}" for a in aliases]
        gene_prefix = gene in self._gene_prefixes()
        m = _PROTEIN.match(name)
        if m:
            suffix = m.group(3)
            change = f"{m.group(1).upper()}{m.group(2)}" + (
                suffix.upper() if len(suffix) == 1 else suffix.lower())
            names.append(f"{gene} p.{change}")
            return (f"{gene}:p.{change}" if gene_prefix else None), names
        low = name.casefold()
        if low == "amplification":
            names.append(f"{gene} amplification")
            return (f"{gene}:amplification" if gene_prefix else None), names
        if low == "fusion":
            return (f"{gene}:fusion" if gene_prefix else None), names
        f = _FUSION.match(name)
        if f:
            five, three, exons = f.groups()
            base = f"{five}-{three}"
            names += [base, name.replace("::", "-")]
            if exons and base == "EML4-ALK" and exons in EML4_ALK_VARIANTS:
                v = EML4_ALK_VARIANTS[exons]
                names += [f"EML4-ALK {v}", f"EML4-ALK variant {v[1:]}"]
                suffix = f".{v}"
            else:
                suffix = f".{exons}" if exons else ""
            return (f"{gene}:{base}{suffix}" if gene_prefix else None), names
        return None, names

    def _gene_prefixes(self) -> set[str]:
        if not hasattr(self, "_prefixes"):
            self._prefixes = {p for p in self.schema.nodes["Variant"].id_prefixes
                              if re.fullmatch(r"[A-Z][A-Z0-9]*", p)}
        return self._prefixes

    def _variant(self, r: Row) -> str:
        vs = self.release.tables["VariantSummaries"]
        gene, name = r["gene"].strip(), r["variant"].strip()
        aliases = _split(r["variant_aliases"])
        canonical, names = self._variant_candidates(gene, name, aliases)
        nid = None
        if canonical and self._known(canonical, "Variant"):
            nid = canonical
        if nid is None:
            nid = next((self.variant_by_name[k] for k in map(normalise_name, names)
                        if k in self.variant_by_name), None)
        if nid is None:
            nid = canonical or f"CIVIC.VID:{r['variant_id']}"
        if nid in self._used_variant_ids:  # a second CIViC variant on the same id
            nid = f"CIVIC.VID:{r['variant_id']}"
        self._used_variant_ids.add(nid)
        self.variant_node[r["variant_id"]] = nid
        so_terms = _split(r["variant_types"])
        vtype = _variant_type(name, so_terms)
        m = _PROTEIN.match(name)
        cite = {"source_record_id": f"VID{r['variant_id']}", "source_url": r["variant_civic_url"]}
        synonyms = [name, *aliases]
        self._node(nid, "Variant", {
            "name": f"{gene} {name}", "gene_symbol": gene, "variant_type": vtype,
            "hgvs_p": f"p.{nid.split(':p.', 1)[1]}" if m and ":p." in nid else None,
            "synonyms": list(dict.fromkeys(synonyms)), **cite}, vs.origin(r))
        gid = self._gene(gene, r, vs.origin(r))
        self._edge(nid, "VARIANT_OF", gid, cite, vs.origin(r))
        return nid

    def _stub_variant(self, vid: str, name: str, origin: str) -> str:
        """A variant named by a profile but missing from the variant file (a CIViC factor)."""
        nid = f"CIVIC.VID:{vid}"
        self.variant_node[vid] = nid
        self._node(nid, "Variant", {
            "name": name, "source_record_id": f"VID{vid}",
            "source_url": f"https://civicdb.org/links/variants/{vid}"}, origin)
        return nid

    def _stub_profile(self, mpid: str, name: str, url: str, origin: str) -> _Profile:
        """A profile named by evidence or an assertion but missing from the profile file."""
        if mpid not in self.profiles:
            nid = f"CIVIC.MP:{mpid}"
            self._node(nid, "Variant", {
                "name": name, "variant_type": "molecular_profile",
                "source_record_id": f"MPID{mpid}", "source_url": url}, origin)
            self.profiles[mpid] = _Profile(nid, "stub", [], Row(0, {"name": name}))
        return self.profiles[mpid]

    def _profile_of(self, r: Row, origin: str) -> _Profile:
        mpid = r["molecular_profile_id"]
        if mpid in self.profiles:
            return self.profiles[mpid]
        return self._stub_profile(mpid, r["molecular_profile"].strip(),
                                  r["molecular_profile_civic_url"], origin)

    def _profile(self, r: Row) -> None:
        mps = self.release.tables["MolecularProfileSummaries"]
        name = r["name"].strip()
        vids = _split(r["variant_ids"])
        for v in vids:
            if v not in self.variant_node:
                self._stub_variant(v, name if len(vids) == 1 else f"CIViC variant {v}",
                                   mps.origin(r))
        complex_ = bool(re.search(r"\b(OR|NOT)\b|\(", name))
        if len(vids) == 1 and not complex_:
            self.profiles[r["molecular_profile_id"]] = _Profile(
                self.variant_node[vids[0]], "single", vids, r)
            return
        kind = "complex" if complex_ else "compound"
        comp_ids = [self.variant_node[v] for v in vids]
        comp_nodes = [self._nodes[c] for c in comp_ids]
        fusions = [n for n in comp_nodes if n.props.get("variant_type") == "fusion"]
        others = [n for n in comp_nodes if n.props.get("variant_type") != "fusion"]
        genes = {str(n.props.get("gene_symbol")) for n in comp_nodes}
        nid = f"CIVIC.MP:{r['molecular_profile_id']}"
        if kind == "compound" and len(others) >= 2:
            known = self.compound_by_parts.get(frozenset(n.id for n in others))
            if known is not None:
                nid = known
        core = others[0].id if (kind == "compound" and fusions and len(others) == 1
                                and len(genes) == 1) else None
        cite = {"source_record_id": f"MPID{r['molecular_profile_id']}",
                "source_url": f"https://civicdb.org/links/molecular_profiles/"
                              f"{r['molecular_profile_id']}"}
        self._node(nid, "Variant", {
            "name": name, "gene_symbol": genes.pop() if len(genes) == 1 else None,
            "variant_type": "compound_mutation" if kind == "compound" else "molecular_profile",
            "synonyms": _split(r["aliases"]) or None, "core_variant_id": core, **cite},
            mps.origin(r))
        for c in dict.fromkeys(comp_ids):
            self._edge(c, "COMPONENT_OF", nid, cite, mps.origin(r))
        self.profiles[r["molecular_profile_id"]] = _Profile(nid, kind, vids, r)

    # drugs, diseases, publications, trials
    def _drug(self, name: str, origin: str) -> str:
        key = normalise_name(name)
        nid = self.drug_ids.get(key) or self.drug_by_name.get(key) or f"drug:{_slug(name)}"
        self.drug_ids[key] = nid
        self._node(nid, "Drug", {"name": name}, origin)
        return nid

    def _disease(self, name: str, doid: str, origin: str) -> str | None:
        if doid:
            nid = f"DOID:{doid}"
        elif name:
            nid = self.disease_by_name.get(normalise_name(name)) or f"disease:{_slug(name)}"
        else:
            return None
        self._node(nid, "Disease", {"name": name or nid}, origin)
        return nid

    def _publication(self, r: Row, origin: str, cite: dict[str, str]) -> str:
        stype, cid, citation = r["source_type"], r["citation_id"].strip(), r["citation"].strip()
        pmid = None
        if stype == "PubMed":
            nid, pmid, kind = f"PMID:{cid}", cid, "article"
            url = f"https://pubmed.ncbi.nlm.nih.gov/{cid}/"
        elif cid.startswith("10."):
            nid, kind, url = f"DOI:{cid}", "abstract", f"https://doi.org/{cid}"
        else:
            nid, kind, url = f"{stype.upper()}:{cid}", "abstract", None
        label = citation or nid
        self._node(nid, "Publication", {
            "name": label, "title": f"{label} (cited by CIViC; title not in the release)",
            "year": _year(citation), "pmid": pmid, "doi": cid if nid.startswith("DOI:") else None,
            "url": url, "entry_type": stype, "pub_kind": kind,
            "pages": f"Abstract {r['asco_abstract_id']}" if r["asco_abstract_id"] not in ("", "0")
            else None, **cite}, origin)
        return nid

    def _evidence(self, r: Row) -> str:
        ev = self.release.tables["ClinicalEvidenceSummaries"]
        origin = ev.origin(r)
        n = r["evidence_id"]
        cid = f"CIVIC.EID:{n}"
        prof = self._profile_of(r, origin)
        pmid = r["citation_id"].strip() if r["source_type"] == "PubMed" else None
        cite = {"source_record_id": f"EID{n}", "source_url": r["evidence_civic_url"]}
        if pmid:
            cite["pmid"] = pmid
        pub = self._publication(r, origin, cite)
        drugs = list(dict.fromkeys(self._drug(t, origin)
                                   for t in split_therapies(r["therapies"])))
        disease = self._disease(r["disease"].strip(), r["doid"].strip(), origin)
        etype, sig = r["evidence_type"], r["significance"]
        sem = load_schema().semantics
        predicate = sem.civic_predicate(etype, sig) or f"CIVIC_{_slug(etype).upper()}"
        direction = _DIRECTIONS[r["evidence_direction"]]
        interaction = r["therapy_interaction_type"].strip().lower() or None
        therapies = " + ".join(split_therapies(r["therapies"])) if interaction in (
            "combination", "sequential") else " / ".join(split_therapies(r["therapies"]))
        verb = {"supports": "", "does_not_support": "does not support ",
                "not_applicable": ""}[direction]
        title = (f"{prof.row['name']}: {verb}{sig}"
                 + (f" to {therapies}" if therapies else "")
                 + (f" in {r['disease'].strip()}" if r["disease"].strip() else "")
                 + f" (CIViC EID{n}, level {r['evidence_level']})")
        self._node(cid, "Claim", {
            "name": title, "subject_id": prof.node_id, "predicate": predicate,
            "object_id": drugs[0] if len(drugs) == 1 else None, "direction": direction,
            "evidence_level": r["evidence_level"], "statement": r["evidence_statement"],
            "asserted_by": pub, "disease_id": disease, "evidence_type": etype,
            "significance": sig, "rating": int(r["rating"]) if r["rating"] else None,
            "status": r["evidence_status"], "variant_origin": r["variant_origin"],
            "therapy_interaction": interaction, **cite}, origin)
        q = {"claim_id": cid}
        self._edge(cid, "ASSERTED_IN", pub, cite, origin, **q)
        self._edge(cid, "HAS_SUBJECT", prof.node_id, cite, origin, **q)
        self._edge(cid, "HAS_MOLECULAR_PROFILE", prof.node_id, cite, origin, **q)
        if len(drugs) == 1:
            self._edge(cid, "HAS_OBJECT", drugs[0], cite, origin, **q)
        for d in drugs:
            self._edge(cid, "INVOLVES_THERAPY", d, cite, origin, interaction=interaction, **q)
        if disease:
            self._edge(cid, "ABOUT_DISEASE", disease, cite, origin, **q)
        for nct in _split_ids(r["nct_ids"]):
            self._node(nct, "Trial", {"name": nct, "registry": "ClinicalTrials.gov",
                                      "registry_id": nct}, origin)
            self._edge(cid, "IN_TRIAL", nct, cite, origin, **q)
        if predicate in sem.polarity and prof.kind in ("single", "compound"):
            for d in drugs:
                self._edge(prof.node_id, predicate, d, cite, origin, claim_id=cid,
                           direction=direction, evidence_level=r["evidence_level"],
                           significance=sig, interaction=interaction)
        return cid

    def _assertion(self, r: Row, claim_ids: set[str]) -> None:
        t = self.release.tables["AssertionSummaries"]
        origin = t.origin(r)
        n = r["assertion_id"]
        aid = f"CIVIC.AID:{n}"
        cite = {"source_record_id": f"AID{n}", "source_url": r["assertion_civic_url"]}
        prof = self._profile_of(r, origin)
        sig = r["significance"]
        therapies = split_therapies(r["therapies"])
        name = (f"{r['molecular_profile'].strip()}: {r['assertion_type']} {sig}"
                + (f" to {' / '.join(therapies)}" if therapies else "")
                + (f" in {r['disease'].strip()}" if r["disease"].strip() else "")
                + f" (CIViC AID{n})")
        self._node(aid, "Assertion", {
            "name": name, "assertion_type": r["assertion_type"],
            "direction": _DIRECTIONS.get(r["assertion_direction"], r["assertion_direction"]),
            "significance": sig, "amp_category": r["amp_category"],
            "summary": r["assertion_summary"], **cite}, origin)
        self._edge(aid, "HAS_MOLECULAR_PROFILE", prof.node_id, cite, origin)
        disease = self._disease(r["disease"].strip(), r["doid"].strip(), origin)
        if disease:
            self._edge(aid, "ABOUT_DISEASE", disease, cite, origin)
        for name_ in therapies:
            self._edge(aid, "INVOLVES_THERAPY", self._drug(name_, origin), cite, origin)
        for e in _split(r["evidence_item_ids"]):
            cid = f"CIVIC.EID:{e}"
            if cid in claim_ids:
                self._edge(aid, "SUPPORTED_BY", cid, cite, origin)
            else:
                self.skipped_assertion_links += 1
                log.info("%s: assertion AID%s rests on EID%s, which is not an accepted "
                         "evidence item of this release", origin, n, e)


def _variant_type(name: str, so_terms: list[str]) -> str | None:
    low = name.casefold()
    if "transcript_fusion" in so_terms or low == "fusion" or "::" in name:
        return "fusion"
    if "amplification" in low or any("amplification" in s for s in so_terms):
        return "amplification"
    if low in ("overexpression", "expression"):
        return "overexpression"
    return so_terms[0] if so_terms and so_terms[0] != "N/A" else None
