"""Normalizing names: slugs for IRI keys and folded forms for matching. Pure functions."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name, for comparing names."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("u.s.", "us ").replace("u.k.", "uk ").replace("&", " and ")
    return " ".join(re.findall(r"\w+", text))


@lru_cache(maxsize=65536)  # a release names its own IRI in every evidence record, and organizations recur
def slug(text: str, limit: int = 120) -> str:
    """Lower-case ASCII slug: letters and digits joined by single hyphens ("" never returned); a text in
    another script (Cyrillic, Greek, Arabic) gets "x-" and a digest of it, so two such names never share one."""
    original = text
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("u.s.", "us ").replace("u.k.", "uk ").replace("'", "")
    out = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:limit].strip("-")
    if not out and re.search(r"[^\W_]", original):
        return "x-" + hashlib.sha1(original.encode("utf-8")).hexdigest()[:10]
    return out or "x"
