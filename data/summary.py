"""Figures of the book of business as plain data, read from the database.

`book_summary` answers "what is in the book": cases by region and language, consultants
by office and language, supply against demand per language. `famplan demo` prints it;
tests compare it with the calibration figures. Nothing here prints.

The case's language is the base language of its parents' tag (``ar-IQ`` → ``ar``);
"running" means status active on the reference day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Table, select
from sqlalchemy.engine import Engine

from data.languages import base_language, display_name
from data.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Case,
    CaseLanguage,
    CaseStatus,
    Consultant,
    ConsultantLanguage,
    Coordinator,
    InterventionType,
    LanguageLevel,
    Municipality,
    Office,
    PersonGroup,
    Region,
)


@dataclass(frozen=True, slots=True)
class LanguageBalance:
    """Supply and demand of one base language."""

    language: str  # base tag, e.g. "ar"
    name: str  # Danish name
    cases: int  # all cases of the year in this language
    running: int  # running cases needing it (their parents' language)
    consultants: int  # consultants speaking it at any level, any dialect
    native_consultants: int

    @property
    def running_per_consultant(self) -> float | None:
        return self.running / self.consultants if self.consultants else None


@dataclass(frozen=True, slots=True)
class BookSummary:
    cases: int
    running: int
    open_requests: int
    ended: int
    municipalities: int
    cases_by_region: dict[str, int]  # Danish region name → cases
    running_by_region: dict[str, int]
    cases_by_language: dict[str, int]  # base tag → cases, largest first
    language_tags_by_case: dict[str, int]  # full parents' tag → cases
    foreign_share: float  # share of cases not in Danish
    cases_by_type: dict[str, int]
    support_share: float
    consultants: int
    consultants_by_office: dict[str, int]
    coordinators_by_office: dict[str, int]
    consultant_tags: int  # distinct tags (languages and dialects) consultants speak
    consultants_by_language: dict[str, int]  # base tag → consultants speaking it
    running_by_primary_office: dict[str, int]  # office of the primary consultant
    locked_assignments: int
    balances: tuple[LanguageBalance, ...] = field(default=())
    #: (region, language, running cases) where no consultant of an office serving the
    #: region speaks the language: the families reception must serve from afar.
    regional_gaps: tuple[tuple[str, str, int], ...] = field(default=())

    @property
    def languages(self) -> int:
        return len(self.cases_by_language)

    @property
    def coordinators(self) -> int:
        return sum(self.coordinators_by_office.values())

    def shortages(self, threshold: float = 3.0) -> tuple[LanguageBalance, ...]:
        """Languages with running cases and no speaker, or more than `threshold` per speaker."""
        return tuple(
            b
            for b in self.balances
            if b.running and (b.consultants == 0 or b.running / b.consultants > threshold)
        )


def _t(model: object) -> Table:
    return model.__table__  # type: ignore[attr-defined]


def _ordered(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def book_summary(engine: Engine) -> BookSummary:
    region_t, municipality_t, office_t = _t(Region), _t(Municipality), _t(Office)
    case_t, case_language_t, consultant_t = _t(Case), _t(CaseLanguage), _t(Consultant)
    spoken_t, coordinator_t, assignment_t = _t(ConsultantLanguage), _t(Coordinator), _t(Assignment)
    with engine.connect() as db:
        regions = {r.code: r.name for r in db.execute(select(region_t))}
        municipality_region = {m.code: m.region_code for m in db.execute(select(municipality_t))}
        office_rows = db.execute(select(office_t)).all()
        offices = {o.id: o.name for o in office_rows}
        serving: dict[str, set[int]] = defaultdict(set)
        for o in office_rows:
            for region_code in o.serves_regions:
                serving[region_code].add(o.id)
        cases = db.execute(
            select(
                case_t.c.id,
                case_t.c.municipality_code,
                case_t.c.status,
                case_t.c.intervention_type,
                case_t.c.needs_support_person,
            )
        ).all()
        parents_tag: dict[int, str] = {}
        for row in db.execute(select(case_language_t).order_by(case_language_t.c.id)):
            if row.person_group == PersonGroup.PARENTS:
                parents_tag.setdefault(row.case_id, row.tag)
        consultants = {
            c.id: c.office_id
            for c in db.execute(select(consultant_t.c.id, consultant_t.c.office_id))
        }
        spoken = db.execute(
            select(spoken_t.c.consultant_id, spoken_t.c.tag, spoken_t.c.level)
        ).all()
        coordinators = db.execute(select(coordinator_t.c.office_id)).scalars().all()
        current = assignment_t.c.status != AssignmentStatus.ENDED
        primaries = (
            db.execute(
                select(assignment_t.c.consultant_id).where(
                    assignment_t.c.role == AssignmentRole.PRIMARY, current
                )
            )
            .scalars()
            .all()
        )
        locked = len(
            db.execute(select(assignment_t.c.id).where(assignment_t.c.locked, current)).all()
        )

    status_counts: Counter[CaseStatus] = Counter(row.status for row in cases)
    by_region: Counter[str] = Counter()
    running_by_region: Counter[str] = Counter()
    by_language: Counter[str] = Counter()
    running_by_language: Counter[str] = Counter()
    by_tag: Counter[str] = Counter()
    by_type: Counter[str] = Counter()
    running_by_region_language: Counter[tuple[str, str]] = Counter()
    for row in cases:
        region = regions[municipality_region[row.municipality_code]]
        tag = parents_tag.get(row.id, "und")
        language = base_language(tag) if tag != "und" else "und"
        by_region[region] += 1
        by_language[language] += 1
        by_tag[tag] += 1
        by_type[InterventionType(row.intervention_type).value] += 1
        if row.status is CaseStatus.ACTIVE:
            running_by_region_language[(municipality_region[row.municipality_code], language)] += 1
            running_by_region[region] += 1
            running_by_language[language] += 1

    speakers: dict[str, set[int]] = defaultdict(set)
    natives: dict[str, set[int]] = defaultdict(set)
    tags: set[str] = set()
    office_languages: dict[int, set[str]] = defaultdict(set)
    for consultant_id, tag, level in spoken:
        tags.add(tag)
        office_languages[consultants[consultant_id]].add(base_language(tag))
        speakers[base_language(tag)].add(consultant_id)
        if level == LanguageLevel.NATIVE:
            natives[base_language(tag)].add(consultant_id)

    balances = tuple(
        LanguageBalance(
            language,
            display_name(language),
            by_language[language],
            running_by_language[language],
            len(speakers.get(language, ())),
            len(natives.get(language, ())),
        )
        for language in sorted(
            set(by_language) | set(speakers),
            key=lambda lang: (-running_by_language[lang], -by_language[lang], lang),
        )
    )
    gaps = tuple(
        (regions[region_code], language, n)
        for (region_code, language), n in sorted(running_by_region_language.items())
        if not any(language in office_languages[o] for o in serving[region_code])
    )
    total = len(cases)
    return BookSummary(
        cases=total,
        running=status_counts[CaseStatus.ACTIVE],
        open_requests=status_counts[CaseStatus.REQUESTED],
        ended=status_counts[CaseStatus.ENDED],
        municipalities=len({row.municipality_code for row in cases}),
        cases_by_region=_ordered(by_region),
        running_by_region=_ordered(running_by_region),
        cases_by_language=_ordered(by_language),
        language_tags_by_case=_ordered(by_tag),
        foreign_share=(total - by_language["da"]) / total if total else 0.0,
        cases_by_type=_ordered(by_type),
        support_share=sum(1 for row in cases if row.needs_support_person) / total if total else 0.0,
        consultants=len(consultants),
        consultants_by_office=_ordered(Counter(offices[o] for o in consultants.values())),
        coordinators_by_office=_ordered(Counter(offices[o] for o in coordinators)),
        consultant_tags=len(tags),
        consultants_by_language=_ordered(Counter({k: len(v) for k, v in speakers.items()})),
        running_by_primary_office=_ordered(
            Counter(offices[consultants[c]] for c in primaries if c is not None)
        ),
        locked_assignments=locked,
        balances=balances,
        regional_gaps=gaps,
    )


def reference_day_note(today: dt.date) -> str:
    return f"running = active on {today.isoformat()} (the scenario's today)"
