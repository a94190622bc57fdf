"""Figures of matching quality (matplotlib, pure: no database, no file I/O, no pyplot).

The functions draw `MatchingView`s — one per plan to look at (today, batch, greedy) —
and take an optional Axes; they return the Axes (or a Figure for the multi-panel
comparison). `matcher.plans` turns a problem and a plan (seat → consultant) into a view.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from data.languages import Closeness, language_label
from matcher.plans import MatchingView, kpi_rows

CLOSENESS_COLOURS = {
    Closeness.EXACT: "#55A868",
    Closeness.VARIETY: "#8DB36B",
    Closeness.DIALECT: "#CCB974",
    Closeness.RELATED: "#DD8452",
    Closeness.NONE: "#999999",  # a running placement no language rule would allow today
}
#: The per-consultant utilisation axis stops here; higher loads are counted in a note.
UTILISATION_AXIS_LIMIT = 200.0
CLOSENESS_LABELS = {
    Closeness.EXACT: "exact dialect",
    Closeness.VARIETY: "other regional variety",
    Closeness.DIALECT: "same Arabic dialect group",
    Closeness.RELATED: "related language (signed off)",
    Closeness.NONE: "no common language",
}


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    return Figure(figsize=size, layout="constrained").add_subplot()


def _name(tag: str) -> str:
    return language_label(tag)


def plot_language_closeness(views: Sequence[MatchingView], ax: Axes | None = None) -> Axes:
    """Stacked bars per plan: share of placements with the exact dialect, another
    regional variety (drawn only if some plan has one), an Arabic dialect of the same
    group, and a signed-off related language."""
    ax = _axes(ax, (6.0, 4.0))
    x = np.arange(len(views))
    bottom = np.zeros(len(views))
    for level, colour in CLOSENESS_COLOURS.items():
        optional = level in (Closeness.VARIETY, Closeness.NONE)
        if optional and not any(v.closeness_shares()[level] for v in views):
            continue
        shares = np.array([view.closeness_shares()[level] * 100 for view in views])
        ax.bar(x, shares, bottom=bottom, color=colour, label=CLOSENESS_LABELS[level], width=0.6)
        for xi, (share, base) in enumerate(zip(shares, bottom, strict=True)):
            if share >= 4:
                ax.text(xi, base + share / 2, f"{share:.0f}%", ha="center", va="center")
        bottom += shares
    ax.set_xticks(x, [view.label for view in views])
    ax.set_ylabel("% of placements")
    ax.set_ylim(0, 100)
    ax.set_title("Language match: exact dialect, same dialect group, related language")
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_fallback_languages(view: MatchingView, ax: Axes | None = None, top: int = 10) -> Axes:
    """Horizontal bars: how often each (family language → consultant language) fallback
    or other-dialect pair is used in the plan."""
    pairs = Counter(
        (p.family_language, p.consultant_language)
        for p in view.placements
        if p.closeness is not Closeness.EXACT
    ).most_common(top)
    ax = _axes(ax, (7.0, max(2.5, 0.4 * len(pairs) + 1.5)))
    y = np.arange(len(pairs))[::-1]
    ax.barh(y, [count for _, count in pairs], color="#DD8452")
    labels = [
        f"{_name(fam)} → {_name(con) if con else CLOSENESS_LABELS[Closeness.NONE]}"
        for (fam, con), _ in pairs
    ]
    ax.set_yticks(y, labels)
    ax.set_xlabel("placements")
    ax.set_title(f"Other dialects and fallback languages used ({view.label})")
    if not pairs:
        ax.text(
            0.5, 0.5, "every placement in the exact dialect", ha="center", transform=ax.transAxes
        )
    return ax


def plot_travel_distribution(
    views: Sequence[MatchingView], ax: Axes | None = None, bins: int = 20
) -> Axes:
    """Histogram (step lines, one per plan) of one-way travel minutes per placement, with
    the mean and p95 in the legend."""
    ax = _axes(ax, (7.0, 4.0))
    everything = np.concatenate([view.travel() for view in views] or [np.zeros(0)])
    top = float(everything.max()) if everything.size else 1.0
    edges = np.linspace(0.0, max(top, 1.0), bins + 1)
    for view in views:
        minutes = view.travel()
        if not minutes.size:
            continue
        label = f"{view.label}: mean {minutes.mean():.0f}, p95 {np.percentile(minutes, 95):.0f} min"
        ax.hist(minutes, bins=list(edges), histtype="step", linewidth=2, label=label)
    ax.set_xlabel("one-way travel (minutes)")
    ax.set_ylabel("placements")
    ax.set_title("Travel per placement")
    ax.legend(fontsize="small")
    return ax


def plot_consultant_utilisation(view: MatchingView, ax: Axes | None = None) -> Axes:
    """Every consultant's assigned ÷ contracted hours, sorted: a flat line is a fair plan."""
    ax = _axes(ax, (8.0, 3.5))
    ratios = sorted((u.ratio * 100 for u in view.utilisation), reverse=True)
    ax.bar(np.arange(len(ratios)), ratios, width=1.0, color="#4C72B0")
    ax.axhline(100, color="black", linestyle="--", linewidth=1, label="contract")
    over = [r for r in ratios if r > UTILISATION_AXIS_LIMIT]
    if over:  # a few extreme loads (e.g. a døgnindsats) must not flatten everyone else
        ax.set_ylim(0, UTILISATION_AXIS_LIMIT)
        ax.text(
            0.99,
            0.95,
            f"{len(over)} above {UTILISATION_AXIS_LIMIT:.0f}% (up to {max(over):.0f}%)",
            ha="right",
            va="top",
            transform=ax.transAxes,
            fontsize="small",
        )
    ax.set_xlabel("consultants (sorted)")
    ax.set_ylabel("% of contracted hours")
    ax.set_title(f"Utilisation per consultant ({view.label})")
    ax.legend(fontsize="small", loc="upper right")
    return ax


def plot_office_utilisation(views: Sequence[MatchingView], ax: Axes | None = None) -> Axes:
    """Grouped bars per office: its consultants' assigned ÷ contracted hours, per plan."""
    offices = sorted({u.office for view in views for u in view.utilisation})
    ax = _axes(ax, (1.3 * len(offices) + 3.0, 4.0))
    width = 0.8 / max(1, len(views))
    x = np.arange(len(offices))
    for index, view in enumerate(views):
        values = []
        for office in offices:
            members = [u for u in view.utilisation if u.office == office]
            contracted = sum(u.contracted_hours for u in members)
            assigned = sum(u.assigned_hours for u in members)
            values.append(100 * assigned / contracted if contracted else 0.0)
        ax.bar(x + (index - (len(views) - 1) / 2) * width, values, width, label=view.label)
    ax.set_xticks(x, offices, rotation=20, ha="right")
    ax.set_ylabel("% of contracted hours")
    ax.set_title("Utilisation per office")
    ax.legend(fontsize="small")
    return ax


def plot_plan_comparison(views: Sequence[MatchingView], figure: Figure | None = None) -> Figure:
    """One small panel per headline KPI, one bar per plan (e.g. batch vs greedy)."""
    rows = kpi_rows(views)
    columns = 4
    lines = -(-len(rows) // columns)
    figure = figure or Figure(figsize=(3.0 * columns, 2.6 * lines), layout="constrained")
    axes = list(figure.subplots(lines, columns).ravel())
    for unused in axes[len(rows) :]:
        unused.remove()
    colours = [f"C{i}" for i in range(len(views))]
    for ax, (name, values) in zip(axes, rows, strict=False):
        bars = ax.bar([v.label for v in views], values, color=colours)
        ax.bar_label(bars, fmt="%.1f", fontsize="small")
        ax.set_title(name, fontsize="medium")
        ax.margins(y=0.2)
    figure.suptitle("Plans compared")
    return figure
