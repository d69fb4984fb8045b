"""Download a CIViC monthly release, check it, and store it beside the shipped one.

CIViC publishes each monthly release at
``https://civicdb.org/downloads/<DD-Mon-YYYY>/<DD-Mon-YYYY>-<Kind>.tsv``. `fetch_release`
downloads the five summary files the importer reads into a temporary folder next to the
destination, reads them with `ingest.civic_release.read_release` (every check the importer
makes: columns, widths, ids, typed fields, minimum row counts), writes ``SHA256SUMS`` and
only then renames the folder into place, so a failed or partial download never leaves a
release behind. Nothing is fetched at import time or by the build: this runs only when a
user asks (``python -m kg civic fetch``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ingest.civic_release import FILE_KINDS, read_release
from kg.schema.errors import IngestError, InputProblem, KGError

__all__ = ["DEFAULT_BASE_URL", "FetchError", "release_name", "release_url", "fetch_release"]

DEFAULT_BASE_URL = "https://civicdb.org/downloads"
_RELEASE = re.compile(r"^\d{2}-[A-Z][a-z]{2}-\d{4}$")


class FetchError(KGError):
    """A release could not be downloaded (network, HTTP status, bad name or URL)."""


def release_name(text: str | None = None, *, today: dt.date | None = None) -> str:
    """Return a CIViC release name (``01-Aug-2024``): `text` checked, or this month's.

    Parameters
    ----------
    text : str, optional
        ``DD-Mon-YYYY`` (CIViC's form) or an ISO date ``YYYY-MM-DD``; None for the first
        day of the current month (CIViC's monthly releases are dated the 1st).
    today : datetime.date, optional
        For tests; defaults to today.

    Returns
    -------
    str

    Raises
    ------
    FetchError
        The text is neither form.

    Examples
    --------
    >>> release_name("2024-08-01"), release_name("01-Aug-2024")
    ('01-Aug-2024', '01-Aug-2024')
    >>> release_name(today=dt.date(2026, 11, 29))
    '01-Nov-2026'
    """
    if text is None:
        day = (today or dt.date.today()).replace(day=1)
        return day.strftime("%d-%b-%Y")
    text = text.strip()
    try:
        if _RELEASE.match(text):
            return dt.datetime.strptime(text, "%d-%b-%Y").strftime("%d-%b-%Y")
        return dt.date.fromisoformat(text).strftime("%d-%b-%Y")
    except ValueError:
        raise FetchError(f"release {text!r}: expected DD-Mon-YYYY (e.g. 01-Aug-2024) or "
                         "YYYY-MM-DD") from None


def release_url(base_url: str, release: str, kind: str) -> str:
    """Return the download URL of one file of a release.

    Parameters
    ----------
    base_url : str
        ``https://civicdb.org/downloads`` or a mirror (http or https only).
    release : str
        ``01-Aug-2024``.
    kind : str
        A file kind, e.g. ``ClinicalEvidenceSummaries``.

    Returns
    -------
    str

    Raises
    ------
    FetchError
        The base URL is not http(s).

    Examples
    --------
    >>> release_url("https://civicdb.org/downloads", "01-Aug-2024", "GeneSummaries")
    'https://civicdb.org/downloads/01-Aug-2024/01-Aug-2024-GeneSummaries.tsv'
    """
    parts = urllib.parse.urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(f"base URL {base_url!r}: expected an http:// or https:// URL")
    return f"{base_url.rstrip('/')}/{release}/{release}-{kind}.tsv"


def _download(url: str, dest: Path, opener: Callable[..., Any], timeout: float) -> str:
    h = hashlib.sha256()
    try:
        with opener(url, timeout=timeout) as resp, dest.open("wb") as out:
            while chunk := resp.read(1 << 16):
                h.update(chunk)
                out.write(chunk)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"{url}: {reason} (is the machine online?)") from None
    return h.hexdigest()


def fetch_release(release: str, dest_root: Path, *, base_url: str = DEFAULT_BASE_URL,
                  timeout: float = 60.0, force: bool = False,
                  opener: Callable[..., Any] = urllib.request.urlopen) -> Path:
    """Download, check and store one CIViC release as ``dest_root/<release>/``.

    Parameters
    ----------
    release : str
        The release name, ``DD-Mon-YYYY`` (see `release_name`).
    dest_root : pathlib.Path
        Where releases live (``data/civic``).
    base_url : str, optional
        The download root; a local mirror in tests.
    timeout : float, optional
        Seconds per request.
    force : bool, optional
        Replace a release already stored under that name.
    opener : callable, optional
        ``urllib.request.urlopen`` or a stand-in with its signature.

    Returns
    -------
    pathlib.Path
        The stored release directory (with ``SHA256SUMS``).

    Raises
    ------
    FetchError
        Already stored (without `force`), or a download failed.
    IngestError
        The downloaded files fail the importer's checks (nothing is stored).
    """
    release = release_name(release)
    dest_root = Path(dest_root)
    final = dest_root / release
    if final.exists() and not force:
        raise FetchError(f"{final} exists already (use --force to download it again)")
    dest_root.mkdir(parents=True, exist_ok=True)
    tmp = dest_root / f".{release}.part-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        sums = {}
        for kind in FILE_KINDS:
            name = f"{release}-{kind}.tsv"
            sums[name] = _download(release_url(base_url, release, kind), tmp / name, opener,
                                   timeout)
        got = read_release(tmp)
        if got.release != release:
            raise IngestError(InputProblem(str(tmp), None, f"files name release {got.release}, "
                                           f"not {release}"))
        (tmp / "SHA256SUMS").write_text(
            "".join(f"{h}  {n}\n" for n, h in sorted(sums.items())), encoding="utf-8")
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final
