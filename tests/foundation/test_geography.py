"""Reference geography: completeness and correctness against public facts."""

from collections import Counter

import pytest

from data import geography
from data.geography import (
    ReferenceDataError,
    Town,
    UnknownMunicipality,
    build_municipalities,
    municipalities,
    municipality_by_code,
    municipality_by_name,
    offices,
    region_of,
    regions,
)


def test_five_regions_with_danish_names() -> None:
    assert [(r.code, r.name) for r in regions()] == [
        ("DK-81", "Nordjylland"),
        ("DK-82", "Midtjylland"),
        ("DK-83", "Syddanmark"),
        ("DK-84", "Hovedstaden"),
        ("DK-85", "Sjælland"),
    ]


def test_all_98_municipalities_with_unique_codes_and_names() -> None:
    refs = municipalities()
    assert len(refs) == 98
    assert len({m.code for m in refs}) == 98
    assert len({m.name for m in refs}) == 98
    assert all(100 < m.code < 900 for m in refs)


def test_municipalities_per_region_match_official_counts() -> None:
    names = {r.code: r.name for r in regions()}
    counts = Counter(names[m.region_code] for m in municipalities())
    assert counts == {
        "Hovedstaden": 29,
        "Sjælland": 17,
        "Syddanmark": 22,
        "Midtjylland": 19,
        "Nordjylland": 11,
    }


@pytest.mark.parametrize(
    ("code", "name", "region"),
    [
        (101, "København", "Hovedstaden"),
        (147, "Frederiksberg", "Hovedstaden"),
        (400, "Bornholm", "Hovedstaden"),
        (370, "Næstved", "Sjælland"),
        (360, "Lolland", "Sjælland"),
        (461, "Odense", "Syddanmark"),
        (492, "Ærø", "Syddanmark"),
        (630, "Vejle", "Syddanmark"),
        (751, "Aarhus", "Midtjylland"),
        (615, "Horsens", "Midtjylland"),
        (741, "Samsø", "Midtjylland"),
        (787, "Thisted", "Nordjylland"),
        (825, "Læsø", "Nordjylland"),
        (851, "Aalborg", "Nordjylland"),
    ],
)
def test_known_municipality_is_in_its_region(code: int, name: str, region: str) -> None:
    ref = municipality_by_code(code)
    assert ref.name == name
    assert region_of(code).name == region


def test_centroids_lie_in_denmark_and_bornholm_is_far_east() -> None:
    for m in municipalities():
        assert 54.5 < m.lat < 57.8, m
        assert 8.0 < m.lon < 15.3, m
        assert m.source.startswith("geonames: mean of")
    assert municipality_by_code(400).lon > 14.5
    assert municipality_by_code(787).lat > 56.8  # Thisted is in the north-west


def test_lookup_by_name_is_case_insensitive_and_unknown_raises() -> None:
    assert municipality_by_name("næstved").code == 370
    with pytest.raises(UnknownMunicipality, match="999"):
        municipality_by_code(999)
    with pytest.raises(UnknownMunicipality, match="Atlantis"):
        municipality_by_name("Atlantis")


def test_christianso_is_the_99th_admin2_and_is_ignored() -> None:
    admin2 = {t.admin2 for t in geography.danish_towns()}
    assert len(admin2) == 99
    assert admin2 - set(geography.OFFICIAL_MUNICIPALITIES) == {"Christianso"}


def test_a_municipality_missing_from_the_extract_fails_loudly() -> None:
    towns = tuple(t for t in geography.danish_towns() if t.admin2 != "Laeso Kommune")
    with pytest.raises(ReferenceDataError, match="825 Læsø"):
        build_municipalities(towns)


def test_an_unmapped_admin2_fails_loudly() -> None:
    towns = (*geography.danish_towns(), Town("X", 55.0, 10.0, "Zealand", "Nowhere Kommune"))
    with pytest.raises(ReferenceDataError, match="Nowhere Kommune"):
        build_municipalities(towns)


def test_six_offices_cover_all_regions() -> None:
    refs = offices()
    assert [o.name for o in refs] == [
        "København", "Næstved", "Odense", "Kolding", "Aarhus", "Aalborg",
    ]
    served = {code for o in refs for code in o.serves_regions}
    assert served == {r.code for r in regions()}
    for office in refs:
        assert region_of(office.municipality_code).code in office.serves_regions
    assert municipality_by_code(refs[0].municipality_code).name == "København"
