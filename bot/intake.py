"""The resident's draft as a pure state machine: no Telegram, no database.

A handler turns an update into `MessageFacts` (plain values), `classify` turns those into an `Input`,
and `decide(step, input, view, rules)` answers with an `Outcome`: the fields to set, the step after,
what to say and which side effect the handler must carry out (store a photo, submit, cancel...).
Every rule of the conversation lives here, so each one is a unit test away.

The transition table is `NEXT`: each step answered moves to the next one, unless the resident came
from the review to edit one step (`return_to == "review"`), in which case the flow goes straight back.

    step         accepts                                                   then
    category     a category button, or a category's name typed             location
    location     location (gps/pin/live/forwarded), venue, typed address   description
    description  text of description_min..max characters                   photos
    photos       photos / image files up to max_photos; Done (>= 1); Skip  review
    review       Submit -> the report; Edit -> one step, then back here    -
    any step     Cancel -> the draft is deleted; Start over -> a fresh draft; Continue -> the question again;
                 anything else -> a hint, the draft untouched
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.callbacks import Action
from bot.draft import DraftView
from bot.geo import valid_coordinates
# Re-exported: callers import the whole of the rules from here.
from bot.intake_input import (  # noqa: F401
    ADDRESS_MAX_CHARS,
    ADDRESS_MIN_CHARS,
    Input,
    Kind,
    MessageFacts,
    PhotoFacts,
    button,
    classify,
    clean_text,
    visible_length,
)

CATEGORY, LOCATION, DESCRIPTION, PHOTOS, REVIEW = "category", "location", "description", "photos", "review"
STEPS = (CATEGORY, LOCATION, DESCRIPTION, PHOTOS, REVIEW)
EDITABLE_STEPS = STEPS[:-1]
NEXT: dict[str, str] = {a: b for a, b in zip(STEPS, STEPS[1:])}

# Words a resident may type instead of pressing the photo step's buttons (compared case-folded).
DONE_WORDS = frozenset({"selesai", "done", "sudah", "finish"})
SKIP_WORDS = frozenset({"lewati", "skip", "tidak ada", "no photo", "no photos"})

# Buttons that act on a draft at any step, an expired one too (everything else meets "expired").
ACTS_ON_EXPIRED = frozenset({Action.RESUME, Action.DISCARD, Action.CANCEL})

# Fields an accepted location replaces together, so an earlier fix never leaks into a new one.
LOCATION_FIELDS = ("lat", "lon", "accuracy_m", "location_source", "address_text", "area_label")

# Draft.extra keys (bookkeeping, "_": not copied to the report): the office the accepted location
# routes the report to (several offices), and the walk-in desk's office, for an address naming no area.
OFFICE = "_office"
DESK_OFFICE = "_desk_office"


class Effect(StrEnum):
    NONE = "none"
    ADD_PHOTO = "add_photo"
    CLEAR_PHOTOS = "clear_photos"  # editing photos from the review replaces them
    SUBMIT = "submit"
    CANCEL = "cancel"
    EDIT_MENU = "edit_menu"
    RESTART = "restart"  # "Start over": a fresh draft in place of this one


def next_step(current: str, *, return_to: str = "") -> str:
    if return_to:
        return return_to
    return NEXT[current]


@dataclass(frozen=True)
class Rules:
    description_min: int
    description_max: int
    max_photos: int
    # code -> labels in every language, for matching a typed category name.
    categories: Mapping[str, tuple[str, ...]]
    # (lat, lon) -> the area's label, or None outside the jurisdiction.
    locate: Callable[[float, float], str | None]
    # Several offices (bot/offices.py): the office key of a point inside some office's area, and of a
    # typed address (None: it names no office's area). Both None for one office: it takes everything.
    office_at: Callable[[float, float], str | None] | None = None
    office_named: Callable[[str], str | None] | None = None


@dataclass(frozen=True)
class Outcome:
    step: str  # the draft's step afterwards
    changes: dict[str, Any] = field(default_factory=dict)  # draft fields to set
    notice: str | None = None  # text key said first: an acknowledgement or why the input was refused
    values: dict[str, Any] = field(default_factory=dict)  # placeholders of `notice`
    prompt: bool = False  # then ask the question of `step`
    effect: Effect = Effect.NONE
    accepted: bool = False  # the draft changed: record the update and push its expiry forward


def _advance(view: DraftView, changes: dict[str, Any], *, notice: str | None = None, **values: Any) -> Outcome:
    step = next_step(view.step, return_to=view.return_to)
    return Outcome(
        step=step,
        changes={**changes, "step": step, "return_to": ""},
        notice=notice,
        values=values,
        prompt=True,
        accepted=True,
    )


def _refuse(view: DraftView, key: str, **values: Any) -> Outcome:
    return Outcome(step=view.step, notice=key, values=values)


def _reprompt(view: DraftView) -> Outcome:
    return Outcome(step=view.step, prompt=True)


def decide(step: str, inp: Input, view: DraftView, rules: Rules) -> Outcome:
    """The answer of the draft at `step` to one input. `view.step` must equal `step`."""
    if inp.kind is Kind.BUTTON:
        return _button(inp, view, rules)
    handler = _STEP_HANDLERS.get(step)
    if handler is None:
        return _reprompt(view)
    return handler(inp, view, rules)


def _button(inp: Input, view: DraftView, rules: Rules) -> Outcome:
    action, step = inp.action, view.step
    if action is Action.CANCEL:
        return Outcome(step=step, effect=Effect.CANCEL, accepted=True)
    if action is Action.DISCARD:
        return Outcome(step=CATEGORY, effect=Effect.RESTART, accepted=True)
    if action is Action.RESUME:
        # Wakes an expired draft and asks its question again; accepted pushes the deadline forward.
        return Outcome(step=step, changes={"status": "active"}, prompt=True, accepted=True)
    if action is Action.CATEGORY and step == CATEGORY:
        if inp.value not in rules.categories:
            return _refuse(view, "button_unknown")
        return _advance(view, {"category": inp.value})
    if action in (Action.PHOTOS_DONE, Action.PHOTOS_SKIP) and step == PHOTOS:
        if action is Action.PHOTOS_DONE and view.photo_count == 0:
            return _refuse(view, "expect_photos", max=rules.max_photos)
        # Skip after photos were sent keeps them: dropping a resident's photos silently is worse.
        return _advance(view, {"album_id": None})
    if step == REVIEW:
        if action is Action.SUBMIT:
            return Outcome(step=step, effect=Effect.SUBMIT, accepted=True)
        if action is Action.EDIT:
            return Outcome(step=step, effect=Effect.EDIT_MENU)
        if action is Action.EDIT_STEP:
            if inp.value == REVIEW:
                return _reprompt(view)
            if inp.value not in EDITABLE_STEPS:
                return _refuse(view, "button_unknown")
            effect = Effect.CLEAR_PHOTOS if inp.value == PHOTOS else Effect.NONE
            changes = {"step": inp.value, "return_to": REVIEW, "album_id": None}
            return Outcome(step=inp.value, changes=changes, prompt=True, effect=effect, accepted=True)
    # A button of another step (an old message): ask the current question again.
    return _reprompt(view)


def _category(inp: Input, view: DraftView, rules: Rules) -> Outcome:
    if inp.kind is Kind.TEXT:
        typed = inp.text.strip().casefold()
        for code, labels in rules.categories.items():
            if typed == code or typed in (label.casefold() for label in labels):
                return _advance(view, {"category": code})
    return _refuse(view, "expect_category")


def _location(inp: Input, view: DraftView, rules: Rules) -> Outcome:
    if inp.kind in (Kind.LOCATION, Kind.VENUE):
        lat, lon = inp.lat, inp.lon
        if not _valid_coordinates(lat, lon):
            return _refuse(view, "location_invalid")
        area = rules.locate(lat, lon)  # type: ignore[arg-type]
        if area is None:
            return _refuse(view, "location_outside")
        changes = dict.fromkeys(LOCATION_FIELDS)
        changes.update(lat=lat, lon=lon, accuracy_m=inp.accuracy_m, location_source=inp.source, area_label=area)
        if inp.kind is Kind.VENUE:
            changes["address_text"] = inp.address
        if rules.office_at is not None:
            changes["extra"] = {**view.extra, OFFICE: rules.office_at(lat, lon)}  # type: ignore[arg-type]
        return _advance(view, changes, notice="location_saved")
    if inp.kind is Kind.TEXT:
        address = clean_text(inp.text)
        if visible_length(address) < ADDRESS_MIN_CHARS:
            return _refuse(view, "address_too_short", min=ADDRESS_MIN_CHARS, max=ADDRESS_MAX_CHARS)
        if len(address) > ADDRESS_MAX_CHARS:
            return _refuse(view, "address_too_long", min=ADDRESS_MIN_CHARS, max=ADDRESS_MAX_CHARS)
        changes = dict.fromkeys(LOCATION_FIELDS)
        changes.update(location_source="text", address_text=address)
        if rules.office_named is not None:
            # The office whose area the address names; a walk-in's desk takes one that names none.
            office = rules.office_named(address) or view.extra.get(DESK_OFFICE)
            if office is None:
                return _refuse(view, "address_no_office")
            changes["extra"] = {**view.extra, OFFICE: office}
        return _advance(view, changes, notice="location_saved")
    return _refuse(view, "expect_location")


def _description(inp: Input, view: DraftView, rules: Rules) -> Outcome:
    if inp.kind is not Kind.TEXT:
        return _refuse(view, "expect_description", min=rules.description_min, max=rules.description_max)
    text = clean_text(inp.text)
    limits = {"length": len(text), "min": rules.description_min, "max": rules.description_max}
    if visible_length(text) < rules.description_min:
        limits["length"] = visible_length(text)
        return _refuse(view, "description_too_short", **limits)
    if len(text) > rules.description_max:
        return _refuse(view, "description_too_long", **limits)
    return _advance(view, {"description": text})


def _photos(inp: Input, view: DraftView, rules: Rules) -> Outcome:
    album = inp.media_group_id
    if inp.kind is Kind.PHOTO:
        if view.photo_count >= rules.max_photos:
            if album is None:
                return _refuse(view, "photos_max", max=rules.max_photos)
            # One refusal per album, said in the album's single answer after it settles.
            rejected = int(view.extra.get("_album_rejected", 0)) if view.album_id == album else 0
            extra = {**view.extra, "_album_rejected": rejected + 1}
            return Outcome(step=PHOTOS, changes={"album_id": album, "extra": extra}, accepted=True)
        changes: dict[str, Any] = {}
        if album is not None and view.album_id != album:
            changes = {"album_id": album, "extra": {**view.extra, "_album_rejected": 0}}
        notice = None if album is not None else "photo_received"
        values = {"count": view.photo_count + 1, "max": rules.max_photos}
        return Outcome(
            step=PHOTOS, changes=changes, notice=notice, values=values, effect=Effect.ADD_PHOTO, accepted=True
        )
    if inp.kind is Kind.BAD_FILE:
        return _refuse(view, inp.problem or "not_an_image")
    if inp.kind is Kind.TEXT:
        typed = inp.text.strip().casefold()
        if typed in DONE_WORDS:
            return _button(button(Action.PHOTOS_DONE), view, rules)
        if typed in SKIP_WORDS:
            return _button(button(Action.PHOTOS_SKIP), view, rules)
    return _refuse(view, "expect_photos", max=rules.max_photos)


def _review(inp: Input, view: DraftView, rules: Rules) -> Outcome:
    return _refuse(view, "expect_review")


_STEP_HANDLERS: dict[str, Callable[[Input, DraftView, Rules], Outcome]] = {
    CATEGORY: _category,
    LOCATION: _location,
    DESCRIPTION: _description,
    PHOTOS: _photos,
    REVIEW: _review,
}


def _valid_coordinates(lat: float | None, lon: float | None) -> bool:
    return lat is not None and lon is not None and valid_coordinates(lat, lon)


def has_content(view: DraftView) -> bool:
    """Whether a draft holds anything worth offering to resume."""
    return bool(view.category or view.location_source or view.description or view.photo_count)
