"""Telegram-style HTML parsing: plain text, entities, and what is refused."""

from __future__ import annotations

import pytest

from bot.fakeapi.htmlcheck import HTMLParseError, html_to_plain, parse_html, trim, utf16_len


def test_nested_tags_give_plain_text_and_entities() -> None:
    parsed = parse_html('<b>Laporan <i>baru</i></b> &lt;3 <a href="https://x.id">tautan</a>')
    assert parsed.text == "Laporan baru <3 tautan"
    types = {(e["type"], e["offset"], e["length"]) for e in parsed.entities}
    assert types == {("bold", 0, 12), ("italic", 8, 4), ("text_link", 16, 6)}


@pytest.mark.parametrize(
    "source, plain",
    [
        ("<strong>a</strong><em>b</em><ins>c</ins><strike>d</strike><del>e</del>", "abcde"),
        ('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', "st"),
        ('<pre><code class="language-python">x = 1</code></pre>', "x = 1"),
        ("<blockquote expandable>kutipan</blockquote>", "kutipan"),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍"),
        ("&#65;&#x42;&quot;&amp;", 'AB"&'),
        ("Tom & Jerry", "Tom & Jerry"),  # a bare & is text
        ("  \n <b>trimmed</b> \n", "trimmed"),
        ("<B>upper</B>", "upper"),
    ],
)
def test_accepted_markup(source: str, plain: str) -> None:
    assert html_to_plain(source) == plain


def test_pre_language_and_trim_shift_entities() -> None:
    parsed = parse_html('<pre><code class="language-python">x</code></pre>')
    assert parsed.entities == [{"offset": 0, "length": 1, "type": "pre", "language": "python"}]
    trimmed = trim(parse_html("  <b>ab</b>  "))
    assert trimmed.entities == [{"offset": 0, "length": 2, "type": "bold"}]


@pytest.mark.parametrize(
    "source, reason",
    [
        ("<script>alert(1)</script>", 'Unsupported start tag "script"'),
        ("<b>unclosed", "Can't find end tag"),
        ("<b><i>x</b></i>", "Unmatched end tag"),
        ("1 < 2", "Empty tag name"),
        ("trailing <", "Unclosed start tag"),
        ("x</b>", "Unexpected end tag"),
        ("&nbsp;", "Unsupported HTML entity"),
        ("<span>x</span>", "tg-spoiler"),
        ("<a>x</a>", '"href"'),
        ("<br/>", "Unsupported start tag"),
        ('<a href="x>y</a>', "Unclosed"),
    ],
)
def test_refused_markup(source: str, reason: str) -> None:
    with pytest.raises(HTMLParseError, match=reason):
        parse_html(source)


def test_error_offsets_are_utf8_bytes() -> None:
    with pytest.raises(HTMLParseError, match="byte offset 3"):
        parse_html("é <x>")


def test_utf16_length_counts_astral_characters_twice() -> None:
    assert utf16_len("a😀") == 3
    assert parse_html("<b>😀</b>x").entities[0]["length"] == 2
