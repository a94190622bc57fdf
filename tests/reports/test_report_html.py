"""The HTML report is one self-contained file with its PNGs beside it."""

from __future__ import annotations

import base64
import datetime as dt
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from api.report import NamedFigure, Section, Table, render_html, write_report


def _figure(values: list[float]) -> plt.Figure:
    figure, ax = plt.subplots()
    ax.bar(range(len(values)), values)
    return figure


def _sections() -> list[Section]:
    return [
        Section(
            "Supply & demand",
            paragraphs=["Short on <Tigrinya>"],
            bullets=["needs about 2 more Tigrinya-speaking consultants in Region Sjælland"],
            figures=[NamedFigure("supply", _figure([1, 2, 3]), "Supply vs demand")],
            tables=[Table("Shortages", ["language", "region", "needed"], [["ti", "Sjælland", 2]])],
        ),
        Section("Matching", figures=[NamedFigure("travel", _figure([4, 5]))]),
    ]


def test_report_is_self_contained_with_pngs_alongside(tmp_path):
    written = write_report(_sections(), tmp_path, generated_at=dt.datetime(2026, 1, 5, 8, 0))
    page = written.html_path.read_text(encoding="utf-8")
    assert written.html_path == tmp_path / "report.html"
    assert [p.name for p in written.png_paths] == ["supply.png", "travel.png"]
    embedded = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(embedded) == 2
    assert base64.b64decode(embedded[0]) == (tmp_path / "supply.png").read_bytes()
    # Nothing is loaded from elsewhere: no external src/href at all.
    assert not re.search(r'(src|href)="(?!data:)', page)
    assert "Generated 2026-01-05 08:00 UTC" in page


def test_report_escapes_text_and_renders_tables(tmp_path):
    page = write_report(_sections(), tmp_path).html_path.read_text(encoding="utf-8")
    assert "Short on &lt;Tigrinya&gt;" in page
    assert "Supply &amp; demand" in page
    assert "<td>Sjælland</td><td>2</td>" in page
    assert "<li>needs about 2 more Tigrinya-speaking" in page


def test_empty_table_says_none():
    page = render_html("t", [Section("s", tables=[Table("Moves", ["a", "b"], [])])], {})
    assert '<td colspan="2"><em>none</em></td>' in page


def test_bad_tables_and_names_are_rejected(tmp_path):
    with pytest.raises(ValueError, match="row 1: 1 cells, expected 2"):
        Table("Moves", ["a", "b"], [["x"]])
    with pytest.raises(ValueError, match="figure name"):
        NamedFigure("../evil", _figure([1]))
    twice = [Section("a", figures=[NamedFigure("x", _figure([1])), NamedFigure("x", _figure([2]))])]
    with pytest.raises(ValueError, match="repeated: x"):
        write_report(twice, tmp_path)
    plt.close("all")


def test_supply_section_from_capacity_records(tmp_path, two_consultants, tigrinya_demand):
    from api.report_builder import supply_section
    from api.report_data import CapacitySnapshot
    from tests.reports.conftest import TODAY

    section = supply_section(
        CapacitySnapshot(TODAY, tuple(two_consultants), tuple(tigrinya_demand))
    )
    # No history, so nothing expected; in 12 weeks the 20 h case has ended: 65 open
    # Tigrinya hours against 37 free ones leave 28 h, one consultant.
    assert section.bullets[0].startswith(
        "needs about 1 more Tigrinya-speaking consultant in Region Sjælland (28 h/week"
    )
    shortage_table, outlook_table = section.tables
    assert shortage_table.rows == [["Tigrinya", "Sjælland", 65.0, 0.0, 37.0, 28.0, 1]]
    assert len(outlook_table.rows) == 12
    assert outlook_table.rows[2][1:] == [37.0, 37.0]  # all consultants, Tigrinya speakers
    assert [f.name for f in section.figures] == [
        "supply_demand",
        "supply_balance",
        "capacity_outlook",
    ]
    written = write_report([section], tmp_path)
    assert all(p.stat().st_size > 5_000 for p in written.png_paths)
    assert "1 running cases and 4 open requests" in written.html_path.read_text(encoding="utf-8")


def test_captions_are_escaped_inside_attributes_and_floats_get_one_decimal():
    section = Section(
        "s",
        figures=[NamedFigure("f", _figure([1]), 'Say "hi" <now>')],
        tables=[Table("t", ["h"], [[1234.56]])],
    )
    page = render_html("t", [section], {"f": b"png"})
    plt.close("all")
    assert 'alt="Say &#34;hi&#34; &lt;now&gt;"' in page
    assert "<figcaption>Say &#34;hi&#34; &lt;now&gt;</figcaption>" in page
    assert f'src="data:image/png;base64,{base64.b64encode(b"png").decode()}"' in page
    assert "<td>1,234.6</td>" in page


def test_base_layout_is_extended_by_child_pages_with_autoescape():
    from api.templates import environment

    page = environment().from_string(
        '{% extends "base.html" %}{% block title %}Cases{% endblock %}'
        "{% block content %}<p>{{ name }}</p>{% endblock %}"
    )
    html = page.render(name="<script>alert(1)</script>")
    assert "<title>Cases</title>" in html
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>" in html
    assert "border-collapse" in html  # the shared style sheet is inlined
    assert html.startswith("<!DOCTYPE html>")


def test_a_missing_template_variable_is_an_error_not_an_empty_string():
    import jinja2

    from api.templates import render

    with pytest.raises(jinja2.UndefinedError):
        render("report.html", title="t", sections=[], pngs_base64={})
