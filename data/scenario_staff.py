"""Consultants, coordinators and absences of the demo book (see `data.scenario`).

Supply follows demand: each office's consultants get native languages in proportion
to the running cases (and support persons) of the families nearest to it, by largest
remainder. Rounding leaves rare languages without a local speaker in some offices —
the shortage the matcher must explain. Every language of a running case is spoken by
somebody somewhere: where rounding left none, a consultant with a related mother
tongue speaks it as a second language.

Display names come from `faker` in a locale fitting the consultant's mother tongue
(Latin-script locales; Cyrillic names are transliterated). Cases have no names.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from functools import lru_cache

from faker import Faker

from data import geography
from data.calibration import OFFICE_CONSULTANTS, OFFICE_COORDINATORS, TODAY
from data.geography import MunicipalityRef
from data.models import (
    AbsenceReason,
    CaseStatus,
    Gender,
    InterventionType,
    LanguageLevel,
    Qualification,
)
from data.scenario_specs import (
    AbsenceSpec,
    CaseSpec,
    ConsultantSpec,
    CoordinatorSpec,
    apportion,
    base_of,
    municipality_weight,
    office_minutes,
    origin_countries,
)

#: Second languages that come naturally with a mother tongue (public linguistic facts).
RELATED: dict[str, tuple[str, ...]] = {
    "ar": ("fr", "en", "ckb", "kmr", "aii"),
    "ar-MA": ("rif", "fr"),
    "ckb": ("sdh", "lki", "hac", "fa", "ar-IQ"),
    "kmr": ("tr", "ckb", "ar-SY", "zza"),
    "sdh": ("ckb", "fa", "lki"),
    "lki": ("sdh", "fa"),
    "hac": ("ckb", "sdh"),
    "prs": ("fa", "ps", "haz"),
    "fa": ("prs", "en"),
    "ps": ("prs", "ur"),
    "uk": ("ru", "pl", "cs"),
    "ru": ("uk", "en"),
    "pl": ("en", "de"),
    "ti": ("am", "ar", "tig"),
    "am": ("ti", "om"),
    "om": ("am", "so"),
    "so": ("ar", "sw", "en", "it"),
    "sw": ("en", "so"),
    "bs": ("sr", "hr"),
    "sr": ("bs", "hr"),
    "hr": ("bs", "sr"),
    "ur": ("pa", "hi", "en"),
    "pa": ("ur", "hi"),
    "hi": ("ur", "en"),
    "bn": ("hi", "en"),
    "tr": ("kmr", "az", "de"),
    "az": ("tr", "ru"),
    "uz": ("ru",),
    "ro": ("en", "it", "rom"),
    "bg": ("ru", "rom", "mk"),
    "lt": ("ru", "pl"),
    "lv": ("ru",),
    "sq": ("it", "sr", "mk"),
    "ta": ("en", "ml"),
    "vi": ("en", "fr"),
    "th": ("en",),
    "tl": ("en", "ceb"),
    "ln": ("fr",),
    "ha": ("en", "yo"),
    "yo": ("en", "ha"),
    "es": ("en", "pt"),
    "pt": ("es",),
    "fr": ("en",),
    "it": ("en", "es"),
    "de": ("en",),
    "en": ("de", "fr"),
    "da": ("en", "sv", "nb", "de", "fr", "es", "nl", "is", "fo", "fi"),
    "hy": ("ru",),
    "ka": ("ru",),
    "mn": ("ru",),
    "ne": ("hi",),
    "si": ("ta", "en"),
    "my": ("en",),
    "zh": ("en", "yue"),
    "ko": ("en",),
    "hu": ("de",),
    "el": ("en",),
}
#: Arabic dialects consultants speak beyond those the families need.
EXTRA_ARABIC = ("ar-JO", "ar-SD", "ar-TN", "ar-DZ", "ar-YE", "ar-IQ", "ar-SY")

#: Faker locale per mother tongue: Latin-script locales where faker has one, names of
#: neighbouring Latin-script locales otherwise, Danish for the rest.
FAKER_LOCALES: dict[str, str] = {
    "da": "da_DK",
    "sv": "sv_SE",
    "nb": "no_NO",
    "de": "de_DE",
    "pl": "pl_PL",
    "ro": "ro_RO",
    "lt": "lt_LT",
    "lv": "lv_LV",
    "hu": "hu_HU",
    "it": "it_IT",
    "es": "es_ES",
    "pt": "pt_PT",
    "fr": "fr_FR",
    "tr": "tr_TR",
    "kmr": "tr_TR",
    "az": "az_AZ",
    "uz": "uz_UZ",
    "bs": "hr_HR",
    "sr": "hr_HR",
    "hr": "hr_HR",
    "vi": "vi_VN",
    "tl": "en_US",
    "en": "en_GB",
    "sw": "sw",
    "so": "sw",
    "om": "en_KE",
    "am": "en_KE",
    "ti": "en_KE",
    "ha": "ha_NG",
    "yo": "yo_NG",
    "ln": "fr_FR",
    "ar": "en_PK",
    "ar-MA": "fr_DZ",
    "ar-DZ": "fr_DZ",
    "ar-TN": "fr_DZ",
    "fa": "en_PK",
    "prs": "en_PK",
    "ps": "en_PK",
    "ur": "en_PK",
    "pa": "en_PK",
    "ckb": "en_PK",
    "sdh": "en_PK",
    "lki": "en_PK",
    "hac": "en_PK",
    "ta": "en_IN",
    "hi": "en_IN",
    "bn": "en_IN",
    "ne": "en_IN",
    "si": "en_IN",
    "uk": "uk_UA",
    "ru": "ru_RU",
    "bg": "bg_BG",
}
_CYRILLIC = dict(
    zip(
        "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяыэёъ",
        [
            "a",
            "b",
            "v",
            "h",
            "g",
            "d",
            "e",
            "ie",
            "zh",
            "z",
            "y",
            "i",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "iu",
            "ia",
            "y",
            "e",
            "e",
            "",
        ],
        strict=True,
    )
)

COMPETENCES = (
    "trauma",
    "domestic-violence",
    "autism",
    "adhd",
    "substance-abuse",
    "parenting",
    "youth-crime",
    "disability",
    "honour-related-conflict",
    "refugees",
)
#: Share of consultants on 30+ hours who take døgnindsats (night shifts). Four
#: døgnindsats run on the planning date, six people each, every member from an office
#: serving the region and within reach of the home (`matcher.team`): at 0.4 the teams in
#: Hovedstaden used up the nearby pool (one consultant on two teams, the rest over their
#: family hours), so no running team could be proposed again.
NIGHT_SHARE = 0.6
ALL_BUT_DOGN = tuple(t for t in InterventionType if t is not InterventionType.DOGNINDSATS)


def transliterate(text: str) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        if low in _CYRILLIC:
            latin = _CYRILLIC[low]
            out.append(latin.capitalize() if ch != low else latin)
        else:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=64)
def _faker(locale: str) -> Faker:
    return Faker(locale)


def person_name(native_tag: str, gender: Gender, rng: random.Random) -> str:
    """A synthetic name; re-seeding faker from `rng` keeps it deterministic."""
    locale = FAKER_LOCALES.get(native_tag) or FAKER_LOCALES.get(base_of(native_tag), "da_DK")
    fake = _faker(locale)
    fake.seed_instance(rng.getrandbits(32))
    first = fake.first_name_female() if gender is Gender.FEMALE else fake.first_name_male()
    return transliterate(f"{first} {fake.last_name()}")


def office_demand(cases: list[CaseSpec]) -> dict[str, Counter[str]]:
    """Consultant slots wanted per office and parents' tag: running and open cases."""
    demand: dict[str, Counter[str]] = defaultdict(Counter)
    for case in cases:
        if case.status is CaseStatus.ENDED:
            continue
        demand[case.home_office][case.parents_tag] += 2 if case.needs_support_person else 1
    return demand


def _native_tags(rng: random.Random, office: str, demand: Counter[str], n: int) -> list[str]:
    """Mother tongues of an office's `n` consultants, proportional to demand."""
    by_base: Counter[str] = Counter()
    for tag, slots in demand.items():
        by_base[base_of(tag)] += slots
    quotas = apportion(n, dict(by_base))
    tags: list[str] = []
    for base, k in sorted(quotas.items()):
        dialects = {t: s for t, s in demand.items() if base_of(t) == base}
        for _ in range(k):
            tag = rng.choices(list(dialects), list(dialects.values()))[0]
            if tag == "ar" or (base == "ar" and rng.random() < 0.1):
                tag = rng.choice(EXTRA_ARABIC)
            tags.append(tag)
    rng.shuffle(tags)
    return tags


def _languages(rng: random.Random, native: str) -> list[tuple[str, LanguageLevel]]:
    base = base_of(native)
    languages = [(native, LanguageLevel.NATIVE)]
    if base != "da":
        danish = LanguageLevel.FLUENT if rng.random() < 0.7 else LanguageLevel.WORKING
        languages.append(("da", danish))
    options = RELATED.get(native, ()) + RELATED.get(base, ())
    related = [t for t in options if t not in {tag for tag, _ in languages}]
    if related and rng.random() < (0.5 if base == "da" else 0.45):
        level = LanguageLevel.FLUENT if rng.random() < 0.6 else LanguageLevel.WORKING
        languages.append((rng.choice(related), level))
        related = [t for t in related if t not in {tag for tag, _ in languages}]
        if related and rng.random() < 0.25:
            languages.append((rng.choice(related), LanguageLevel.WORKING))
    if base == "ar" and rng.random() < 0.2:
        other = rng.choice([t for t in EXTRA_ARABIC if t != native])
        languages.append((other, LanguageLevel.FLUENT))
    if "en" not in {t for t, _ in languages} and rng.random() < 0.3:
        languages.append(("en", LanguageLevel.WORKING))
    return languages


def _home(rng: random.Random, office: geography.OfficeRef) -> MunicipalityRef:
    near = [
        m
        for m in geography.municipalities()
        if m.region_code in office.serves_regions and office_minutes(office, m) <= 55
    ] or [geography.municipality_by_code(office.municipality_code)]
    weights = [municipality_weight(m) / (1 + office_minutes(office, m) / 20) for m in near]
    return rng.choices(near, weights)[0]


def _consultant(
    rng: random.Random, seed: int, ref: str, office: geography.OfficeRef, native: str
) -> ConsultantSpec:
    gender = Gender.FEMALE if rng.random() < 0.72 else Gender.MALE
    languages = _languages(rng, native)
    hours = rng.choices([37.0, 30.0, 25.0, 15.0], [50, 20, 15, 15])[0]
    night = hours >= 30 and rng.random() < NIGHT_SHARE
    qualifications = {
        rng.choices(
            [
                Qualification.SOCIALRAADGIVER,
                Qualification.PAEDAGOG,
                Qualification.PSYKOLOG,
                Qualification.SYGEPLEJERSKE,
                Qualification.LAERER,
            ],
            [32, 40, 9, 7, 12],
        )[0]
    }
    if rng.random() < 0.35:
        qualifications.add(Qualification.FAMILIETERAPEUT)
    types: tuple[InterventionType, ...] = ALL_BUT_DOGN
    if hours <= 15 and rng.random() < 0.5:  # some part-timers only do support/contact
        types = (InterventionType.SUPPORT_PERSON, InterventionType.CONTACT_PERSON)
    if night:
        types = (*types, InterventionType.DOGNINDSATS)
    countries = set(origin_countries(native, rng))
    for tag, _ in languages[1:]:
        if rng.random() < 0.3 and base_of(tag) not in ("da", "en"):
            countries.update(origin_countries(tag, rng))
    if rng.random() < 0.06:  # recently hired: free capacity, few assignments
        active_from = TODAY - dt.timedelta(days=rng.randint(5, 90))
    else:
        active_from = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randint(0, 4000))
        active_from = min(active_from, dt.date(2022, 12, 1))
    active_to = dt.date(2024, 1, 31) if rng.random() < 0.02 else None
    home = _home(rng, office)
    return ConsultantSpec(
        ref=ref,
        display_name=person_name(native, gender, rng),
        office=office.name,
        home_municipality_code=home.code,
        home_lat=round(home.lat + rng.uniform(-0.01, 0.01), 5),
        home_lon=round(home.lon + rng.uniform(-0.015, 0.015), 5),
        gender=gender,
        languages=tuple(languages),
        qualifications=tuple(sorted(qualifications)),
        intervention_types=types,
        cultural_countries=tuple(sorted(countries)),
        competence_tags=tuple(sorted(rng.sample(COMPETENCES, rng.randint(0, 3)))),
        contracted_hours_per_week=hours,
        max_cases={37.0: 6, 30.0: 5, 25.0: 4}.get(hours, 3),
        takes_night_shifts=night,
        has_driving_licence=rng.random() < 0.9,
        active_from=active_from,
        active_to=active_to,
    )


def make_staff(
    rng: random.Random, seed: int, cases: list[CaseSpec], prefix: str
) -> tuple[list[ConsultantSpec], list[AbsenceSpec]]:
    demand = office_demand(cases)
    consultants: list[ConsultantSpec] = []
    for office in geography.offices():
        n = OFFICE_CONSULTANTS[office.name]
        for native in _native_tags(rng, office.name, demand[office.name], n):
            ref = f"K{prefix}{len(consultants) + 1:04d}"
            consultants.append(_consultant(rng, seed, ref, office, native))
    consultants = _cover_every_running_language(rng, consultants, cases, demand)
    return consultants, make_absences(rng, consultants)


def _cover_every_running_language(
    rng: random.Random,
    consultants: list[ConsultantSpec],
    cases: list[CaseSpec],
    demand: dict[str, Counter[str]],
) -> list[ConsultantSpec]:
    """Give each running language without any speaker to a related consultant."""
    spoken = {base_of(t) for c in consultants for t, _ in c.languages}
    running = sorted({c.language for c in cases if c.status is CaseStatus.ACTIVE})
    for language in running:
        if language in spoken:
            continue
        office = max(
            demand,
            key=lambda o: (sum(s for t, s in demand[o].items() if base_of(t) == language), o),
        )
        related = [
            c
            for c in consultants
            if language in RELATED.get(base_of(c.native_tag), ())
            and c.active_from < dt.date(2023, 1, 1)
            and len(c.intervention_types) > 2
        ]
        local = (
            [c for c in related if c.office == office]
            or related
            or [c for c in consultants if c.office == office and base_of(c.native_tag) != "da"]
        )
        chosen = rng.choice(local)
        index = consultants.index(chosen)
        consultants[index] = _with_language(chosen, language)
        spoken.add(language)
    return consultants


def _with_language(consultant: ConsultantSpec, tag: str) -> ConsultantSpec:
    from dataclasses import replace

    return replace(consultant, languages=(*consultant.languages, (tag, LanguageLevel.FLUENT)))


def make_absences(rng: random.Random, consultants: list[ConsultantSpec]) -> list[AbsenceSpec]:
    """Past summer holidays, Christmas holidays ahead, a few sick now, some training."""
    absences: list[AbsenceSpec] = []
    for c in consultants:
        if rng.random() < 0.6 and c.active_from < dt.date(2023, 6, 1):
            start = dt.date(2023, 7, 3) + dt.timedelta(weeks=rng.randint(0, 3))
            absences.append(
                AbsenceSpec(c.ref, start, start + dt.timedelta(days=20), AbsenceReason.VACATION)
            )
        roll = rng.random()
        if roll < 0.35:
            absences.append(
                AbsenceSpec(
                    c.ref, dt.date(2023, 12, 22), dt.date(2024, 1, 1), AbsenceReason.VACATION
                )
            )
        elif roll < 0.39:
            start = TODAY - dt.timedelta(days=rng.randint(0, 3))
            absences.append(
                AbsenceSpec(
                    c.ref, start, start + dt.timedelta(days=rng.randint(3, 10)), AbsenceReason.SICK
                )
            )
        elif roll < 0.44:
            start = dt.date(2024, 1, 8) + dt.timedelta(days=rng.randint(0, 14))
            absences.append(
                AbsenceSpec(c.ref, start, start + dt.timedelta(days=1), AbsenceReason.TRAINING)
            )
    return absences


def make_coordinators(rng: random.Random, seed: int, prefix: str) -> list[CoordinatorSpec]:
    coordinators: list[CoordinatorSpec] = []
    for office in geography.offices():
        for _ in range(OFFICE_COORDINATORS[office.name]):
            gender = Gender.FEMALE if rng.random() < 0.8 else Gender.MALE
            tongue = "da" if rng.random() < 0.7 else rng.choice(["ar", "tr", "uk", "so", "fa"])
            coordinators.append(
                CoordinatorSpec(
                    ref=f"S{prefix}{len(coordinators) + 1:03d}",
                    display_name=person_name(tongue, gender, rng),
                    office=office.name,
                    max_caseload=15 if office.name == "Næstved" else 12,
                )
            )
    return coordinators
