"""The services' messages in the page's language.

Services write their messages in English (`api.services.errors`); the API returns them
as they are. A page shows them through `service_text`, which looks each one up in the
gettext catalogue: first as it is, then with its numbers (ids, counts) replaced by
``%(n1)s``, ``%(n2)s``… so that one catalogue entry covers every id. A message with a
field path (``body.start: in the past``) is translated after the path. A message the
catalogue does not know is shown in English rather than not at all.

The message ids below are listed for Babel (``make locales``); each is the exact text a
service or pydantic writes, numbers replaced.
"""

from __future__ import annotations

import gettext
import re


def _(text: str) -> str:
    return text


SERVICE_TEXTS = (
    # not found, scope
    _("roster %(n1)s does not exist"),
    _("case %(n1)s does not exist"),
    _("job %(n1)s does not exist"),
    _("consultant %(n1)s does not exist"),
    _("roster %(n1)s's consultant %(n2)s does not exist"),
    _("the roster belongs to offices outside your scope"),
    _("case %(n1)s belongs to offices outside your scope"),
    _("consultant %(n1)s is outside your scope"),
    _("you may only plan for your own offices"),
    # rosters: publish, repair
    _("roster %(n1)s is draft; only a published roster is repaired"),
    _("roster %(n1)s is pending; only a published roster is repaired"),
    _("roster %(n1)s is superseded; only a published roster is repaired"),
    _("roster %(n1)s is published; only a draft can be published"),
    _("roster %(n1)s is pending; only a draft can be published"),
    _("roster %(n1)s is superseded; only a draft can be published"),
    _("roster %(n1)s breaks %(n2)s working-time rule(s); it cannot be published"),
    _("not in this roster's pool"),
    _("the sick days lie outside the roster's horizon"),
    _("outside the roster's horizon"),
    _("ends before start"),
    _("not a døgnindsats case"),
    _("case %(n1)s is not a døgnindsats"),
    # matching and cases
    _("case %(n1)s has ended"),
    _("case %(n1)s has ended; nothing to match"),
    _("case %(n1)s is neither requested nor running; nothing to match"),
    _("in the past"),
    # batch
    _("no move %(n1)s in this result"),
    _("case %(n1)s no longer exists; run the optimisation again"),
    # follow-ups
    _("follow-up %(n1)s does not exist"),
    _("follow-up %(n1)s belongs to offices outside your scope"),
    _("follow-up %(n1)s is already done or changed since you read it (you sent version %(n2)s)"),
    # the pages' own form checks and pydantic's most common words
    _("choose what happened"),
    _("Field required"),
    _("Input should be a valid integer, unable to parse string as an integer"),
    _("Input should be a valid number, unable to parse string as a number"),
    _("Input should be a valid date or datetime, input is too short"),
    _("Input should be a valid date or datetime, invalid character in year"),
    _("Input should be a valid date in the format YYYY-MM-DD"),
    _("Input should be greater than %(n1)s"),
    _("Input should be greater than or equal to %(n1)s"),
    _("Input should be less than or equal to %(n1)s"),
    _("List should have at least %(n1)s item after validation, not %(n2)s"),
)

_NUMBER = re.compile(r"\d+")
_FIELD_PATH = re.compile(r"^([a-z_][a-z0-9_.]*): (.+)$", re.DOTALL)


def service_text(translations: gettext.NullTranslations, text: str) -> str:
    """`text` (a service's message) in the translations' language, when the catalogue
    knows it; otherwise as it is."""
    text = text.removeprefix("Value error, ")
    found = _lookup(translations, text)
    if found is not None:
        return found
    named = _FIELD_PATH.match(text)
    if named is not None:
        rest = _lookup(translations, named.group(2))
        if rest is not None:
            return f"{named.group(1)}: {rest}"
    return text


def _lookup(translations: gettext.NullTranslations, text: str) -> str | None:
    exact = translations.gettext(text)
    if exact != text:
        return exact
    numbers = _NUMBER.findall(text)
    if not numbers:
        return None
    places = iter(range(1, len(numbers) + 1))
    template = _NUMBER.sub(lambda _match: f"%(n{next(places)})s", text.replace("%", "%%"))
    translated = translations.gettext(template)
    if translated == template:
        return None
    return translated % {f"n{i}": number for i, number in enumerate(numbers, 1)}
