"""Rendering the web pages: one Jinja2 environment per language, texts from gettext.

Texts in templates and page code are English message ids (``_("Inbox")``); the Danish
catalogue `api/locales/da/LC_MESSAGES/messages.po` translates them, compiled to
``messages.mo`` (committed; ``make locales`` extracts and compiles again). English shows
the ids themselves. Danish is the default; ``?lang=en`` switches and a cookie keeps it.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined

from api.templates import table_cell
from api.web.service_texts import service_text

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"
LANGUAGE_COOKIE = "famplan_lang"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation("messages", localedir=LOCALES_DIR, languages=[lang])


@cache
def web_environment(lang: str) -> Environment:
    env = Environment(
        loader=PackageLoader("api", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        # The templates ship with the package: no stat of every file on every page.
        auto_reload=False,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["cell"] = table_cell
    # A service's message (field error, refusal) in the page's language.
    env.filters["service"] = lambda text: service_text(translations(lang), str(text))
    env.globals["lang"] = lang
    return env


def request_language(request: Request) -> str:
    """``?lang=`` first, then the cookie, then Danish."""
    asked = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


def gettext_for(request: Request) -> gettext.NullTranslations:
    return translations(request_language(request))


def render_page(
    request: Request, template: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """`template` rendered in the request's language; remembers an explicit ``?lang=``."""
    lang = request_language(request)
    html = web_environment(lang).get_template(template).render(request=request, **context)
    response = HTMLResponse(html, status_code=status_code)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True
        )
    return response


def error_page(request: Request, status_code: int, message: str) -> HTMLResponse:
    """A page that says what went wrong, in the page's language, with no personal data
    (`message`, a service's message, is translated here)."""
    text = service_text(gettext_for(request), message)
    return render_page(request, "web/error.html", status_code=status_code, user=None, message=text)


def reason_text(request: Request, detail: str) -> str:
    """A service's refusal in the page's language (for ``%(reason)s`` in a message)."""
    return service_text(gettext_for(request), detail)
