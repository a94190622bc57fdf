"""The `famplan` command-line application; command groups register themselves on it."""

import typer

app = typer.Typer(
    name="famplan",
    help="famplan — matching, 24/7 rosters and batch re-optimisation for family treatment.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold personal data
)


def reproducible_option(result: str) -> bool:
    """`--reproducible/--exact-time` for a solver command whose output is `result`."""
    return typer.Option(
        True,
        "--reproducible/--exact-time",
        help=f"Same input and seed, same {result} (the limit counts solver work, so the run "
        "takes roughly that long); or stop at exactly the time limit.",
    )
