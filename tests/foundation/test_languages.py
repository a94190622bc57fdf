"""Language tags and CLDR closeness (data.languages)."""

import pytest

from data.languages import (
    Closeness,
    InvalidLanguageTag,
    closeness,
    display_name,
    distance,
    normalize_tag,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("AR-iq", "ar-IQ"), ("ckb", "ckb"), ("prs", "prs"), (" da ", "da"), ("sdh", "sdh")],
)
def test_normalize_tag_standardises_case_and_keeps_dari(raw: str, expected: str) -> None:
    assert normalize_tag(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "xx-ZZ", "12", "ar-", "not a tag"])
def test_normalize_tag_rejects_what_langcodes_cannot_parse(raw: str) -> None:
    with pytest.raises(InvalidLanguageTag):
        normalize_tag(raw)


def test_invalid_tag_error_names_the_tag() -> None:
    with pytest.raises(InvalidLanguageTag, match="xx-ZZ"):
        normalize_tag("xx-ZZ")


@pytest.mark.parametrize(
    ("family", "consultant", "expected"),
    [
        ("ar-IQ", "ar-IQ", Closeness.EXACT),
        ("ar-IQ", "ar-SY", Closeness.DIALECT),  # same language, other dialect
        ("ar-IQ", "ar", Closeness.DIALECT),
        ("prs", "fa", Closeness.FALLBACK),  # CLDR: Dari speakers accept Farsi
        ("fa", "prs", Closeness.FALLBACK),
        ("kmr", "tr", Closeness.FALLBACK),  # Kurmanji speakers in Turkey accept Turkish
        ("tr", "kmr", Closeness.NONE),  # … but not the reverse
        ("ckb", "kmr", Closeness.NONE),  # Sorani and Kurmanji are not interchangeable
        ("ar", "da", Closeness.NONE),
    ],
)
def test_closeness_classes(family: str, consultant: str, expected: Closeness) -> None:
    assert closeness(family, consultant) is expected


def test_threshold_controls_fallback() -> None:
    # Ukrainian → Russian has CLDR distance 24: acceptable at the default, not at 10.
    assert distance("uk", "ru") == 24
    assert closeness("uk", "ru") is Closeness.FALLBACK
    assert closeness("uk", "ru", max_distance=10) is Closeness.NONE


def test_display_name_in_danish_and_english() -> None:
    assert display_name("ar-IQ") == "arabisk (Irak)"
    assert display_name("ar-IQ", "en") == "Arabic (Iraq)"
