"""The HTML report: sections of text, tables and figures in one self-contained file.

`write_report` writes ``report.html`` with every figure embedded as a base64 PNG
(so the file can be mailed or opened offline) and the same PNGs beside it for slides.
What goes into the sections is decided by `api.report_builder`; the layout is the
Jinja2 template ``api/templates/report.html``; this module renders and writes.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from api.templates import render

REPORT_FILE = "report.html"


@dataclass(frozen=True)
class Table:
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[object]]

    def __post_init__(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"table {self.title!r} row {number}: {len(row)} cells, "
                    f"expected {len(self.columns)}"
                )


@dataclass(frozen=True)
class NamedFigure:
    """A figure and the file name (without extension) its PNG is written under."""

    name: str
    figure: Figure
    caption: str = ""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Za-z0-9_\-]+", self.name):
            raise ValueError(f"figure name {self.name!r}: use letters, digits, '_' or '-'")


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: Sequence[str] = ()
    bullets: Sequence[str] = ()
    figures: Sequence[NamedFigure] = ()
    tables: Sequence[Table] = ()


@dataclass(frozen=True)
class WrittenReport:
    html_path: Path
    png_paths: tuple[Path, ...] = field(default_factory=tuple)


def figure_png(figure: Figure, dpi: int = 110) -> bytes:
    """The figure rendered as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def render_html(
    title: str,
    sections: Sequence[Section],
    pngs: dict[str, bytes],
    generated_at: dt.datetime | None = None,
) -> str:
    """One self-contained HTML page (template ``report.html``); `pngs` maps figure names
    to their PNG bytes, embedded as data URIs."""
    stamp = (generated_at or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    return render(
        "report.html",
        title=title,
        sections=sections,
        pngs_base64={name: base64.b64encode(png).decode("ascii") for name, png in pngs.items()},
        generated_at=stamp,
    )


def write_report(
    sections: Sequence[Section],
    out_dir: Path,
    title: str = "famplan report",
    generated_at: dt.datetime | None = None,
) -> WrittenReport:
    """Write ``report.html`` and one PNG per figure into `out_dir`; close the figures."""
    out_dir.mkdir(parents=True, exist_ok=True)
    names = [named.name for section in sections for named in section.figures]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"figure names must be unique; repeated: {', '.join(duplicates)}")
    pngs: dict[str, bytes] = {}
    png_paths: list[Path] = []
    for section in sections:
        for named in section.figures:
            pngs[named.name] = figure_png(named.figure)
            path = out_dir / f"{named.name}.png"
            path.write_bytes(pngs[named.name])
            png_paths.append(path)
            plt.close(named.figure)
    html_path = out_dir / REPORT_FILE
    html_path.write_text(render_html(title, sections, pngs, generated_at), encoding="utf-8")
    return WrittenReport(html_path=html_path, png_paths=tuple(png_paths))
