"""Language tags and closeness between a family's language and a consultant's.

Closeness comes from CLDR's language-matching data through `langcodes.tag_distance`;
no hand-written table. The first argument is always the *family's* (desired) tag and
the second the *consultant's* (supported) tag: CLDR distances are not symmetric
(a Kurmanji speaker from Turkey may accept Turkish, not the reverse).
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

import langcodes

#: CLDR distance below which a different language is still an acceptable fallback
#: (e.g. Dari↔Farsi = 4, Ukrainian→Russian = 24, Kurmanji→Turkish = 30).
DEFAULT_MAX_DISTANCE = 30


class InvalidLanguageTag(ValueError):
    """A string that is not a valid BCP 47 language tag."""

    def __init__(self, tag: str, reason: str = "not a valid BCP 47 language tag") -> None:
        super().__init__(f"{tag!r}: {reason}")
        self.tag = tag


class Closeness(StrEnum):
    """How well a consultant's language covers a family's language, best first."""

    EXACT = "exact"  # same tag, e.g. ar-IQ / ar-IQ
    DIALECT = "dialect"  # same language, other region or dialect, e.g. ar-IQ / ar-SY
    FALLBACK = "fallback"  # another language CLDR accepts, e.g. prs / fa
    NONE = "none"  # incompatible: an interpreter would be needed


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


@lru_cache(maxsize=65536)
def distance(family_tag: str, consultant_tag: str) -> int:
    """CLDR matching distance from the family's tag to the consultant's (0 = identical)."""
    return int(langcodes.tag_distance(normalize_tag(family_tag), normalize_tag(consultant_tag)))


def closeness(
    family_tag: str, consultant_tag: str, max_distance: int = DEFAULT_MAX_DISTANCE
) -> Closeness:
    """Classify how `consultant_tag` covers `family_tag` (see `Closeness`)."""
    family, consultant = normalize_tag(family_tag), normalize_tag(consultant_tag)
    if family == consultant:
        return Closeness.EXACT
    if base_language(family) == base_language(consultant):
        return Closeness.DIALECT
    if distance(family, consultant) <= max_distance:
        return Closeness.FALLBACK
    return Closeness.NONE


@lru_cache(maxsize=4096)
def language_label(tag: str, locale: str = "en") -> str:
    """The language's own name without folding dialect tags (``prs`` → "Dari", not
    "Persian (Afghanistan)"; ``tl`` → "Tagalog"); the tag itself if unknown."""
    try:
        return str(langcodes.Language.get(tag, normalize=False).display_name(locale))
    except (ValueError, langcodes.tag_parser.LanguageTagError):
        return tag


def display_name(tag: str, locale: str = "da") -> str:
    """Human name of a tag in `locale` (Danish by default), e.g. ``"arabisk (Irak)"``."""
    return str(langcodes.Language.get(normalize_tag(tag)).display_name(locale))
