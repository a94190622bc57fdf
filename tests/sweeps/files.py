"""Sweep files the sweep tests share. Tests assert the lines a mistake is reported at,
so the texts are written out and their line numbers given here."""

from __future__ import annotations

#: A sweep header of three lines (a 1-second limit per scenario, then a blank line).
HEADER = "[sweep]\ntime_limit = 1\n\n"


def negative_hire(office: str) -> str:
    """A scenario "bad-hire" that hires -2 Tigrinya speakers in `office`: its `count`
    (refused: at least 1) is the block's 8th line, `office` the 7th."""
    return f"""\
[[scenario]]
name = "bad-hire"
description = "a negative hire"

[[scenario.change]]
kind = "hire"
office = "{office}"
count = -2
languages = ["ti"]
"""
