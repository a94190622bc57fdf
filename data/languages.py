"""Language tags and how closely a consultant's language covers a family's.

Tags are parsed and normalised by `langcodes` (BCP 47). Closeness is decided by small,
sourced tables in `data/reference/` rather than by CLDR's matching distance, which
counts Russian as acceptable for a Ukrainian speaker and Turkish for a Kurmanji one:
a different language is never offered as if it were the family's own.

Levels, best first (the first argument is always the *family's* tag, the second the
*consultant's*):

- `EXACT`: the same tag (``ar-IQ`` / ``ar-IQ``).
- `VARIETY`: the same language, another regional variety (``pt-BR`` / ``pt-PT``).
- `DIALECT`: an Arabic dialect of the same group (``ar-SY`` / ``ar-LB``, both Levantine;
  also when one side names no group, e.g. plain ``ar``). Groups:
  ``data/reference/arabic_dialect_groups.csv``.
- `RELATED`: a related language a family may accept only with a coordinator's sign-off
  on the case (``prs`` / ``fa``), and Arabic of another dialect group (``ar-MA`` /
  ``ar-IQ``). Pairs: ``data/reference/related_languages.csv``.
- `NONE`: an interpreter would be needed.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from enum import StrEnum
from functools import lru_cache
from importlib import resources

import langcodes

#: CLDR distance kept for callers that still report it; closeness no longer uses it.
DEFAULT_MAX_DISTANCE = 30

#: The language subtag of Arabic (the ISO 639-3 macrolanguage `ara`).
ARABIC = "ar"


class InvalidLanguageTag(ValueError):
    """A string that is not a valid BCP 47 language tag."""

    def __init__(self, tag: str, reason: str = "not a valid BCP 47 language tag") -> None:
        super().__init__(f"{tag!r}: {reason}")
        self.tag = tag


class Closeness(StrEnum):
    """How well a consultant's language covers a family's language, best first."""

    EXACT = "exact"  # same tag, e.g. ar-IQ / ar-IQ
    VARIETY = "variety"  # same language, other regional variety, e.g. pt-BR / pt-PT
    DIALECT = "dialect"  # Arabic dialect of the same group, e.g. ar-SY / ar-LB
    RELATED = "related"  # needs a coordinator's sign-off, e.g. prs / fa, ar-MA / ar-IQ
    NONE = "none"  # incompatible: an interpreter would be needed
    #: The old name of `RELATED` (CLDR fallback), kept so existing callers still read.
    FALLBACK = "related"

    @classmethod
    def _missing_(cls, value: object) -> Closeness | None:
        # Stored settings may still say "fallback" (e.g. a roster case's minimum).
        return cls.RELATED if value == "fallback" else None


#: Best first; a lower rank is a closer cover.
CLOSENESS_RANK: dict[Closeness, int] = {
    Closeness.EXACT: 0,
    Closeness.VARIETY: 1,
    Closeness.DIALECT: 2,
    Closeness.RELATED: 3,
    Closeness.NONE: 4,
}

#: How reception sees each level.
CLOSENESS_LABEL: dict[Closeness, str] = {
    Closeness.EXACT: "the family's own language",
    Closeness.VARIETY: "another regional variety",
    Closeness.DIALECT: "an Arabic dialect of the same group",
    Closeness.RELATED: "a related language (needs a coordinator's sign-off)",
    Closeness.NONE: "no common language",
}


def _reference_rows(name: str) -> list[dict[str, str]]:
    """Rows of a CSV in ``data/reference/``, skipping ``#`` comment lines (the sources)."""
    text = resources.files("data").joinpath("reference", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


@lru_cache(maxsize=1)
def arabic_dialect_groups() -> dict[str, str]:
    """Region (``"SY"``) or ISO 639-3 code (``"apc"``) → dialect group (``"levantine"``)."""
    return {row["key"]: row["group"] for row in _reference_rows("arabic_dialect_groups.csv")}


@lru_cache(maxsize=1)
def related_languages() -> frozenset[frozenset[str]]:
    """Unordered pairs of language subtags that are related, not the same."""
    return frozenset(
        frozenset((row["language"], row["related"]))
        for row in _reference_rows("related_languages.csv")
    )


def _arabic_member_codes() -> frozenset[str]:
    return frozenset(key for key in arabic_dialect_groups() if key.islower())


@lru_cache(maxsize=4096)
def normalize_tag(tag: str) -> str:
    """Return the standard form of `tag` (e.g. ``"AR-iq"`` → ``"ar-IQ"``).

    Raises `InvalidLanguageTag` for anything `langcodes` cannot parse or does not know.
    """
    if not isinstance(tag, str) or not tag.strip():
        raise InvalidLanguageTag(str(tag), "empty language tag")
    try:
        # normalize=False keeps Dari as `prs` instead of folding it into `fa-AF`.
        language = langcodes.Language.get(tag.strip(), normalize=False)
    except (langcodes.tag_parser.LanguageTagError, ValueError) as error:
        raise InvalidLanguageTag(tag) from error
    if not language.language or not language.is_valid():
        raise InvalidLanguageTag(tag)
    return language.to_tag()


def base_language(tag: str) -> str:
    """The language subtag alone: ``"ar-IQ"`` → ``"ar"``."""
    return langcodes.Language.get(normalize_tag(tag), normalize=False).language or ""


#: The language nearly everyone speaks: a family's need is any other.
MAJORITY_LANGUAGE = "da"


def family_language(tags: Sequence[tuple[str, str]]) -> str | None:
    """The language a case is staffed for (the reports' demand, a roster's language
    cover): the parents' (then the child's) first non-Danish language, else the first
    language; None for a case without languages. The rarest need binds; nearly everyone
    speaks Danish. `tags` are (person group, tag) in the order they were given
    (`CaseLanguage.id`); the group is `PersonGroup`'s value ("parents", "child")."""
    ordered = sorted(tags, key=lambda item: item[0] != "parents")
    for _, tag in ordered:
        if base_language(tag) != MAJORITY_LANGUAGE:
            return tag
    return ordered[0][1] if ordered else None


def is_arabic(tag: str) -> bool:
    """Arabic of any kind: ``ar``, ``ar-IQ`` or an individual Arabic language (``apc``)."""
    base = base_language(tag)
    return base == ARABIC or base in _arabic_member_codes()


def arabic_dialect_group(tag: str) -> str | None:
    """The dialect group of an Arabic tag (``"ar-SY"`` → ``"levantine"``), None if the
    tag names no group (plain ``ar``) or is not Arabic."""
    if not is_arabic(tag):
        return None
    language = langcodes.Language.get(normalize_tag(tag), normalize=False)
    groups = arabic_dialect_groups()
    base = language.language or ""
    if base != ARABIC:
        return groups.get(base)
    return groups.get(language.territory or "")


@lru_cache(maxsize=65536)
def distance(family_tag: str, consultant_tag: str) -> int:
    """CLDR matching distance from the family's tag to the consultant's (0 = identical).
    Informative only: `closeness` does not use it."""
    return int(langcodes.tag_distance(normalize_tag(family_tag), normalize_tag(consultant_tag)))


@lru_cache(maxsize=65536)
def closeness(family_tag: str, consultant_tag: str) -> Closeness:
    """Classify how `consultant_tag` covers `family_tag` (see `Closeness`)."""
    family, consultant = normalize_tag(family_tag), normalize_tag(consultant_tag)
    if family == consultant:
        return Closeness.EXACT
    if is_arabic(family) and is_arabic(consultant):
        family_group, consultant_group = (
            arabic_dialect_group(family),
            arabic_dialect_group(consultant),
        )
        if family_group is None or consultant_group is None or family_group == consultant_group:
            return Closeness.DIALECT
        return Closeness.RELATED
    family_base, consultant_base = base_language(family), base_language(consultant)
    if family_base == consultant_base:
        return Closeness.VARIETY
    if frozenset((family_base, consultant_base)) in related_languages():
        return Closeness.RELATED
    return Closeness.NONE


@lru_cache(maxsize=4096)
def language_label(tag: str, locale: str = "en") -> str:
    """The language's own name without folding dialect tags (``prs`` → "Dari", not
    "Persian (Afghanistan)"; ``tl`` → "Tagalog"); the tag itself if unknown."""
    try:
        return str(langcodes.Language.get(tag, normalize=False).display_name(locale))
    except (ValueError, langcodes.tag_parser.LanguageTagError):
        return tag


@lru_cache(maxsize=4096)
def display_name(tag: str, locale: str = "da") -> str:
    """Human name of a tag in `locale` (Danish by default), e.g. ``"arabisk (Irak)"``.
    Cached: langcodes looks names up in its tables (about a millisecond), and the
    matcher's reasons and the pages ask for the same few tags over and over."""
    return str(langcodes.Language.get(normalize_tag(tag)).display_name(locale))
