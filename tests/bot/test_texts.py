"""The catalogs: the same keys and placeholders in both languages, and every template renders as
Telegram HTML (the fake's parser is Telegram's rules)."""

from __future__ import annotations

import pytest

from bot.fakeapi.htmlcheck import parse_html
from bot.texts import CATALOGS, Html, language_for, placeholders, t


def test_both_catalogs_have_the_same_keys():
    assert set(CATALOGS["id"]) == set(CATALOGS["en"])


@pytest.mark.parametrize("key", sorted(CATALOGS["id"]))
def test_same_placeholders_in_both_languages(key):
    assert placeholders(CATALOGS["id"][key]) == placeholders(CATALOGS["en"][key])


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("key", sorted(CATALOGS["id"]))
def test_every_template_renders_to_valid_telegram_html_even_with_hostile_values(lang, key):
    values = {name: "<b>x</b> & <script>" for name in placeholders(CATALOGS[lang][key])}
    if "map" in values:  # an href: a URL, as the code fills it
        values["map"] = "https://www.google.com/maps?q=-6.17830,106.63190"
    rendered = t(lang, key, **values)
    parsed = parse_html(rendered)
    for value in values.values():
        if value.startswith("<b>"):
            assert value in parsed.text  # shown literally, never as markup


def test_html_values_are_inserted_as_they_are():
    assert t("id", "location_saved", location=Html("<b>Ciledug</b>")) == "📍 Lokasi diterima: <b>Ciledug</b>"


def test_language_for_telegram_codes():
    assert language_for("en-GB") == "en"
    assert language_for("id") == "id"
    assert language_for(None) == "id"
    assert language_for("ms") == "id"
