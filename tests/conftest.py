"""Paths the tests import; the fixtures live in `tests.plugin` (loaded by the root conftest)."""

from tests.plugin import CIVIC_RELEASE, DATA, ROOT, SHARED

__all__ = ["CIVIC_RELEASE", "DATA", "ROOT", "SHARED"]
