"""Follow-up rows: relayed messages (FollowUp, with their audit event and outbox rows, in the caller's
transaction) and who is expected to write next (FollowUpWait)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, func, or_, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import outbox
from storage.models import FollowUp, FollowUpWait, Incident, Report, ReportEvent, Reporter
from storage.outbox import OutboxKind


# -- waits --


async def set_wait(
    session: AsyncSession, *, user_id: int, report_id: int, kind: str, now: datetime, expires_at: datetime
) -> None:
    """This person's next private message is a `kind` for the report (replacing any earlier wait).
    An upsert: two presses at once by the same person leave one row, never a duplicate-key error."""
    if session.bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    values = {"report_id": report_id, "kind": kind, "created_at": now, "expires_at": expires_at,
              "media_group_id": None}
    stmt = insert(FollowUpWait).values(user_id=user_id, **values).on_conflict_do_update(
        index_elements=[FollowUpWait.user_id], set_=values
    )
    await session.exec(stmt)  # type: ignore[call-overload]


async def get_wait(session: AsyncSession, *, user_id: int, now: datetime) -> FollowUpWait | None:
    """The person's live wait; an expired one is as good as none."""
    wait = await session.get(FollowUpWait, user_id)
    if wait is None or wait.expires_at <= now:
        return None
    return wait


async def clear_wait(session: AsyncSession, *, user_id: int) -> bool:
    result = await session.exec(  # type: ignore[call-overload]
        delete(FollowUpWait).where(FollowUpWait.user_id == user_id).execution_options(synchronize_session=False)
    )
    return result.rowcount > 0


async def keep_wait_for_album(session: AsyncSession, *, user_id: int, media_group_id: str) -> None:
    """The answer is an album: its later parts (same media_group_id) belong to it too."""
    await session.exec(  # type: ignore[call-overload]
        update(FollowUpWait)
        .where(FollowUpWait.user_id == user_id)
        .values(media_group_id=media_group_id)
        .execution_options(synchronize_session=False)
    )


# -- relayed messages --


async def find_by_update(session: AsyncSession, *, update_id: int) -> FollowUp | None:
    return (await session.exec(select(FollowUp).where(FollowUp.update_id == update_id))).first()


async def may_concern(session: AsyncSession, *, user_id: int, update_id: int, now: datetime,
                      chat_id: int, reply_to: int | None) -> bool:
    """Whether a private message may be a follow-up: a live wait of this person, a relayed update
    (redelivered), or a reply to a relayed question. One query: every private message asks."""
    checks = [
        exists().where(FollowUpWait.user_id == user_id, FollowUpWait.expires_at > now),
        exists().where(FollowUp.update_id == update_id),
    ]
    if reply_to is not None:
        checks.append(exists().where(FollowUp.delivered_chat_id == chat_id, FollowUp.delivered_message_id == reply_to))
    return bool((await session.exec(select(or_(*checks)))).one())  # type: ignore[call-overload]


async def find_delivered(session: AsyncSession, *, chat_id: int, message_id: int) -> FollowUp | None:
    """The relayed question a reporter's message replies to."""
    query = select(FollowUp).where(FollowUp.delivered_chat_id == chat_id, FollowUp.delivered_message_id == message_id)
    return (await session.exec(query)).first()


async def get(session: AsyncSession, *, followup_id: int) -> FollowUp | None:
    return await session.get(FollowUp, followup_id)


async def count_recent(session: AsyncSession, *, author_id: int, kinds: Collection[str], since: datetime) -> int:
    query = select(func.count()).select_from(FollowUp).where(
        FollowUp.author_id == author_id, FollowUp.kind.in_(list(kinds)), FollowUp.created_at >= since
    )
    return int((await session.exec(query)).one())


async def relay(
    session: AsyncSession,
    *,
    report: Report,
    kind: str,
    author_id: int,
    author_name: str | None,
    text: str | None,
    photo_file_id: str | None,
    photo_kind: str | None,
    update_id: int | None,
    now: datetime,
    group_chat_id: int,
    resident_chat_id: int | None,
) -> FollowUp:
    """Store a relayed message, its audit event, and the outbox rows that carry it: to the group
    (always, as a reply to the alert) and, for a question, to the reporter. `author_name` (an
    officer's) goes into the audit and the group's copy only; a reporter's is never stored here."""
    row = FollowUp(report_id=report.id, kind=kind, author_id=author_id, text=text, photo_file_id=photo_file_id,
                   photo_kind=photo_kind, created_at=now, update_id=update_id)
    session.add(row)
    await session.flush()
    note = text if photo_file_id is None else f"[photo] {text or ''}".strip()
    session.add(ReportEvent(report_id=report.id, at=now, action=kind, actor_id=author_id,
                            actor_name=(author_name or None) and author_name[:128], note=note))
    payload = {"followup_id": row.id, "officer": author_name}
    await outbox.enqueue(session, kind=OutboxKind.RELAY_TO_GROUP, chat_id=report.alert_chat_id or group_chat_id,
                         now=now, report_id=report.id, payload=payload, dedupe_key=f"relay:{row.id}:group")
    if resident_chat_id is not None:
        await outbox.enqueue(session, kind=OutboxKind.RELAY_TO_RESIDENT, chat_id=resident_chat_id, now=now,
                             report_id=report.id, payload={"followup_id": row.id},
                             dedupe_key=f"relay:{row.id}:resident")
    await session.flush()
    return row


@dataclass(frozen=True)
class RelayBundle:
    followup: FollowUp
    report: Report
    alias: str
    # The group message to reply to: the report's alert, or its incident's when it joined one.
    reply_chat_id: int | None
    reply_message_id: int | None


async def load_bundle(session: AsyncSession, *, followup_id: int) -> RelayBundle | None:
    row = await session.get(FollowUp, followup_id)
    if row is None:
        return None
    report = await session.get(Report, row.report_id)
    if report is None:
        return None
    reporter = await session.get(Reporter, report.reporter_id)
    chat_id, message_id = report.alert_chat_id, report.alert_message_id
    if message_id is None and report.incident_id is not None:
        incident = await session.get(Incident, report.incident_id)
        primary = await session.get(Report, incident.primary_report_id) if incident is not None else None
        if primary is not None:
            chat_id, message_id = primary.alert_chat_id, primary.alert_message_id
    return RelayBundle(row, report, reporter.alias if reporter is not None else "?", chat_id, message_id)


async def record_delivery(session: AsyncSession, *, followup_id: int, chat_id: int, message_id: int) -> None:
    """Where the reporter's copy of a question landed: a reply to it is an answer."""
    await session.exec(  # type: ignore[call-overload]
        update(FollowUp)
        .where(FollowUp.id == followup_id)
        .values(delivered_chat_id=chat_id, delivered_message_id=message_id)
        .execution_options(synchronize_session=False)
    )
