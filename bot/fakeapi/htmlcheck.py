"""Telegram-style parser for ``parse_mode=HTML``.

Mirrors the behaviour of Telegram's server-side parser (tdlib ``parse_html``):
a small fixed tag set, four named character entities plus numeric ones, strict
nesting, and errors reported with a UTF-8 *byte* offset.  The result is the
plain text a user would see together with the message entities (offsets and
lengths in UTF-16 code units, as in the Bot API).

Deliberate strictness beyond Telegram (the fake should catch sloppy markup):
an unknown named entity such as ``&foo;`` is an error (Telegram shows it
literally), and ``<a>`` without ``href`` is an error (Telegram drops the link).
A lone ``&`` that does not form ``&name;`` is accepted as text, as Telegram does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# tag name -> entity type (None: decided by attributes / context)
_TAGS: dict[str, str | None] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": None,
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_NAMED_RE = re.compile(r"&([A-Za-z]+);?")
_NUMERIC_RE = re.compile(r"&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+));?")
_TAG_NAME_RE = re.compile(r"[^\s>/]*")
_ATTR_NAME_RE = re.compile(r"[^\s=>]*")
_UNQUOTED_VALUE_RE = re.compile(r"[^\s>]*")
# Characters Telegram trims from both ends of a message text / caption.
_TRIM_CHARS = " \t\n\r\f\v"


class HTMLParseError(ValueError):
    """Markup Telegram would refuse; ``str(err)`` is the text after "can't parse entities: "."""


@dataclass
class ParsedText:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Open:
    tag: str
    attrs: dict[str, str]
    start: int  # UTF-16 offset in the output where the entity begins
    byte_offset: int


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: what Telegram's length limits count."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def _decode_entity(source: str, i: int) -> tuple[str, int] | None:
    """Decode a character reference at ``source[i] == '&'``.

    Returns (text, new_index), or None when the ``&`` is just a literal character.
    Raises HTMLParseError for an unknown named entity.
    """
    m = _NUMERIC_RE.match(source, i)
    if m:
        code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        return chr(code), m.end()
    m = _NAMED_RE.match(source, i)
    if m:
        name = m.group(1)
        if name in _NAMED_ENTITIES:
            return _NAMED_ENTITIES[name], m.end()
        if m.group(0).endswith(";"):
            raise HTMLParseError(
                f'Unsupported HTML entity "&{name};" at byte offset {_byte_offset(source, i)}'
            )
    return None


def _decode_text(value: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == "&":
            decoded = _decode_entity(value, i)
            if decoded is not None:
                out.append(decoded[0])
                i = decoded[1]
                continue
        out.append(value[i])
        i += 1
    return "".join(out)


def _parse_attrs(source: str, i: int, tag: str, begin: int) -> tuple[dict[str, str], int]:
    """Parse attributes up to and including '>'; return (attrs, index after '>')."""
    attrs: dict[str, str] = {}
    n = len(source)
    while True:
        while i < n and source[i].isspace():
            i += 1
        if i >= n:
            raise HTMLParseError(f"Unclosed start tag at byte offset {begin}")
        if source[i] == ">":
            return attrs, i + 1
        if source[i] == "/" and source.startswith("/>", i):
            raise HTMLParseError(f'Unsupported self-closing tag "{tag}" at byte offset {begin}')
        m = _ATTR_NAME_RE.match(source, i)
        assert m is not None
        name = m.group(0).lower()
        i = m.end()
        if not name:
            raise HTMLParseError(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
        while i < n and source[i].isspace():
            i += 1
        if i >= n or source[i] != "=":
            attrs[name] = ""  # attribute without value, e.g. <blockquote expandable>
            continue
        i += 1
        while i < n and source[i].isspace():
            i += 1
        if i < n and source[i] in "\"'":
            quote = source[i]
            end = source.find(quote, i + 1)
            if end < 0:
                raise HTMLParseError(
                    f'Unclosed end of attribute value in the tag "{tag}" at byte offset {begin}'
                )
            raw, i = source[i + 1 : end], end + 1
        else:
            m = _UNQUOTED_VALUE_RE.match(source, i)
            assert m is not None
            raw, i = m.group(0), m.end()
        attrs[name] = _decode_text(raw)


def _check_start_tag(tag: str, attrs: dict[str, str], begin: int) -> None:
    if tag not in _TAGS:
        raise HTMLParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
    if tag == "span" and attrs.get("class") != "tg-spoiler":
        raise HTMLParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    if tag == "a" and not attrs.get("href"):
        raise HTMLParseError(f'Tag "a" must have a non-empty "href" at byte offset {begin}')
    if tag == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
        raise HTMLParseError(f'Tag "tg-emoji" must have an "emoji-id" at byte offset {begin}')


def _make_entity(opened: _Open, end: int, stack: list[_Open]) -> dict[str, Any] | None:
    length = end - opened.start
    tag, attrs = opened.tag, opened.attrs
    entity: dict[str, Any] = {"offset": opened.start, "length": length}
    if tag == "a":
        href = attrs["href"]
        m = re.fullmatch(r"tg://user\?id=(\d+)", href)
        if m:
            entity.update(type="text_mention", user={"id": int(m.group(1))})
        else:
            entity.update(type="text_link", url=href)
    elif tag == "code" and stack and stack[-1].tag == "pre":
        # <pre><code class="language-x"> sets the language of the enclosing pre.
        cls = attrs.get("class", "")
        if cls.startswith("language-"):
            stack[-1].attrs["_language"] = cls[len("language-") :]
            return None
        entity["type"] = "code"
    elif tag == "pre":
        entity["type"] = "pre"
        if attrs.get("_language"):
            entity["language"] = attrs["_language"]
    elif tag == "blockquote":
        entity["type"] = "expandable_blockquote" if "expandable" in attrs else "blockquote"
    elif tag == "tg-emoji":
        entity.update(type="custom_emoji", custom_emoji_id=attrs["emoji-id"])
    else:
        entity["type"] = _TAGS[tag]
    return entity if length > 0 else None


def parse_html(source: str) -> ParsedText:
    """Parse Telegram HTML into plain text + entities (untrimmed).

    Raises HTMLParseError with a Telegram-like reason on invalid markup.
    """
    out: list[str] = []
    out_len = 0  # UTF-16 length of "".join(out)
    entities: list[dict[str, Any]] = []
    stack: list[_Open] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c == "&":
            decoded = _decode_entity(source, i)
            if decoded is not None:
                out.append(decoded[0])
                out_len += utf16_len(decoded[0])
                i = decoded[1]
                continue
        if c != "<":
            out.append(c)
            out_len += utf16_len(c)
            i += 1
            continue
        begin = _byte_offset(source, i)
        if source.startswith("</", i):
            if not stack:
                raise HTMLParseError(f"Unexpected end tag at byte offset {begin}")
            close = source.find(">", i)
            if close < 0:
                raise HTMLParseError(f"Unclosed end tag at byte offset {begin}")
            name = source[i + 2 : close].strip().lower()
            if name != stack[-1].tag:
                raise HTMLParseError(
                    f'Unmatched end tag at byte offset {begin}, expected "</{stack[-1].tag}>", '
                    f'found "</{name}>"'
                )
            opened = stack.pop()
            entity = _make_entity(opened, out_len, stack)
            if entity is not None:
                entities.append(entity)
            i = close + 1
            continue
        m = _TAG_NAME_RE.match(source, i + 1)
        assert m is not None
        tag = m.group(0).lower()
        if m.end() >= n:
            raise HTMLParseError(f"Unclosed start tag at byte offset {begin}")
        if not tag:
            raise HTMLParseError(f"Empty tag name at byte offset {begin}")
        if tag not in _TAGS:
            raise HTMLParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
        attrs, i = _parse_attrs(source, m.end(), tag, begin)
        _check_start_tag(tag, attrs, begin)
        stack.append(_Open(tag, attrs, out_len, begin))
    if stack:
        raise HTMLParseError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"'
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText("".join(out), entities)


def trim(parsed: ParsedText) -> ParsedText:
    """Strip surrounding whitespace like Telegram does, shifting/clipping entities."""
    text = parsed.text
    stripped = text.strip(_TRIM_CHARS)
    if stripped == text:
        return parsed
    left = utf16_len(text[: len(text) - len(text.lstrip(_TRIM_CHARS))])
    new_len = utf16_len(stripped)
    entities = []
    for ent in parsed.entities:
        start = max(ent["offset"] - left, 0)
        end = min(ent["offset"] + ent["length"] - left, new_len)
        if end > start:
            entities.append({**ent, "offset": start, "length": end - start})
    return ParsedText(stripped, entities)


def html_to_plain(source: str) -> str:
    """Plain text (trimmed) Telegram would display for ``source``; raises HTMLParseError."""
    return trim(parse_html(source)).text
