"""The Jinja2 templates of famplan's HTML: the report now, the web pages next.

`base.html` is the layout every page extends (blocks ``title``, ``head``, ``content``);
`macros.html` holds the shared pieces (a data table, an embedded figure). Autoescaping
is on for every template, so text from the database can never become markup, and an
undefined variable is an error rather than an empty string.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined


def table_cell(value: object) -> object:
    """A table cell as shown: floats with one decimal and thousands separators."""
    if isinstance(value, float):
        return f"{value:,.1f}"
    return value


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("api", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = table_cell
    return env


def render(template: str, **context: object) -> str:
    """The named template rendered with `context`."""
    return environment().get_template(template).render(**context)
