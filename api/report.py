"""The HTML report: sections of text, tables and figures in one self-contained file.

`write_report` writes ``report.html`` with every figure embedded as a base64 PNG
(so the file can be mailed or opened offline) and the same PNGs beside it for slides.
What goes into the sections is decided by `api.report_builder`; this module only
lays them out.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

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


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    return html.escape(str(value))


def _table_html(table: Table) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in table.rows
    )
    if not table.rows:
        body = f'<tr><td colspan="{len(table.columns)}"><em>none</em></td></tr>'
    return (
        f"<h3>{html.escape(table.title)}</h3>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { border-bottom: 2px solid #4C72B0; }
h2 { margin-top: 2em; color: #4C72B0; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
th { background: #f0f3f8; }
figure { margin: 1em 0; }
figure img { max-width: 100%; }
figcaption { font-size: 0.85em; color: #555; }
"""


def render_html(
    title: str,
    sections: Sequence[Section],
    pngs: dict[str, bytes],
    generated_at: dt.datetime | None = None,
) -> str:
    """One self-contained HTML page; `pngs` maps figure names to their PNG bytes."""
    stamp = (generated_at or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1><p><small>Generated {stamp}</small></p>",
    ]
    for section in sections:
        parts.append(f"<h2>{html.escape(section.title)}</h2>")
        parts.extend(f"<p>{html.escape(p)}</p>" for p in section.paragraphs)
        if section.bullets:
            items = "".join(f"<li>{html.escape(b)}</li>" for b in section.bullets)
            parts.append(f"<ul>{items}</ul>")
        for named in section.figures:
            data = base64.b64encode(pngs[named.name]).decode("ascii")
            caption = html.escape(named.caption or named.name)
            parts.append(
                f'<figure><img alt="{caption}" src="data:image/png;base64,{data}">'
                f"<figcaption>{caption}</figcaption></figure>"
            )
        parts.extend(_table_html(table) for table in section.tables)
    parts.append("</body></html>")
    return "\n".join(parts)


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
