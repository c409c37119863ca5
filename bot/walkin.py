"""Walk-in reports: an officer at the desk types a complainant's report into the resident's draft
machine. Pure: no Telegram, no database.

Three steps of its own come first — the complainant's name and phone (both optional, for the office
only) and who interviewed them (default: the officer typing) — then the resident's steps unchanged
(bot/intake.py): category, location, description, photos, review.

Who the complainant is: a Reporter row of their own (kind "walk_in", telegram_id NULL), made when
the officer types /walkin. So the alert shows a pseudonym with that complainant's own history; the
name and phone live where every identity lives (the Reporter row, shown in the group only with
officers.show_reporter_identity); screening's rate and reputation are the complainant's, not the
officer's; and nothing is ever sent to a Telegram chat on their behalf (no notifications, no
follow-up questions). The officer's own Reporter row (if any) is untouched.
"""

from __future__ import annotations

import html
import re
from typing import Any

from bot import intake
from bot.callbacks import Action, encode
from bot.draft import DraftView, format_review
from bot.intake import Effect, Input, Kind, Outcome, Rules, clean_text
from bot.texts import Html, t

WALK_IN = "walk_in"
NAME, PHONE, INTERVIEWER = "wi_name", "wi_phone", "wi_interviewer"
OWN_STEPS = (NAME, PHONE, INTERVIEWER)
FIRST = NAME
NEXT: dict[str, str] = {NAME: PHONE, PHONE: INTERVIEWER, INTERVIEWER: intake.CATEGORY}

# Draft.extra keys. Keys starting with "_" stay behind when the draft becomes a report
# (storage/reports.create_from_draft): the complainant's name and phone move onto their Reporter
# row instead; the others become Report.extra, the office's record of who took the complaint.
NAME_KEY = "_complainant_name"
PHONE_KEY = "_complainant_phone"
OFFICER_NAME_KEY = "_officer_name"  # the officer typing: the default interviewer
RECORDED_BY = "recorded_by_id"
INTERVIEWER_NAME = "interviewed_by_name"
INTERVIEWER_ID = "interviewed_by_id"  # None when another officer's name was typed

NAME_MIN, NAME_MAX = 2, 80
PHONE_DIGITS_MIN, PHONE_DIGITS_MAX = 8, 15
SKIP_WORDS = intake.SKIP_WORDS | {"-"}

_PHONE_SEPARATORS = re.compile(r"[\s\-.()/]")

Keyboard = list[list[tuple[str, str]]]


def start_extra(*, officer_id: int, officer_name: str, desk_office: str | None = None) -> dict[str, Any]:
    extra: dict[str, Any] = {RECORDED_BY: officer_id, OFFICER_NAME_KEY: officer_name[:NAME_MAX]}
    if desk_office is not None:  # several offices: the desk's own, for an address naming no area
        extra[intake.DESK_OFFICE] = desk_office
    return extra


def carried_extra(extra: dict[str, Any]) -> dict[str, Any]:
    """What "Start over" keeps: who is typing (and at which office's desk), not what was typed."""
    return {k: extra[k] for k in (RECORDED_BY, OFFICER_NAME_KEY, intake.DESK_OFFICE) if k in extra}


def complainant(extra: dict[str, Any]) -> tuple[str | None, str | None]:
    return extra.get(NAME_KEY), extra.get(PHONE_KEY)


def has_content(view: DraftView) -> bool:
    return intake.has_content(view) or any(view.extra.get(k) for k in (NAME_KEY, PHONE_KEY, INTERVIEWER_NAME))


def normalize_phone(text: str) -> str | None:
    """A phone number as typed at the desk ("0812-3456 7890", "+62 812 …"): digits, a leading +
    kept; None when it cannot be one."""
    compact = _PHONE_SEPARATORS.sub("", text.strip())
    digits = compact[1:] if compact.startswith("+") else compact
    if not digits.isascii() or not digits.isdigit() or not PHONE_DIGITS_MIN <= len(digits) <= PHONE_DIGITS_MAX:
        return None
    return compact


def _clean_name(text: str) -> str:
    return " ".join(clean_text(text).split())


# -- the rules --


def decide(step: str, inp: Input, view: DraftView, rules: Rules) -> Outcome:
    """The walk-in draft's answer: its own steps here, everything else as a resident's draft."""
    if inp.kind is Kind.BUTTON:
        if inp.action is Action.DISCARD:
            return Outcome(step=FIRST, effect=Effect.RESTART, accepted=True)
        if inp.action is Action.WALKIN_DEFAULT and step in OWN_STEPS:
            return _default(view)
        if inp.action is Action.EDIT_STEP and step == intake.REVIEW and inp.value in OWN_STEPS:
            changes = {"step": inp.value, "return_to": intake.REVIEW, "album_id": None}
            return Outcome(step=inp.value, changes=changes, prompt=True, accepted=True)
        return intake.decide(step, inp, view, rules)
    if step == NAME:
        return _name(inp, view)
    if step == PHONE:
        return _phone(inp, view)
    if step == INTERVIEWER:
        return _interviewer(inp, view)
    return intake.decide(step, inp, view, rules)


def _advance(view: DraftView, **extra: Any) -> Outcome:
    step = view.return_to or NEXT[view.step]
    changes = {"extra": {**view.extra, **extra}, "step": step, "return_to": ""}
    return Outcome(step=step, changes=changes, prompt=True, accepted=True)


def _refuse(view: DraftView, key: str, **values: Any) -> Outcome:
    return Outcome(step=view.step, notice=key, values=values)


def _skipped(inp: Input) -> bool:
    return inp.kind is Kind.TEXT and inp.text.strip().casefold() in SKIP_WORDS


def _default(view: DraftView) -> Outcome:
    if view.step == INTERVIEWER:
        return _advance(view, **{INTERVIEWER_NAME: view.extra.get(OFFICER_NAME_KEY),
                                 INTERVIEWER_ID: view.extra.get(RECORDED_BY)})
    return _advance(view, **{NAME_KEY if view.step == NAME else PHONE_KEY: None})


def _name(inp: Input, view: DraftView) -> Outcome:
    if _skipped(inp):
        return _default(view)
    if inp.kind is not Kind.TEXT:
        return _refuse(view, "wi_expect_text")
    name = _clean_name(inp.text)
    if not NAME_MIN <= len(name) <= NAME_MAX:
        return _refuse(view, "wi_name_invalid", min=NAME_MIN, max=NAME_MAX)
    return _advance(view, **{NAME_KEY: name})


def _phone(inp: Input, view: DraftView) -> Outcome:
    if _skipped(inp):
        return _default(view)
    if inp.kind is not Kind.TEXT:
        return _refuse(view, "wi_expect_text")
    phone = normalize_phone(inp.text)
    if phone is None:
        return _refuse(view, "wi_phone_invalid", min=PHONE_DIGITS_MIN, max=PHONE_DIGITS_MAX)
    return _advance(view, **{PHONE_KEY: phone})


def _interviewer(inp: Input, view: DraftView) -> Outcome:
    if inp.kind is not Kind.TEXT:
        return _refuse(view, "wi_expect_text")
    name = _clean_name(inp.text)
    if not NAME_MIN <= len(name) <= NAME_MAX:
        return _refuse(view, "wi_name_invalid", min=NAME_MIN, max=NAME_MAX)
    # Another officer's name, typed: who they are is known to the office, not to the bot.
    return _advance(view, **{INTERVIEWER_NAME: name, INTERVIEWER_ID: None})


# -- what the officer reads --


def review_head(lang: str, view: DraftView) -> Html:
    none = t(lang, "wi_none")
    name, phone = complainant(view.extra)
    return t(lang, "wi_review_head", name=name or none, phone=phone or none,
             interviewer=view.extra.get(INTERVIEWER_NAME) or none)


def prompt_text(lang: str, view: DraftView, *, category_label: str) -> Html | None:
    """The walk-in's own question at `view.step`, or None where the resident's question serves."""
    if view.step == NAME:
        return t(lang, "wi_prompt_name")
    if view.step == PHONE:
        return t(lang, "wi_prompt_phone")
    if view.step == INTERVIEWER:
        return t(lang, "wi_prompt_interviewer", name=view.extra.get(OFFICER_NAME_KEY) or "?")
    if view.step == intake.LOCATION:
        return t(lang, "wi_prompt_location")
    if view.step == intake.REVIEW:
        return format_review(lang, view, category_label=category_label, head=review_head(lang, view) + "\n\n")
    return None


def step_rows(lang: str, view: DraftView) -> Keyboard | None:
    """The walk-in's keyboard at `view.step` ([] = none), or None where the resident's serves."""
    if view.step in (NAME, PHONE):
        return [[(t(lang, "btn_skip"), encode(Action.WALKIN_DEFAULT, view.id))]]
    if view.step == INTERVIEWER:
        # A button label is plain text: the escaped name is unescaped again.
        label = html.unescape(t(lang, "wi_btn_me", name=view.extra.get(OFFICER_NAME_KEY) or "?"))
        return [[(label, encode(Action.WALKIN_DEFAULT, view.id))]]
    if view.step == intake.LOCATION:
        # No "send my location" button: the officer's own position is the office's, not the event's.
        return []
    return None


def edit_rows(lang: str, view: DraftView) -> Keyboard:
    """The edit menu's extra rows for the walk-in's own steps."""

    def b(step: str) -> tuple[str, str]:
        return t(lang, f"btn_edit_{step}"), encode(Action.EDIT_STEP, view.id, step)

    return [[b(NAME), b(PHONE)], [b(INTERVIEWER)]]


def submitted_reply(*, number: str, decision: str | None) -> tuple[str, dict[str, Any]]:
    """The officer's confirmation: in the group now, or held for a supervisor's review."""
    if decision in ("review", "reject"):
        return "wi_submitted_held", {"number": number}
    return "wi_submitted", {"number": number}
