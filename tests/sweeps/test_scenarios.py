"""Scenario files and what each change does to a snapshot (pure, tiny worlds)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.services.errors import Invalid
from api.services.sweep import check_scenarios, parse_sweep, run_sweep
from data.sweep import apply_scenario, load_sweep, locate
from solving.executor import InlineExecutor
from tests.matcher.instances import (
    AARHUS,
    MIDTJYLLAND,
    case,
    consultant,
    office,
    problem,
    running,
)
from tests.sweeps.files import HEADER, negative_hire

#: A fine scenario, then a negative hire: its count is on line 3 + 8 + 8 = 19.
BAD_COUNT = (
    HEADER
    + """\
[[scenario]]
name = "fine"

[[scenario.change]]
kind = "rule"
parameter = "max_travel_minutes"
value = 80

"""
    + negative_hire("CPH")
)


def world():
    """Two offices; a Danish speaker in CPH on a running case, an open Tigrinya request
    nobody speaks, a Danish open request."""
    return problem(
        consultants=[consultant(1, "da"), consultant(2, "da", office_id=2, home=AARHUS)],
        cases=[
            case(10, "da", is_open=False),
            case(11, "ti"),
            case(12, "da", region=MIDTJYLLAND, at=AARHUS),
        ],
        assignments=[running(100, 10, 1)],
        offices=[
            office(1),
            office(2, location=AARHUS, regions=(MIDTJYLLAND,)),
        ],
    )


def named(p):
    """The world with office names (scenarios name offices)."""
    import dataclasses

    names = {1: "CPH", 2: "Aarhus"}
    return dataclasses.replace(
        p, offices=tuple(dataclasses.replace(o, name=names[o.id]) for o in p.offices)
    )


def scenario(body: str):
    return load_sweep(f'[[scenario]]\nname = "s"\n{body}').spec.scenario[0]


# ------------------------------------------------------------------ bad files


def test_a_bad_field_names_scenario_field_and_line():
    with pytest.raises(Invalid) as caught:
        parse_sweep(BAD_COUNT)
    problem_ = caught.value.problems[0]
    assert problem_.field == "scenario[1].change[0].count"
    assert "line 19" in problem_.message and "'bad-hire'" in problem_.message
    assert "greater than or equal to 1" in problem_.message


def test_broken_toml_names_the_line():
    with pytest.raises(Invalid) as caught:
        parse_sweep('[[scenario]]\nname = "x"\n[[scenario.change]\n')
    assert caught.value.problems[0].field == "file"
    assert "line 3" in caught.value.problems[0].message


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ('kind = "rule"\nparameter = "speed"\nvalue = 1', "parameter", "unknown rule parameter"),
        ('kind = "rule"\nparameter = "horizon_weeks"\nvalue = 0', "value", "must be ≥ 1"),
        ('kind = "hire"\noffice = "CPH"\nlanguages = ["xx-!!"]', "languages", "language tag"),
        ('kind = "demand"\nfactor = 1.5\nlanguage = "uk"\nmood = 3', "mood", "not permitted"),
        (
            'kind = "hire"\noffice = 1\nlanguages = ["ti"]\nintervention_types = ["yoga"]',
            "intervention_types[0]",
            "family_treatment",
        ),
        ('kind = "promote"\ncount = 1', "kind", "does not match any of the expected tags"),
    ],
)
def test_each_kind_of_mistake_is_named(body, field, words):
    text = f'[[scenario]]\nname = "s"\n\n[[scenario.change]]\n{body}\n'
    with pytest.raises(Invalid) as caught:
        parse_sweep(text)
    found = caught.value.problems[0]
    assert found.field == f"scenario[0].change[0].{field}"
    assert words in found.message


def test_repeated_scenario_names_are_refused():
    text = '[[scenario]]\nname = "a"\n[[scenario]]\nname = "a"\n'
    with pytest.raises(Invalid, match="repeated: a"):
        parse_sweep(text)


def test_names_the_snapshot_does_not_know_are_refused_with_their_line():
    text = (
        '[[scenario]]\nname = "gone"\n\n[[scenario.change]]\nkind = "lose"\ncount = 1\n\n'
        '[[scenario.change]]\nkind = "close_office"\noffice = "Roskilde"\n'
    )
    with pytest.raises(Invalid) as caught:
        check_scenarios(parse_sweep(text), named(world()))
    found = caught.value.problems[0]
    assert found.field == "scenario[0].change[1].office"
    assert "line 10" in found.message and "unknown office 'Roskilde'" in found.message


def test_losing_more_consultants_than_match_is_refused():
    text = '[[scenario]]\nname = "x"\n[[scenario.change]]\nkind = "lose"\noffice = 2\ncount = 3\n'
    with pytest.raises(Invalid, match="only 1 consultants match, 3 to lose"):
        check_scenarios(parse_sweep(text), named(world()))


def test_locate_finds_keys_inside_nested_tables():
    assert locate(BAD_COUNT, ("scenario", 1, "change", 0, "languages")) == 20
    assert locate(BAD_COUNT, ("scenario", 0, "name")) == 5
    assert locate(BAD_COUNT, ("sweep", "time_limit")) == 2
    assert locate(BAD_COUNT, ("scenario", 1, "change", 0, "hours")) == 16  # not written


def test_cli_answers_a_bad_file_with_line_and_field(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(BAD_COUNT, encoding="utf-8")
    result = CliRunner().invoke(app, ["sweep", str(path), "--executor", "inline"])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "scenario[1].change[0].count: line 19, scenario 'bad-hire'" in text


# ------------------------------------------------------------------ changes


def test_hire_adds_consultants_at_the_office_with_its_colleagues_case_types():
    after = apply_scenario(
        named(world()),
        scenario(
            '[[scenario.change]]\nkind = "hire"\noffice = "Aarhus"\ncount = 2\n'
            'languages = ["ti"]\nhours = 20'
        ),
    )
    hired = after.consultants[2:]
    assert [c.id for c in hired] == [3, 4]
    assert all(c.office_id == 2 and c.home == AARHUS and c.capacity_hours == 20 for c in hired)
    assert hired[0].languages[0].tag == "ti"
    assert hired[0].intervention_types == after.consultants[1].intervention_types


def test_lose_ends_the_leavers_running_assignments():
    after = apply_scenario(
        named(world()), scenario('[[scenario.change]]\nkind = "lose"\noffice = "CPH"\ncount = 1')
    )
    assert [c.id for c in after.consultants] == [2]
    assert after.assignments == ()


def test_demand_factor_copies_or_ends_matching_cases():
    more = apply_scenario(
        named(world()),
        scenario('[[scenario.change]]\nkind = "demand"\nlanguage = "da"\nfactor = 2'),
    )
    copies = [c for c in more.cases if c.id > 12]
    assert [(c.id, c.is_open, c.region) for c in copies] == [
        (13, True, "DK-84"),
        (14, True, MIDTJYLLAND),
    ]
    fewer = apply_scenario(
        named(world()),
        scenario('[[scenario.change]]\nkind = "demand"\nlanguage = "da"\nfactor = 0.5'),
    )
    assert [c.id for c in fewer.cases] == [10, 11]  # the last Danish case ended


def test_close_office_moves_staff_and_regions():
    after = apply_scenario(
        named(world()),
        scenario(
            '[[scenario.change]]\nkind = "close_office"\noffice = "Aarhus"\nmove_staff_to = "CPH"'
        ),
    )
    assert [o.id for o in after.offices] == [1]
    assert MIDTJYLLAND in after.offices[0].serves_regions
    assert {c.office_id for c in after.consultants} == {1}


def test_rule_changes_one_setting():
    after = apply_scenario(
        named(world()),
        scenario(
            '[[scenario.change]]\nkind = "rule"\nparameter = "weights.travel"\nvalue = 40\n'
            '[[scenario.change]]\nkind = "rule"\nparameter = "min_language_level"\nvalue = "fluent"'
        ),
    )
    assert after.settings.weights.travel == 40
    assert after.settings.min_language_level == "fluent"


def test_a_sweep_compares_each_scenario_with_the_book_as_it_is():
    # Nobody speaks Tigrinya: the request stays unplaced until a Tigrinya speaker is hired
    # in CPH, who takes it (the Danish requests stay with today's Danish speakers).
    text = (
        '[sweep]\ntime_limit = 5\n\n[[scenario]]\nname = "hire-ti"\n\n[[scenario.change]]\n'
        'kind = "hire"\noffice = "CPH"\nlanguages = ["ti"]\n'
    )
    document = parse_sweep(text)
    report = run_sweep(named(world()), document, InlineExecutor())
    results = report.results()
    assert list(results) == ["baseline", "hire-ti"]
    base, hired = results["baseline"], results["hire-ti"]
    assert base is not None and hired is not None
    assert base.unplaced_families == 1 and hired.unplaced_families == 0
    assert hired.consultants == base.consultants + 1
    assert hired.contracted_hours == base.contracted_hours + 37
    assert hired.status == "optimal"
    assert not report.cancelled
    assert hired.plan_digest != base.plan_digest
