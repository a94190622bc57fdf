"""The public figures the demo book reproduces, and the choices that pin them down.

Public (DESIGN.md, one provider, 2023): 555 interventions, region split
178/147/131/37/62, 76 municipalities, 56 languages with Danish 138, Arabic 105,
Ukrainian 40, six offices, about 200 consultants and 50 coordinators (Næstved 25 and
3), about 140 running cases carried by the four Jutland/Funen offices, about 25 % with
a support or contact person. Everything else below is a modelling choice of the
synthetic scenario (see `data.scenario` for the interpretation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from data.models import InterventionType

TODAY = dt.date(2023, 12, 15)
YEAR_START = dt.date(2023, 1, 2)
COPENHAGEN = ZoneInfo("Europe/Copenhagen")
DEFAULT_SEED = 42

# ------------------------------------------------------------- calibration figures

#: Interventions per region (ISO code) in 2023 — public figure, exact.
REGION_CASES: dict[str, int] = {
    "DK-84": 178,
    "DK-85": 147,
    "DK-83": 131,
    "DK-82": 37,
    "DK-81": 62,
}
#: Running on TODAY per region; Jutland/Funen (81+82+83) = 140.
RUNNING: dict[str, int] = {"DK-84": 146, "DK-85": 120, "DK-83": 80, "DK-82": 22, "DK-81": 38}
#: Open requests per region on TODAY (no assignment yet).
OPEN_REQUESTS: dict[str, int] = {"DK-84": 3, "DK-85": 2, "DK-83": 1, "DK-82": 1, "DK-81": 1}
#: How many municipalities of each region order at least one intervention (sum 76).
ORDERING_MUNICIPALITIES: dict[str, int] = {
    "DK-84": 24,
    "DK-85": 16,
    "DK-83": 18,
    "DK-82": 9,
    "DK-81": 9,
}

#: Cases per base language (56 languages, sum 555). Danish, Arabic and Ukrainian are
#: the public figures; the long tail is a plausible Danish mix that includes every
#: language the public material names (ps, prs, fa, ti, tl, tr, kmr, ckb, sdh, lki, hac).
LANGUAGE_CASES: dict[str, int] = {
    "da": 138,
    "ar": 105,
    "uk": 40,
    "so": 21,
    "fa": 15,
    "prs": 14,
    "ps": 12,
    "tr": 14,
    "ti": 12,
    "kmr": 10,
    "ckb": 9,
    "sdh": 4,
    "lki": 2,
    "hac": 2,
    "pl": 11,
    "ur": 9,
    "ro": 8,
    "ru": 8,
    "bs": 7,
    "sq": 7,
    "ta": 6,
    "vi": 6,
    "th": 5,
    "tl": 5,
    "en": 5,
    "lt": 5,
    "bg": 4,
    "es": 4,
    "pa": 4,
    "am": 4,
    "om": 3,
    "sw": 3,
    "fr": 3,
    "hi": 3,
    "bn": 3,
    "zh": 3,
    "sr": 3,
    "hr": 2,
    "lv": 2,
    "de": 2,
    "pt": 2,
    "hu": 2,
    "el": 2,
    "it": 2,
    "uz": 2,
    "hy": 2,
    "ka": 2,
    "mn": 2,
    "ne": 2,
    "si": 2,
    "my": 2,
    "az": 2,
    "ln": 3,
    "ha": 2,
    "yo": 2,
    "ko": 1,
}
#: Arabic cases by dialect tag (sum 105): where the families come from.
ARABIC_DIALECTS: dict[str, int] = {
    "ar-IQ": 27,
    "ar-SY": 26,
    "ar-LB": 14,
    "ar-PS": 14,
    "ar-MA": 9,
    "ar-EG": 5,
    "ar": 10,
}

#: Intervention types (sum 555): family treatment is more than half.
INTERVENTION_TYPES: dict[InterventionType, int] = {
    InterventionType.FAMILY_TREATMENT: 305,
    InterventionType.INTENSIVE_FAMILY_TREATMENT: 66,
    InterventionType.SUPPORT_PERSON: 55,
    InterventionType.CONTACT_PERSON: 44,
    InterventionType.COORDINATING_CONSULTANT: 79,
    InterventionType.DOGNINDSATS: 6,
}
#: Running døgnindsats cases by region (the other døgnindsats cases have ended).
RUNNING_DOGNINDSATS: dict[str, int] = {"DK-84": 2, "DK-85": 1, "DK-83": 1}
#: Cases with a support/contact person beside the primary consultant (≈ 25 %).
SUPPORT_PERSON_CASES = 139

#: Consultants and coordinators per office (public: ≈200 and ≈50; Næstved 25 and 3).
OFFICE_CONSULTANTS: dict[str, int] = {
    "København": 86,
    "Næstved": 25,
    "Odense": 25,
    "Kolding": 20,
    "Aarhus": 20,
    "Aalborg": 24,
}
OFFICE_COORDINATORS: dict[str, int] = {
    "København": 20,
    "Næstved": 3,
    "Odense": 7,
    "Kolding": 6,
    "Aarhus": 7,
    "Aalborg": 7,
}
JUTLAND_FUNEN_OFFICES = ("Odense", "Kolding", "Aarhus", "Aalborg")

#: Languages whose open request is deliberately placed where few speak it, so that
#: reception has something to explain: (region, parents' tag).
OPEN_REQUEST_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("DK-81", "ti"),
    ("DK-82", "prs"),
    ("DK-83", "so"),
    ("DK-85", "uk"),
    ("DK-85", "hac"),
    ("DK-84", "ar-IQ"),
    ("DK-84", "ckb"),
    ("DK-84", "da"),
)

#: Countries of origin where the language tag alone does not say (else CLDR's likely
#: territory of the tag is used).
ORIGIN_COUNTRIES: dict[str, tuple[str, ...]] = {
    "ar": ("IQ", "SY", "JO", "SD", "YE"),
    "ti": ("ER",),
    "prs": ("AF",),
    "hac": ("IQ", "IR"),
    "kmr": ("TR", "SY"),
    "ckb": ("IQ", "IR"),
    "sdh": ("IQ", "IR"),
    "en": ("GB", "NG", "GH", "US"),
    "fr": ("FR", "CD", "CI"),
    "es": ("ES", "CO", "VE"),
    "pt": ("PT", "BR"),
    "so": ("SO",),
    "sw": ("TZ", "KE"),
    "ps": ("AF",),
    "uk": ("UA",),
    "ru": ("RU", "UA"),
    "ln": ("CD",),
    "ha": ("NG",),
    "yo": ("NG",),
    "ta": ("LK", "IN"),
}


@dataclass(frozen=True, slots=True)
class Calibration:
    """The public figures the generated book must reproduce (scale 1)."""

    cases: int = 555
    municipalities: int = 76
    languages: int = 56
    danish: int = 138
    arabic: int = 105
    ukrainian: int = 40
    offices: int = 6
    consultants: int = 200
    coordinators: int = 50
    naestved_consultants: int = 25
    naestved_coordinators: int = 3
    jutland_funen_running: int = 140
    consultant_language_tags: int = 80
    support_share: float = 0.25


CALIBRATION = Calibration()
