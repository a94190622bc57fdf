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
        "København",
        "Næstved",
        "Odense",
        "Kolding",
        "Aarhus",
        "Aalborg",
    ]
    served = {code for o in refs for code in o.serves_regions}
    assert served == {r.code for r in regions()}
    for office in refs:
        assert region_of(office.municipality_code).code in office.serves_regions
    assert municipality_by_code(refs[0].municipality_code).name == "København"


#: Official municipality codes per region (Danmarks Statistik), written out
#: independently of data.geography so the extract's region of every one is checked.
OFFICIAL_REGION_CODES = {
    "DK-84": {
        101,
        147,
        151,
        153,
        155,
        157,
        159,
        161,
        163,
        165,
        167,
        169,
        173,
        175,
        183,
        185,
        187,
        190,
        201,
        210,
        217,
        219,
        223,
        230,
        240,
        250,
        260,
        270,
        400,
    },
    "DK-85": {253, 259, 265, 269, 306, 316, 320, 326, 329, 330, 336, 340, 350, 360, 370, 376, 390},
    "DK-83": {
        410,
        420,
        430,
        440,
        450,
        461,
        479,
        480,
        482,
        492,
        510,
        530,
        540,
        550,
        561,
        563,
        573,
        575,
        580,
        607,
        621,
        630,
    },
    "DK-82": {
        615,
        657,
        661,
        665,
        671,
        706,
        707,
        710,
        727,
        730,
        740,
        741,
        746,
        751,
        756,
        760,
        766,
        779,
        791,
    },
    "DK-81": {773, 787, 810, 813, 820, 825, 840, 846, 849, 851, 860},
}


def test_every_municipality_is_in_its_official_region() -> None:
    derived = {m.code: m.region_code for m in municipalities()}
    official = {code: region for region, codes in OFFICIAL_REGION_CODES.items() for code in codes}
    assert derived == official


def test_geography_is_pure() -> None:
    """Solver packages import data.geography: it must not pull in the database stack."""
    import subprocess
    import sys

    probe = (
        "import sys, data.geography; "
        "print(sorted(m for m in ('sqlmodel', 'sqlalchemy', 'pandas', 'fastapi') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
