"""The one screening entry point, used by the live submit (storage/reports.create_from_draft) and by
`sipoa screening evaluate`: gather the context in the caller's transaction, decide, store.

It queues nothing: the caller turns the result into the alert (or the incident's refresh), so the
same path serves the replay, which has no Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import ScreeningSection
from bot.screening.decision import Decision, decide
from bot.screening.facts import Candidate, Context, Outcome, PhotoFacts
from bot.screening.incidents import find_incident
from storage import screening as store
from storage.models import Photo, Report

if TYPE_CHECKING:
    from bot.geo import Jurisdiction


@dataclass(frozen=True)
class ScreeningResult:
    decision: Decision
    # The incident the report belongs to (accepted, located reports only).
    incident_id: int | None = None
    # True when it joined an open incident: refresh the primary report's alert instead of a new one.
    joined: bool = False
    primary_report_id: int | None = None
    report_count: int = 1
    # Set when the reporter is restricted (now, or already before this report).
    restricted_until: datetime | None = None

    @property
    def outcome(self) -> str:
        return self.decision.outcome


def candidate_from(report: Report, photos: list[Photo], *, in_jurisdiction: bool | None) -> Candidate:
    started = report.draft_started_at
    seconds = (report.created_at - started).total_seconds() if started else None
    return Candidate(
        report_id=report.id,
        reporter_id=report.reporter_id,
        channel=report.channel,
        category=report.category,
        created_at=report.created_at,
        description=report.description or "",
        lat=report.lat,
        lon=report.lon,
        accuracy_m=report.accuracy_m,
        location_source=report.location_source,
        in_jurisdiction=in_jurisdiction,
        address_text=report.address_text,
        photos=tuple(
            PhotoFacts(p.file_unique_id, p.phash, p.forwarded) for p in sorted(photos, key=lambda p: p.position)
        ),
        seconds_to_complete=seconds,
    )


def copy_lengths(length: int, ratio: float) -> tuple[int, int]:
    """Lengths a text may have and still be `ratio`% similar to one of `length` characters: the
    rapidfuzz ratio is at most 2·shorter/(shorter + longer). A fifth of margin covers the
    punctuation and spaces that normalizing removes."""
    r = ratio / 100
    factor = r / (2 - r) * 0.8
    return int(length * factor), int(length / factor) + 1


async def gather(session: AsyncSession, *, c: Candidate, s: ScreeningSection, now: datetime) -> Context:
    reporter = await store.reporter_facts(session, reporter_id=c.reporter_id, now=now, exclude_report_id=c.report_id)
    nearby, incidents = (), ()
    if c.located:
        radius = max(s.burst_radius_m, s.incident_radius_m, s.repeat_target_radius_m)
        window = max(
            timedelta(hours=s.burst_window_hours),
            timedelta(hours=s.incident_window_hours),
            timedelta(days=s.repeat_target_window_days),
        )
        nearby = tuple(
            await store.nearby_reports(
                session,
                lat=c.lat,
                lon=c.lon,
                radius_m=radius,
                since=c.created_at - window,
                now=now,
                new_account_days=s.new_account_days,
                exclude_report_id=c.report_id,
            )
        )
        # An incident near enough to join has its first report among `nearby`.
        incidents = tuple(
            await store.incidents_by_id(session, incident_ids=[o.incident_id for o in nearby if o.incident_id])
        )
    texts = await store.recent_texts(
        session,
        since=c.created_at - timedelta(days=s.duplicate_window_days),
        exclude_report_id=c.report_id,
        lengths=copy_lengths(len(c.description), s.near_duplicate_ratio),
    )
    photos = ()
    if c.photos:
        photos = tuple(
            await store.photo_peers(
                session,
                file_unique_ids=[p.file_unique_id for p in c.photos],
                since=c.created_at - timedelta(days=s.photo_window_days),
                with_hashes=any(p.phash for p in c.photos),
                exclude_report_id=c.report_id,
            )
        )
    return Context(reporter=reporter, now=now, nearby=nearby, texts=tuple(texts), photos=photos, incidents=incidents)


async def screen_report(
    session: AsyncSession,
    *,
    report: Report,
    settings: ScreeningSection,
    now: datetime,
    jurisdiction: "Jurisdiction | None" = None,
    photos: list[Photo] | None = None,
) -> ScreeningResult:
    """Screen a just-created report (flushed, photos attached) inside the caller's transaction.
    `photos` saves a query when the caller holds them."""
    if photos is None:
        photos = list((await session.exec(select(Photo).where(Photo.report_id == report.id))).all())
    inside = None
    if jurisdiction is not None and report.lat is not None and report.lon is not None:
        inside = jurisdiction.contains(report.lat, report.lon)
    c = candidate_from(report, photos, in_jurisdiction=inside)
    ctx = await gather(session, c=c, s=settings, now=now)
    decision = decide(c, ctx, settings)
    # Written by the next flush, together with the incident (one round trip fewer).
    store.set_decision(report, outcome=decision.outcome, score=decision.score, reasons=decision.reason_dicts())
    session.add(report)
    restricted_until = ctx.reporter.restricted_until if decision.has("restricted") else None
    if decision.rate_limited and not decision.has("restricted"):
        await store.add_reporter_event(
            session, reporter_id=c.reporter_id, action=store.ReporterAction.RATE_LIMITED, now=now, report_id=report.id
        )
        if decision.restrict:
            reporter = await store.restrict_reporter(
                session,
                reporter_id=c.reporter_id,
                now=now,
                ladder_days=settings.restriction_days,
                report_id=report.id,
                note="rate",
            )
            restricted_until = reporter.restricted_until
    if decision.outcome != Outcome.ACCEPT:
        await session.flush()
        return ScreeningResult(decision, restricted_until=restricted_until)
    return await place_in_incident(
        session, report=report, decision=decision, incidents=ctx.incidents, c=c, s=settings, now=now
    )


async def place_in_incident(
    session: AsyncSession,
    *,
    report: Report,
    decision: Decision,
    incidents,
    c: Candidate,
    s: ScreeningSection,
    now: datetime,
) -> ScreeningResult:
    """Join the open incident nearby, or open one (located reports only)."""
    if not c.located:
        await session.flush()
        return ScreeningResult(decision)
    # Another office's incident across a border is not this one's: its message is in another group.
    found = find_incident(c, [i for i in incidents if i.office in (None, report.prefix)], s)
    if found is not None:
        primary, count = await store.join_incident(session, report=report, incident_id=found.incident_id, now=now)
        return ScreeningResult(
            decision, incident_id=found.incident_id, joined=True, primary_report_id=primary, report_count=count
        )
    incident = await store.open_incident(session, report=report, now=now)
    return ScreeningResult(decision, incident_id=incident.id, primary_report_id=report.id, report_count=1)


async def release_to_group(
    session: AsyncSession, *, report: Report, settings: ScreeningSection, now: datetime
) -> ScreeningResult:
    """A held report a supervisor forwarded (already moved HELD → NEW): it joins an open incident
    nearby like an accepted one would, or opens its own."""
    photos = list((await session.exec(select(Photo).where(Photo.report_id == report.id))).all())
    c = candidate_from(report, photos, in_jurisdiction=None)
    incidents = ()
    if c.located:
        incidents = tuple(
            await store.open_incidents_near(
                session,
                lat=c.lat,
                lon=c.lon,
                radius_m=settings.incident_radius_m,
                since=now - timedelta(hours=settings.incident_window_hours),
            )
        )
    c = replace(c, created_at=now)
    decision = Decision(Outcome.ACCEPT, report.trust_score or 0.0, ())
    return await place_in_incident(
        session, report=report, decision=decision, incidents=incidents, c=c, s=settings, now=now
    )


def alert_dedupe_key(report_id: int) -> str:
    return f"alert:{report_id}"


async def queue_alert(
    session: AsyncSession, *, report: Report, result: ScreeningResult, group_chat_id: int, now: datetime
) -> None:
    """What an accepted report sends to the group: its own alert, or, when it joined an open
    incident, an edit of the incident's message (which then counts it). Held and refused reports
    send nothing."""
    from storage.outbox import OutboxKind, enqueue

    if result.outcome != Outcome.ACCEPT:
        return
    if result.joined and result.primary_report_id is not None:
        primary = await session.get(Report, result.primary_report_id)
        chat_id = (primary.alert_chat_id if primary is not None else None) or group_chat_id
        await enqueue(
            session,
            kind=OutboxKind.ALERT_REFRESH,
            chat_id=chat_id,
            now=now,
            report_id=result.primary_report_id,
            dedupe_key=f"refresh:{result.primary_report_id}:incident:{result.report_count}",
        )
        return
    await enqueue(
        session,
        kind=OutboxKind.ALERT,
        chat_id=group_chat_id,
        now=now,
        report_id=report.id,
        dedupe_key=alert_dedupe_key(report.id),
    )


async def forward_held(
    session: AsyncSession,
    *,
    report_id: int,
    settings: ScreeningSection,
    now: datetime,
    group_chat_id: int,
    actor_id: int | None,
    actor_name: str | None,
) -> ScreeningResult | None:
    """A supervisor sends a held report to the group: once (a second press, or two supervisors at
    once, get None), joining an open incident nearby like any accepted report."""
    from storage.models import ReportStatus

    report = await store.leave_hold(
        session, report_id=report_id, to_status=ReportStatus.NEW, now=now, actor_id=actor_id, actor_name=actor_name
    )
    if report is None:
        return None
    result = await release_to_group(session, report=report, settings=settings, now=now)
    await queue_alert(session, report=report, result=result, group_chat_id=group_chat_id, now=now)
    return result
