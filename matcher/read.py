"""Readers at the edge: OR-Library generalized-assignment (GAP) files.

Format (whitespace-separated, line breaks carry no meaning)::

    P                         number of instances
    repeat P times:
      m n                     agents, jobs
      c[i][j]  i=1..m, j=1..n cost or profit
      a[i][j]  i=1..m, j=1..n resource use
      b[i]     i=1..m         capacity
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class GapInstance:
    """One GAP instance; `cost[i][j]` and `use[i][j]` for agent i, job j (0-based)."""

    name: str
    cost: tuple[tuple[int, ...], ...]
    use: tuple[tuple[int, ...], ...]
    capacity: tuple[int, ...]

    @property
    def n_agents(self) -> int:
        return len(self.capacity)

    @property
    def n_jobs(self) -> int:
        return len(self.cost[0]) if self.cost else 0


def parse_gap(text: str, name: str = "gap") -> list[GapInstance]:
    """Parse every instance in an OR-Library GAP text; errors name the instance and field."""
    tokens = text.split()
    position = 0

    def take(count: int, what: str) -> list[int]:
        nonlocal position
        if position + count > len(tokens):
            raise ValueError(f"{name}: file ends while reading {what}")
        try:
            values = [int(t) for t in tokens[position : position + count]]
        except ValueError as error:
            raise ValueError(f"{name}: non-integer value while reading {what}") from error
        position += count
        return values

    (count,) = take(1, "the number of instances")
    instances = []
    for k in range(1, count + 1):
        label = f"{name}#{k}"
        m, n = take(2, f"{label} size (m n)")
        if m <= 0 or n <= 0:
            raise ValueError(f"{label}: m and n must be positive, got {m} {n}")
        flat_cost = take(m * n, f"{label} costs")
        flat_use = take(m * n, f"{label} resource use")
        capacity = take(m, f"{label} capacities")
        if any(u < 0 for u in flat_use) or any(b < 0 for b in capacity):
            raise ValueError(f"{label}: negative resource use or capacity")
        instances.append(
            GapInstance(
                name=label,
                cost=tuple(tuple(flat_cost[i * n : (i + 1) * n]) for i in range(m)),
                use=tuple(tuple(flat_use[i * n : (i + 1) * n]) for i in range(m)),
                capacity=tuple(capacity),
            )
        )
    if position != len(tokens):
        raise ValueError(
            f"{name}: {len(tokens) - position} unexpected values after instance {count}"
        )
    return instances


def read_gap(path: str | Path) -> list[GapInstance]:
    """Read an OR-Library GAP file."""
    path = Path(path)
    return parse_gap(path.read_text(), path.stem)
