"""One resident update as one short transaction: load the reporter and the draft, let bot/intake.py
decide, write the result, and return a `Turn` (plain values) that the reply is rendered from after
the commit. No Telegram call happens in here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

from bot import intake, walkin
from bot.callbacks import Action
from bot.draft import DraftView
from bot.intake import Effect, Input, Kind, Outcome, Rules
from bot.services import Services
from bot.texts import language_for
from storage import drafts, reporters, reports
from storage.models import Draft, DraftStatus, Reporter


class Status(StrEnum):
    OK = "ok"  # the outcome was applied (or refused): reply from it
    NO_DRAFT = "no_draft"
    EXPIRED = "expired"
    REDELIVERED = "redelivered"  # seen before: ask the current question again, change nothing
    STALE_BUTTON = "stale_button"  # a button of another (old or forged) draft
    SUBMITTED = "submitted"
    CANCELLED = "cancelled"
    NOTHING_TO_CANCEL = "nothing_to_cancel"
    RESUME_OFFER = "resume_offer"
    STARTED = "started"  # a fresh draft after /start: welcome, then the first question
    RESTARTED = "restarted"  # "Start over" pressed: the first question again


@dataclass(frozen=True)
class UserFacts:
    telegram_id: int
    chat_id: int
    first_name: str | None = None
    username: str | None = None
    language_code: str | None = None


@dataclass
class Turn:
    status: Status
    lang: str
    view: DraftView | None = None  # the draft after the update
    before_step: str | None = None
    outcome: Outcome | None = None
    report_number: str | None = None
    values: dict[str, Any] = field(default_factory=dict)


def rules_for(services: Services) -> Rules:
    cfg = services.config.intake

    def locate(lat: float, lon: float) -> str | None:
        area = services.jurisdiction.locate(lat, lon)
        return None if area is None else area.label()

    offices = services.offices
    multi = len(offices) > 1

    def office_at(lat: float, lon: float) -> str | None:
        found = offices.locate(lat, lon)
        return None if found is None else found[0].key

    def office_named(text: str) -> str | None:
        office = offices.by_area_name(text)
        return None if office is None else office.key

    return Rules(
        description_min=cfg.description_min_chars,
        description_max=cfg.description_max_chars,
        max_photos=cfg.max_photos,
        categories={c.code: (c.id, c.en) for c in cfg.categories},
        locate=locate,
        # Several offices: the location step records which one the report goes to.
        office_at=office_at if multi else None,
        office_named=office_named if multi else None,
    )


def _timeout(services: Services) -> timedelta:
    return timedelta(minutes=services.config.intake.draft_timeout_minutes)


async def _reporter(session, services: Services, user: UserFacts) -> Reporter:
    return await reporters.get_or_create(
        session,
        telegram_id=user.telegram_id,
        now=services.now(),
        language=language_for(user.language_code),
        first_name=user.first_name,
        username=user.username,
        # Every resident update locks its reporter row first: two replicas handling two updates of
        # one resident at once take turns, so the second reads the draft the first wrote.
        lock=True,
    )


async def _view(session, draft: Draft) -> DraftView:
    return DraftView.of(draft, photo_count=await drafts.count_photos(session, draft_id=draft.id))


def _is_expired(draft: Draft, services: Services) -> bool:
    return draft.status == DraftStatus.EXPIRED or draft.expires_at <= services.now()


def _is_redelivery(draft: Draft, update_id: int) -> bool:
    return draft.last_update_id is not None and update_id <= draft.last_update_id


async def _draft_for(s, reporter: Reporter, user: UserFacts) -> Draft | None:
    """The draft this person's messages answer: an officer's walk-in draft (handlers/walkin.py) comes
    before their own, so the desk's report is never mixed into the officer's private one."""
    return await drafts.get_for_person(s, officer_id=user.telegram_id, reporter_id=reporter.id)


async def _drop(s, draft: Draft) -> None:
    await drafts.delete(s, draft=draft)
    if draft.channel == walkin.WALK_IN:  # its complainant row, made for it and named by nothing else
        await reporters.delete_unused_walk_in(s, reporter_id=draft.reporter_id)


def _submitted_by(report, reporter: Reporter, user: UserFacts) -> bool:
    """The report this person submitted: their own, or a walk-in they typed at the desk."""
    if report.channel == walkin.WALK_IN:
        return (report.extra or {}).get(walkin.RECORDED_BY) == user.telegram_id
    return report.reporter_id == reporter.id


def _submitted_values(services: Services, report, reporter: Reporter) -> dict[str, Any]:
    """What the confirmation says (screening's decision, in words that give an abuser nothing),
    and whether to offer phone verification afterwards."""
    from bot.screening.resident import resident_reply

    key, values = resident_reply(
        number=report.number, decision=report.decision, reasons=report.reasons, incident_id=report.incident_id,
        report_id=report.id, restricted_until=reporter.restricted_until, now=services.now(),
        tz=services.tz_of(report.prefix),
    )
    if report.channel == walkin.WALK_IN:  # the officer at the desk: where the report went
        key, values = walkin.submitted_reply(number=report.number, decision=report.decision)
    offer = report.decision != "reject" and not reporter.phone_verified and report.channel != "walk_in"
    return {"reply_key": key, "reply_values": values, "offer_phone": offer}


async def handle_input(
    services: Services, *, user: UserFacts, update_id: int, inp: Input, draft_id: int | None = None
) -> Turn:
    """A message or a draft button (`draft_id` is the id the button names)."""
    now = services.now()
    async with services.db.transaction() as s:
        reporter = await _reporter(s, services, user)
        lang = reporter.language
        is_button = inp.kind is Kind.BUTTON
        if is_button and inp.action is Action.SUBMIT:
            done = await reports.get_report_for_submit(s, update_id=update_id, draft_id=draft_id)
            if done is not None and _submitted_by(done, reporter, user):
                return Turn(Status.SUBMITTED, lang, report_number=done.number,
                            values=_submitted_values(services, done, reporter))
        draft = await _draft_for(s, reporter, user)
        if is_button and (draft is None or draft.id != draft_id):
            return Turn(Status.STALE_BUTTON, lang)
        if draft is None:
            if await reports.submitted_after(s, reporter_id=reporter.id, update_id=update_id):
                return Turn(Status.REDELIVERED, lang)  # a step of a report submitted since: answered then
            return Turn(Status.NO_DRAFT, lang)
        if _is_redelivery(draft, update_id):
            return Turn(Status.REDELIVERED, lang, view=await _view(s, draft))
        if _is_expired(draft, services) and not (is_button and inp.action in intake.ACTS_ON_EXPIRED):
            if draft.status != DraftStatus.EXPIRED:
                await drafts.mark_expired(s, draft=draft)  # the sweep then has nothing to announce
            return Turn(Status.EXPIRED, lang)

        before = draft.step
        decide = walkin.decide if draft.channel == walkin.WALK_IN else intake.decide
        view = await _view(s, draft)
        outcome = decide(draft.step, inp, view, rules_for(services))
        if outcome.effect is Effect.RESTART:
            # The same reporter (a walk-in keeps its complainant row and who is typing).
            draft = await drafts.create(
                s, reporter_id=draft.reporter_id, chat_id=user.chat_id, step=outcome.step, now=now,
                timeout=_timeout(services), update_id=update_id, channel=draft.channel,
                officer_id=draft.officer_id, extra=walkin.carried_extra(draft.extra or {}),
            )
            return Turn(Status.RESTARTED, lang, view=await _view(s, draft))
        if outcome.effect is Effect.CANCEL:
            await _drop(s, draft)
            return Turn(Status.CANCELLED, lang)
        if outcome.effect is Effect.SUBMIT:
            if draft.channel == walkin.WALK_IN:
                name, phone = walkin.complainant(draft.extra or {})
                await reporters.set_walk_in_identity(s, reporter_id=draft.reporter_id, name=name, phone=phone)
            office = services.offices.for_draft((draft.extra or {}).get(intake.OFFICE), draft.lat, draft.lon)
            report = await reports.create_from_draft(
                s, draft=draft, update_id=update_id, prefix=office.key,
                # The number's year is the office's calendar year (WITA's new year comes an hour early).
                now=now, group_chat_id=services.group_of(office.key), tz=services.tz_of(office.key),
                screening=services.config.screening, jurisdiction=services.jurisdiction,
                sla=services.config.sla,
            )
            return Turn(Status.SUBMITTED, lang, report_number=report.number,
                        values=_submitted_values(services, report, reporter))
        if outcome.effect is Effect.ADD_PHOTO and inp.photo is not None:
            p = inp.photo
            await drafts.add_photo(
                s, draft_id=draft.id, file_id=p.file_id, file_unique_id=p.file_unique_id, now=now, kind=p.kind,
                mime_type=p.mime_type, width=p.width, height=p.height, file_size=p.file_size,
                forwarded=inp.forwarded, media_group_id=inp.media_group_id,
            )
        if outcome.effect is Effect.CLEAR_PHOTOS:
            await drafts.clear_photos(s, draft_id=draft.id)
        if outcome.accepted:
            await drafts.apply(
                s, draft=draft, changes=outcome.changes, now=now, timeout=_timeout(services), update_id=update_id
            )
        # The photos were counted above; only a photo step changes them (one statement less per update).
        photos_changed = outcome.effect in (Effect.ADD_PHOTO, Effect.CLEAR_PHOTOS)
        after = await _view(s, draft) if photos_changed else DraftView.of(draft, photo_count=view.photo_count)
        return Turn(Status.OK, lang, view=after, before_step=before, outcome=outcome)


async def start(services: Services, *, user: UserFacts, update_id: int) -> Turn:
    """/start: offer to resume a draft with content, else begin a fresh one."""
    now = services.now()
    async with services.db.transaction() as s:
        reporter = await _reporter(s, services, user)
        lang = reporter.language
        draft = await _draft_for(s, reporter, user)
        if draft is not None:
            if _is_redelivery(draft, update_id):
                return Turn(Status.REDELIVERED, lang, view=await _view(s, draft))
            view = await _view(s, draft)
            if intake.has_content(view) or draft.channel == walkin.WALK_IN:
                return Turn(Status.RESUME_OFFER, lang, view=view)
        elif await reports.submitted_after(s, reporter_id=reporter.id, update_id=update_id):
            # Redelivered after a crash from before a report it led to: answered then, nothing to do now
            # (a fresh draft would greet the resident out of the blue, and expire on them later).
            return Turn(Status.REDELIVERED, lang)
        draft = await drafts.create(
            s, reporter_id=reporter.id, chat_id=user.chat_id, step=intake.CATEGORY, now=now,
            timeout=_timeout(services), update_id=update_id,
        )
        return Turn(Status.STARTED, lang, view=DraftView.of(draft, photo_count=0))  # a new draft: no photos


async def cancel(services: Services, *, user: UserFacts) -> Turn:
    async with services.db.transaction() as s:
        reporter = await _reporter(s, services, user)
        draft = await _draft_for(s, reporter, user)
        if draft is None:
            return Turn(Status.NOTHING_TO_CANCEL, reporter.language)
        await _drop(s, draft)
        return Turn(Status.CANCELLED, reporter.language)


async def set_language(services: Services, *, user: UserFacts, language: str) -> Turn:
    """An explicit language choice; the turn carries the active draft (if any) to ask again in it."""
    async with services.db.transaction() as s:
        reporter = await _reporter(s, services, user)
        await reporters.set_language(s, reporter=reporter, language=language)
        draft = await _draft_for(s, reporter, user)
        view = None
        if draft is not None and not _is_expired(draft, services):
            view = await _view(s, draft)
        return Turn(Status.OK, language, view=view)


async def settle_album(services: Services, *, user: UserFacts) -> Turn | None:
    """The album has settled: clear its mark and report how many photos the draft holds now.
    None when there is nothing to say (the resident already moved on, or it was answered)."""
    now = services.now()
    async with services.db.transaction() as s:
        reporter = await _reporter(s, services, user)
        draft = await _draft_for(s, reporter, user)
        if draft is None or draft.album_id is None or draft.step != intake.PHOTOS:
            return None
        rejected = int((draft.extra or {}).get("_album_rejected", 0))
        extra = {k: v for k, v in (draft.extra or {}).items() if k != "_album_rejected"}
        await drafts.apply(
            s, draft=draft, changes={"album_id": None, "extra": extra}, now=now, timeout=_timeout(services),
            update_id=None,
        )
        return Turn(Status.OK, reporter.language, view=await _view(s, draft), values={"rejected": rejected})
