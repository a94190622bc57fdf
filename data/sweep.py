"""Scenario sweeps: "what if" questions about the book of business, as data.

A sweep file (TOML, e.g. ``data/sweeps/demo.toml``) holds options and a list of
scenarios; each scenario is a list of changes applied, in order, to a frozen snapshot of
the book (`matcher.problem.MatchProblem`), never to the database:

- ``hire``: `count` consultants at an office, speaking `languages`, `hours` a week;
  they live at the office and take the case types (and qualifications) most common
  among its consultants unless the change names them;
- ``lose``: `count` consultants leave (of an office and/or speaking a language; the
  first in staff-id order); their running assignments end, so their families need
  someone new;
- ``demand``: the cases in a language and/or region × `factor` (above 1: copies of
  those cases arrive as open requests; below 1: the last of them end);
- ``close_office``: the office closes; its staff and regions move to `move_staff_to`,
  or, without it, its staff leave;
- ``open_office``: a new office at `lat`/`lon` serving `serves_regions`;
- ``rule``: one matching rule's parameter (`MatchSettings`, ``weights.<term>`` too).

`load_sweep(text)` validates the file (pydantic) and reports each error with the line
and field at fault; `check_references` does the same for names that only the snapshot
knows (offices, regions, staff counts). `solve_scenario` is the unit of work an
executor ships (`solving.executor`): the snapshot, a scenario and the options in, a
`ScenarioResult` out; in reproducible mode (deterministic CP-SAT) it is the same on
every executor.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import tomllib
from collections import Counter
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from data.languages import InvalidLanguageTag, normalize_tag
from data.models import Gender, InterventionType, Qualification
from data.travel import Point
from matcher.problem import (
    CaseData,
    ConsultantData,
    LanguageSkill,
    Level,
    MatchProblem,
    MatchSettings,
    OfficeData,
    Role,
    Weights,
)

#: Field path of an error: ("scenario", 2, "change", 0, "office").
Loc = tuple[str | int, ...]

_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


class SweepFileError(ValueError):
    """A sweep file breaks a rule: `loc` is the field path, `line` where it is."""

    def __init__(self, loc: Loc, message: str, line: int | None, where: str) -> None:
        self.loc = loc
        self.line = line
        self.where = where
        self.message = message
        super().__init__(f"{field_path(loc)}: {context(line, where)}{message}")


def context(line: int | None, where: str) -> str:
    """``line 18, scenario 'bad-hire': `` (the parts known)."""
    parts = [f"line {line}"] if line is not None else []
    parts += [where] if where else []
    return ", ".join(parts) + ": " if parts else ""


def _tag(value: str) -> str:
    try:
        return normalize_tag(value)
    except InvalidLanguageTag as error:
        raise ValueError(f"not a language tag: {error}") from error


class _Change(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Hire(_Change):
    kind: Literal["hire"]
    office: str | int
    count: int = Field(default=1, ge=1, le=1000)
    languages: list[str] = Field(min_length=1)
    level: Level = Level.NATIVE
    hours: float = Field(default=37.0, gt=0, le=60)
    max_cases: int = Field(default=6, ge=1, le=50)
    intervention_types: list[InterventionType] | None = None
    qualifications: list[Qualification] | None = None
    gender: Gender | None = None

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        return [_tag(tag) for tag in value]


class Lose(_Change):
    kind: Literal["lose"]
    count: int = Field(ge=1, le=10000)
    office: str | int | None = None
    language: str | None = None

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        return None if value is None else _tag(value)


class Demand(_Change):
    kind: Literal["demand"]
    factor: float = Field(ge=0, le=10)
    language: str | None = None
    region: str | None = None

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        return None if value is None else _tag(value)


class CloseOffice(_Change):
    kind: Literal["close_office"]
    office: str | int
    move_staff_to: str | int | None = None


class OpenOffice(_Change):
    kind: Literal["open_office"]
    name: str = Field(min_length=1, max_length=80)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    serves_regions: list[str] = Field(default_factory=list)


#: Rule parameters a scenario may change (`MatchSettings`' numbers and levels).
RULE_PARAMETERS = frozenset(
    {
        "max_travel_minutes",
        "language_max_distance",
        "min_language_level",
        "horizon_weeks",
        "stability_cost",
        "unplaced_penalty",
        "coordinator_unplaced_penalty",
        "max_candidates_per_seat",
    }
    | {f"weights.{name}" for name in Weights.__dataclass_fields__}
)


class Rule(_Change):
    kind: Literal["rule"]
    parameter: str
    value: float | int | str

    @field_validator("parameter")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in RULE_PARAMETERS:
            raise ValueError(f"unknown rule parameter; one of {', '.join(sorted(RULE_PARAMETERS))}")
        return value

    @field_validator("value")
    @classmethod
    def _fits(cls, value: float | int | str, info: ValidationInfo) -> float | int | str:
        parameter = info.data.get("parameter")
        if parameter is not None:  # else its own error is reported
            try:
                apply_rule(
                    MatchSettings(),
                    Rule.model_construct(kind="rule", parameter=parameter, value=value),
                )
            except (ValueError, TypeError) as error:
                raise ValueError(f"{parameter}: {error}") from error
        return value


Change = Annotated[
    Hire | Lose | Demand | CloseOffice | OpenOffice | Rule, Field(discriminator="kind")
]


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: str = Field(pattern=_NAME, max_length=60)
    description: str = ""
    changes: list[Change] = Field(default_factory=list, alias="change")


class SweepOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Solver limit per scenario: deterministic CP-SAT units when `reproducible`
    #: (roughly seconds on one core), else wall seconds.
    time_limit: float = Field(default=5.0, gt=0, le=3600)
    seed: int = Field(default=0, ge=0)
    #: CP-SAT workers per scenario, and the CPUs each task declares to the executor.
    cpus_per_scenario: int = Field(default=1, ge=1, le=64)
    #: Deterministic search: the same results on every executor and every run.
    reproducible: bool = True
    as_of: dt.date | None = None
    #: Keep at most this many best candidates per seat in every scenario (large books:
    #: the 10× book needs 8 to fit in memory and time); None keeps every feasible pair.
    max_candidates_per_seat: int | None = Field(default=None, ge=1)
    #: Solve each scenario office by office, then the cases that cross offices
    #: (`matcher.decompose`), in the scenario's own process. Off: on the demo book the
    #: whole-book solve is both better and faster (`scripts/bench_decompose.py`).
    decompose: bool = False
    #: Plan the døgnindsats rosters too (`data.sweep_rosters`): `roster_weeks` from the
    #: planning date, each from up to `roster_pool` consultants held for it alone, with
    #: `roster_time_limit` per roster (deterministic when `reproducible`).
    rosters: bool = False
    roster_weeks: int = Field(default=2, ge=1, le=8)
    roster_pool: int = Field(default=8, ge=1, le=60)
    roster_time_limit: float = Field(default=5.0, gt=0, le=600)


class SweepSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sweep: SweepOptions = Field(default_factory=SweepOptions)
    scenario: list[Scenario] = Field(min_length=1, max_length=10000)

    @field_validator("scenario")
    @classmethod
    def _unique(cls, scenarios: list[Scenario]) -> list[Scenario]:
        seen = Counter(s.name for s in scenarios)
        repeated = sorted(name for name, n in seen.items() if n > 1)
        if repeated:
            raise ValueError(f"scenario names must be unique; repeated: {', '.join(repeated)}")
        if "baseline" in seen:
            raise ValueError("'baseline' is the book as it is; name the scenario otherwise")
        return scenarios


# ------------------------------------------------------------------ loading


class SweepDocument:
    """A validated sweep file and its text (to point errors found later at lines)."""

    def __init__(self, spec: SweepSpec, text: str) -> None:
        self.spec = spec
        self.text = text

    def error(self, loc: Loc, message: str) -> SweepFileError:
        return SweepFileError(loc, message, locate(self.text, loc), describe_loc(self.text, loc))


def load_sweep(text: str) -> SweepDocument:
    """Parse and validate a sweep file; the first error as a `SweepFileError`."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        line = int(match.group(1)) if match else None
        raise SweepFileError((), f"not valid TOML: {error}", line, "") from error
    try:
        spec = SweepSpec.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        loc = _clean_loc(first["loc"])
        if first["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = (*loc, "kind")
        raise SweepFileError(
            loc, first["msg"], locate(text, loc), describe_loc(text, loc)
        ) from error
    return SweepDocument(spec, text)


def _clean_loc(loc: Sequence[str | int]) -> Loc:
    """Pydantic's path without the union member names it adds (``hire``, ``function-after``)."""
    kinds = {"hire", "lose", "demand", "close_office", "open_office", "rule"}
    return tuple(
        part
        for part in loc
        if not (isinstance(part, str) and (part in kinds or part.startswith("function-")))
    )


def field_path(loc: Loc) -> str:
    """("scenario", 2, "change", 0, "office") → ``scenario[2].change[0].office``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "file"


def describe_loc(text: str, loc: Loc) -> str:
    """The scenario a field path is in, by name (``scenario 'close-odense'``), else ""."""
    if len(loc) >= 2 and loc[0] == "scenario" and isinstance(loc[1], int):
        names = _scenario_names(text)
        if loc[1] < len(names) and names[loc[1]]:
            return f"scenario {names[loc[1]]!r}"
    return ""


_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.]+)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_]+)\s*=")


def _scenario_names(text: str) -> list[str]:
    """The ``name`` of each ``[[scenario]]`` table, in order ("" where it has none)."""
    names: list[str] = []
    current: str | None = None
    for line in text.splitlines():
        header = _HEADER.match(line)
        if header:
            current = header.group(1)
            if current == "scenario":
                names.append("")
            continue
        key = _KEY.match(line)
        if current == "scenario" and names and key and key.group(1) == "name":
            names[-1] = line.split("=", 1)[1].split("#")[0].strip().strip("\"'")
    return names


def locate(text: str, loc: Loc) -> int | None:
    """The line of a field path in a sweep file written with ``[sweep]``,
    ``[[scenario]]`` and ``[[scenario.change]]`` tables (the layout of the examples):
    the key's line, else its table's line, else None."""
    lines = text.splitlines()
    headers = [(n, m.group(1)) for n, line in enumerate(lines, 1) if (m := _HEADER.match(line))]
    last = len(lines) + 1
    start, end = 0, last
    key_end = headers[0][0] if headers else last
    found: int | None = None
    parts = list(loc)
    prefix = ""
    while parts and isinstance(parts[0], str):
        name = f"{prefix}.{parts[0]}" if prefix else parts[0]
        index = parts[1] if len(parts) > 1 and isinstance(parts[1], int) else None
        same = [n for n, t in headers if start < n < end and t == name]
        if len(same) <= (index or 0):
            break
        found = same[index or 0]
        # the table runs to the next header that is not one of its sub-tables
        end = next((n for n, t in headers if n > found and not t.startswith(name + ".")), last)
        key_end = next((n for n, _ in headers if n > found), last)
        start = found
        prefix = name
        parts = parts[2:] if index is not None else parts[1:]
    key = parts[0] if parts and isinstance(parts[0], str) else None
    if key is not None:
        for number in range((found or 0) + 1, key_end):
            match = _KEY.match(lines[number - 1])
            if match and match.group(1) == key:
                return number
    return found


# ------------------------------------------------------------------ references


def _office(problem: MatchProblem, ref: str | int) -> OfficeData | None:
    for office in problem.offices:
        if office.id == ref or (isinstance(ref, str) and office.name.casefold() == ref.casefold()):
            return office
    return None


def _speaks(consultant: ConsultantData, language: str) -> bool:
    return any(_same_language(s.tag, language) for s in consultant.languages)


def _same_language(tag: str, language: str) -> bool:
    """``ar-IQ`` is Arabic; ``ar`` asks for every Arabic; ``ar-IQ`` only for itself."""
    return tag == language or tag.startswith(language + "-")


def check_references(document: SweepDocument, problem: MatchProblem) -> None:
    """Apply every scenario to the snapshot once, change by change: the first name it
    does not know (an office, a region) or change it cannot make (more consultants to
    lose than there are) as a `SweepFileError` on that change's line."""
    regions = {c.region for c in problem.cases} | {
        r for o in problem.offices for r in o.serves_regions
    }
    for s, scenario in enumerate(document.spec.scenario):
        current = problem
        for c, change in enumerate(scenario.changes):
            here: Loc = ("scenario", s, "change", c)
            refs: list[tuple[str, str | int | None]] = []
            if isinstance(change, (Hire, Lose, CloseOffice)):
                refs.append(("office", change.office))
            if isinstance(change, CloseOffice):
                refs.append(("move_staff_to", change.move_staff_to))
            for name, ref in refs:
                if ref is not None and _office(current, ref) is None:
                    known = ", ".join(sorted(o.name for o in current.offices))
                    raise document.error((*here, name), f"unknown office {ref!r}; one of {known}")
            if isinstance(change, Demand) and change.region not in (None, *regions):
                raise document.error(
                    (*here, "region"),
                    f"unknown region {change.region!r}; one of {', '.join(sorted(regions))}",
                )
            if isinstance(change, OpenOffice):
                unknown = sorted(set(change.serves_regions) - regions)
                if unknown:
                    raise document.error(
                        (*here, "serves_regions"), f"unknown regions {', '.join(unknown)}"
                    )
            try:
                current = _apply(current, change)
            except ValueError as error:
                raise document.error(here, str(error)) from error


# ------------------------------------------------------------------ applying


def apply_rule(settings: MatchSettings, rule: Rule) -> MatchSettings:
    """`settings` with the rule's parameter set (ValueError if the value does not fit)."""
    name = rule.parameter
    if name.startswith("weights."):
        term = name.removeprefix("weights.")
        weights = dataclasses.replace(settings.weights, **{term: float(rule.value)})
        return dataclasses.replace(settings, weights=weights)
    current = getattr(settings, name)
    value: float | int | str | Level
    if name == "min_language_level":
        value = Level(str(rule.value))
    elif isinstance(current, int) or name == "max_candidates_per_seat":
        if isinstance(rule.value, str) or float(rule.value) != int(rule.value):
            raise ValueError("must be a whole number")
        value = int(rule.value)
    else:
        if isinstance(rule.value, str):
            raise ValueError("must be a number")
        value = float(rule.value)
    # the name is one of RULE_PARAMETERS and the value converted to its field's type
    return dataclasses.replace(settings, **{name: value})  # type: ignore[arg-type]


def apply_scenario(problem: MatchProblem, scenario: Scenario) -> MatchProblem:
    """The snapshot as the scenario would have it (a new, validated `MatchProblem`)."""
    for change in scenario.changes:
        problem = _apply(problem, change)
    return problem


def _apply(
    problem: MatchProblem, change: Hire | Lose | Demand | CloseOffice | OpenOffice | Rule
) -> MatchProblem:
    if isinstance(change, Rule):
        return dataclasses.replace(problem, settings=apply_rule(problem.settings, change))
    if isinstance(change, Hire):
        return _hire(problem, change)
    if isinstance(change, Lose):
        office = _office(problem, change.office) if change.office is not None else None
        leaving = [
            c
            for c in problem.consultants
            if (office is None or c.office_id == office.id)
            and (change.language is None or _speaks(c, change.language))
        ][: change.count]
        if len(leaving) < change.count:
            raise ValueError(f"only {len(leaving)} consultants match, {change.count} to lose")
        return _without_consultants(problem, {c.id for c in leaving})
    if isinstance(change, Demand):
        return _demand(problem, change)
    if isinstance(change, CloseOffice):
        return _close(problem, change)
    new_id = max((o.id for o in problem.offices), default=0) + 1
    office = OfficeData(
        new_id, Point(change.lat, change.lon), frozenset(change.serves_regions), change.name
    )
    return dataclasses.replace(problem, offices=(*problem.offices, office))


def _hire(problem: MatchProblem, change: Hire) -> MatchProblem:
    office = _office(problem, change.office)
    if office is None:
        raise ValueError(f"unknown office {change.office!r}")
    colleagues = [c for c in problem.consultants if c.office_id == office.id] or list(
        problem.consultants
    )
    typical = Counter(
        (tuple(sorted(c.intervention_types)), tuple(sorted(c.qualifications))) for c in colleagues
    )
    types, qualifications = (
        min(typical.items(), key=lambda item: (-item[1], item[0]))[0] if typical else ((), ())
    )
    first = max((c.id for c in problem.consultants), default=0) + 1
    hired = tuple(
        ConsultantData(
            id=first + k,
            home=office.location,
            office_id=office.id,
            capacity_hours=change.hours,
            max_cases=change.max_cases,
            languages=tuple(LanguageSkill(tag, change.level) for tag in change.languages),
            gender=None if change.gender is None else str(change.gender),
            qualifications=frozenset(
                qualifications
                if change.qualifications is None
                else [str(q) for q in change.qualifications]
            ),
            intervention_types=frozenset(
                types
                if change.intervention_types is None
                else [str(t) for t in change.intervention_types]
            ),
            ref=f"new-{first + k}",
        )
        for k in range(change.count)
    )
    return dataclasses.replace(problem, consultants=(*problem.consultants, *hired))


def _without_consultants(problem: MatchProblem, ids: set[int]) -> MatchProblem:
    return dataclasses.replace(
        problem,
        consultants=tuple(c for c in problem.consultants if c.id not in ids),
        assignments=tuple(a for a in problem.assignments if a.consultant_id not in ids),
    )


def _demand(problem: MatchProblem, change: Demand) -> MatchProblem:
    def matches(case: CaseData) -> bool:
        return (change.region is None or case.region == change.region) and (
            change.language is None
            or any(_same_language(lang.tag, change.language) for lang in case.languages)
        )

    chosen = [c for c in problem.cases if matches(c)]
    delta = round((change.factor - 1) * len(chosen))
    if delta < 0:
        ending = {c.id for c in chosen[len(chosen) + delta :]}
        return dataclasses.replace(
            problem,
            cases=tuple(c for c in problem.cases if c.id not in ending),
            assignments=tuple(a for a in problem.assignments if a.case_id not in ending),
        )
    first = max((c.id for c in problem.cases), default=0) + 1

    def arrival(case: CaseData) -> dt.datetime:
        """A copy asks to start on the planning date (or later, as its original did)."""
        start = dt.datetime.combine(problem.as_of, dt.time(9), tzinfo=case.requested_start.tzinfo)
        return max(case.requested_start, start)

    arriving = tuple(
        dataclasses.replace(
            chosen[k % len(chosen)],
            id=first + k,
            is_open=True,
            requested_start=arrival(chosen[k % len(chosen)]),
            preferred_consultant_id=None,
            previous_consultant_ids=frozenset(),
            excluded_consultant_ids=frozenset(),
            ref=f"new-{first + k}",
        )
        for k in range(delta if chosen else 0)
    )
    return dataclasses.replace(problem, cases=(*problem.cases, *arriving))


def _close(problem: MatchProblem, change: CloseOffice) -> MatchProblem:
    closing = _office(problem, change.office)
    if closing is None:
        raise ValueError(f"unknown office {change.office!r}")
    target = _office(problem, change.move_staff_to) if change.move_staff_to is not None else None
    offices = tuple(
        dataclasses.replace(o, serves_regions=o.serves_regions | closing.serves_regions)
        if target is not None and o.id == target.id
        else o
        for o in problem.offices
        if o.id != closing.id
    )
    if target is None:
        staff = {c.id for c in problem.consultants if c.office_id == closing.id}
        gone = {c.id for c in problem.coordinators if c.office_id == closing.id}
        problem = _without_consultants(problem, staff)
        return dataclasses.replace(
            problem,
            offices=offices,
            coordinators=tuple(c for c in problem.coordinators if c.id not in gone),
            assignments=tuple(a for a in problem.assignments if a.coordinator_id not in gone),
        )
    return dataclasses.replace(
        problem,
        offices=offices,
        consultants=tuple(
            dataclasses.replace(c, office_id=target.id) if c.office_id == closing.id else c
            for c in problem.consultants
        ),
        coordinators=tuple(
            dataclasses.replace(c, office_id=target.id) if c.office_id == closing.id else c
            for c in problem.coordinators
        ),
    )


# ------------------------------------------------------------------ solving


class ScenarioResult(BaseModel):
    """What a scenario comes to. Everything here is determined by the snapshot, the
    scenario and the options (in reproducible mode); timings are kept apart."""

    model_config = ConfigDict(frozen=True)

    scenario: str
    status: str
    objective: float | None
    #: Families with at least one consultant seat left empty, and the seats.
    unplaced_families: int
    unplaced_seats: int
    #: Share of placed seats with language needs matched in the exact tag (dialect).
    exact_language_share: float
    mean_travel_minutes: float
    p95_travel_minutes: float
    utilisation_mean: float
    utilisation_spread: float
    consultants: int
    coordinators: int
    families: int
    #: Cost in hours: the consultants' contracted hours a week, and the hours placed.
    contracted_hours: float
    placed_hours: float
    #: Seats whose consultant or coordinator differs from today's.
    changes: int
    #: Fingerprint of the whole plan (every seat's person): equal plans, equal digests.
    plan_digest: str


def _round(value: float) -> float:
    return round(value, 4)


def solve_scenario(
    base: MatchProblem, scenario: Scenario | None, options: SweepOptions
) -> ScenarioResult:
    """Apply `scenario` (None: the book as it is) to `base` and re-optimise the batch.
    Pure; what an executor runs for each scenario."""
    from matcher.batch import optimize

    problem = base
    if options.max_candidates_per_seat is not None:  # first: a scenario's rule may change it
        limited = dataclasses.replace(
            problem.settings, max_candidates_per_seat=options.max_candidates_per_seat
        )
        problem = dataclasses.replace(problem, settings=limited)
    if scenario is not None:
        problem = apply_scenario(problem, scenario)
    if options.decompose:
        from matcher.decompose import optimize_by_office

        result = optimize_by_office(
            problem,
            time_limit=options.time_limit,
            seed=options.seed,
            deterministic=options.reproducible,
        )
    else:
        result = optimize(
            problem,
            time_limit=options.time_limit,
            seed=options.seed,
            num_workers=options.cpus_per_scenario,
            deterministic=options.reproducible,
        )
    kpis = result.kpis
    seats = sorted(
        (p.case_id, str(p.role), p.consultant_id or 0, p.coordinator_id or 0)
        for p in result.placements
    )
    placed_hours = sum(
        problem.case_by_id[p.case_id].hours_for(p.role)
        for p in result.placements
        if p.consultant_id is not None and p.role != Role.COORDINATOR
    )
    unplaced_consultant_seats = [u for u in result.unplaced if u.role != Role.COORDINATOR]
    return ScenarioResult(
        scenario="baseline" if scenario is None else scenario.name,
        status=str(result.status),
        objective=None if result.objective is None else _round(result.objective),
        unplaced_families=len({u.case_id for u in unplaced_consultant_seats}),
        unplaced_seats=len(unplaced_consultant_seats),
        exact_language_share=_round(kpis.exact_dialect_rate) if kpis else 0.0,
        mean_travel_minutes=_round(kpis.mean_travel_minutes) if kpis else 0.0,
        p95_travel_minutes=_round(kpis.p95_travel_minutes) if kpis else 0.0,
        utilisation_mean=_round(kpis.utilisation_mean) if kpis else 0.0,
        utilisation_spread=_round(kpis.utilisation_spread) if kpis else 0.0,
        consultants=len(problem.consultants),
        coordinators=len(problem.coordinators),
        families=len(problem.cases),
        contracted_hours=_round(sum(c.capacity_hours for c in problem.consultants)),
        placed_hours=_round(placed_hours),
        changes=len(result.changes),
        plan_digest=hashlib.sha256(repr(seats).encode()).hexdigest()[:16],
    )
