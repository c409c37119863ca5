"""Every user-facing text, one catalog per language.

Templates are Telegram HTML. `t()` HTML-escapes every value it fills in, so user text can never
become markup; a value that is already markup (built from other templates) is wrapped in `Html`.
"""

from __future__ import annotations

import html
import string

from bot.texts import en, id as id_

CATALOGS: dict[str, dict[str, str]] = {"id": id_.TEXTS, "en": en.TEXTS}
DEFAULT_LANGUAGE = "id"
LANGUAGES = tuple(CATALOGS)


class Html(str):
    """A string that is already safe Telegram HTML: `t()` inserts it as it is."""


def language_for(code: str | None) -> str:
    """The catalog for a Telegram `language_code`: English for English users, else Indonesian."""
    if code and code.lower().split("-")[0] == "en":
        return "en"
    return DEFAULT_LANGUAGE


def t(lang: str, key: str, **values: object) -> Html:
    catalog = CATALOGS.get(lang, CATALOGS[DEFAULT_LANGUAGE])
    template = catalog.get(key)
    if template is None:
        template = CATALOGS[DEFAULT_LANGUAGE][key]
    safe = {k: v if isinstance(v, Html) else html.escape(str(v), quote=False) for k, v in values.items()}
    return Html(template.format(**safe))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
