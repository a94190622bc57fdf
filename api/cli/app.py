"""The `famplan` command-line application; command groups register themselves on it."""

import typer

app = typer.Typer(
    name="famplan",
    help="famplan — matching, 24/7 rosters and batch re-optimisation for family treatment.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold personal data
)
