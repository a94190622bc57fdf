"""Language tags and CLDR closeness (data.languages)."""

from pathlib import Path

import pytest

from data.languages import (
    Closeness,
    InvalidLanguageTag,
    arabic_dialect_group,
    arabic_dialect_groups,
    closeness,
    display_name,
    distance,
    normalize_tag,
    related_languages,
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
        ("pt-BR", "pt-PT", Closeness.VARIETY),  # same language, other regional variety
        ("fa-AF", "fa-IR", Closeness.VARIETY),
        ("ar-SY", "ar-LB", Closeness.DIALECT),  # both Levantine
        ("ar-SY", "apc", Closeness.DIALECT),  # ISO 639-3 Levantine Arabic
        ("ar-IQ", "acm", Closeness.DIALECT),  # ISO 639-3 Mesopotamian Arabic
        ("ar-MA", "ar-DZ", Closeness.DIALECT),  # both Maghrebi
        ("ar-IQ", "ar", Closeness.DIALECT),  # no group on one side: still Arabic
        ("ar", "ar-EG", Closeness.DIALECT),
        ("ar-MA", "ar-IQ", Closeness.RELATED),  # Maghrebi ≠ Mesopotamian: sign-off only
        ("ar-IQ", "ar-SY", Closeness.RELATED),  # Mesopotamian ≠ Levantine
        ("prs", "fa", Closeness.RELATED),  # Dari ↔ Persian: sign-off only
        ("fa", "prs", Closeness.RELATED),
        ("bs", "hr", Closeness.RELATED),
        ("uk", "ru", Closeness.NONE),  # a different language (CLDR distance 24)
        ("kmr", "tr", Closeness.NONE),  # a different language (CLDR distance 30)
        ("tr", "kmr", Closeness.NONE),
        ("ckb", "kmr", Closeness.NONE),  # Sorani and Kurmanji are not interchangeable
        ("ar", "da", Closeness.NONE),
    ],
)
def test_closeness_classes(family: str, consultant: str, expected: Closeness) -> None:
    assert closeness(family, consultant) is expected


def test_cldr_distance_is_informative_only() -> None:
    # CLDR calls Ukrainian → Russian close (24); closeness does not follow it.
    assert distance("uk", "ru") == 24
    assert closeness("uk", "ru") is Closeness.NONE


@pytest.mark.parametrize(
    ("tag", "group"),
    [
        ("ar-SY", "levantine"),
        ("ar-LB", "levantine"),
        ("ar-PS", "levantine"),
        ("ar-IQ", "mesopotamian"),
        ("ar-KW", "gulf"),
        ("ar-EG", "egyptian"),
        ("ar-SD", "sudanese"),
        ("ar-MA", "maghrebi"),
        ("ary", "maghrebi"),
        ("ar", None),  # no region: no known group
        ("ar-FR", None),  # a region with no Arabic dialect row
        ("fa", None),  # not Arabic
    ],
)
def test_arabic_dialect_group(tag: str, group: str | None) -> None:
    assert arabic_dialect_group(tag) == group


def test_grouping_data_covers_the_six_groups_and_names_its_source() -> None:
    groups = arabic_dialect_groups()
    assert set(groups.values()) == {
        "levantine",
        "mesopotamian",
        "gulf",
        "egyptian",
        "sudanese",
        "maghrebi",
    }
    # Every ISO 639-3 key is a tag langcodes knows (the data cannot drift into typos).
    for key in groups:
        normalize_tag(key if key.islower() else f"ar-{key}")
    source = (Path(__file__).parents[2] / "data/reference/arabic_dialect_groups.csv").read_text()
    assert "Glottolog" in source and "iso639-3.sil.org" in source


def test_related_pairs_are_symmetric_and_known_tags() -> None:
    for pair in related_languages():
        assert len(pair) == 2
        for tag in pair:
            normalize_tag(tag)
    assert frozenset({"prs", "fa"}) in related_languages()


def test_display_name_in_danish_and_english() -> None:
    assert display_name("ar-IQ") == "arabisk (Irak)"
    assert display_name("ar-IQ", "en") == "Arabic (Iraq)"


def test_the_old_name_fallback_still_reads_as_related() -> None:
    assert Closeness("fallback") is Closeness.RELATED
    assert Closeness.FALLBACK is Closeness.RELATED
