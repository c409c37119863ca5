"""Screening's queries: the context of a candidate report, decisions, incidents, restrictions.

Nearby reports use a bounding-box prefilter in SQL (indexed created_at, then lat/lon ranges) and an
exact haversine on the few rows left, so the same query runs on SQLite and PostgreSQL without a
spatial extension.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.screening.facts import (
    IncidentFacts,
    OtherReport,
    PhotoPeer,
    ReporterFacts,
    TextPeer,
)
from bot.screening.text import normalize
from storage.models import Incident, Photo, Report, Reporter, ReporterEvent, ReportEvent, ReportStatus

_M_PER_DEG_LAT = 111_320.0


class ReporterAction:
    RATE_LIMITED = "rate_limited"
    RESTRICTED = "restricted"
    UNRESTRICTED = "unrestricted"
    PHONE_VERIFIED = "phone_verified"


def _haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    from bot.geo import haversine_m

    return haversine_m(lat1, lon1, lat2, lon2)


def _bbox(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    dlat = radius_m / _M_PER_DEG_LAT
    dlon = radius_m / (_M_PER_DEG_LAT * max(0.01, math.cos(math.radians(lat))))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


# --- context ---


async def reporter_facts(
    session: AsyncSession, *, reporter_id: int, now: datetime, exclude_report_id: int | None = None
) -> ReporterFacts:
    reporter = await session.get(Reporter, reporter_id)
    if reporter is None:
        raise LookupError(f"no reporter {reporter_id}")
    hour_ago, day_ago = now - timedelta(hours=1), now - timedelta(days=1)
    others = Report.reporter_id == reporter_id
    if exclude_report_id is not None:
        others = and_(others, Report.id != exclude_report_id)
    row = (
        await session.exec(
            select(
                func.sum(case((Report.created_at >= hour_ago, 1), else_=0)),
                func.sum(case((Report.created_at >= day_ago, 1), else_=0)),
                func.sum(case((Report.status == ReportStatus.RESOLVED, 1), else_=0)),
                func.sum(case((Report.status == ReportStatus.FALSE_REPORT, 1), else_=0)),
            ).where(others)
        )
    ).one()
    strikes = (
        await session.exec(
            select(func.count())
            .select_from(ReporterEvent)
            .where(
                ReporterEvent.reporter_id == reporter_id,
                ReporterEvent.action == ReporterAction.RATE_LIMITED,
                ReporterEvent.at >= day_ago,
            )
        )
    ).one()
    hour, day, confirmed, false = (int(v or 0) for v in row)
    return ReporterFacts(
        reporter_id=reporter_id,
        created_at=reporter.created_at,
        phone_verified=reporter.phone_verified,
        restricted_until=reporter.restricted_until,
        restriction_level=reporter.restriction_level,
        reports_last_hour=hour,
        reports_last_day=day,
        confirmed=confirmed,
        false_reports=false,
        rate_strikes=int(strikes),
    )


async def nearby_reports(
    session: AsyncSession,
    *,
    lat: float,
    lon: float,
    radius_m: float,
    since: datetime,
    now: datetime,
    new_account_days: float,
    exclude_report_id: int | None = None,
) -> list[OtherReport]:
    """Reports within `radius_m` created since `since`, with their reporters' newness and photos."""
    lat0, lat1, lon0, lon1 = _bbox(lat, lon, radius_m)
    query = (
        select(Report, Reporter.created_at, Reporter.phone_verified)
        .join(Reporter, Reporter.id == Report.reporter_id)
        .where(
            Report.created_at >= since,
            col(Report.lat).between(lat0, lat1),
            col(Report.lon).between(lon0, lon1),
        )
    )
    if exclude_report_id is not None:
        query = query.where(Report.id != exclude_report_id)
    rows = []
    for report, created_at, verified in (await session.exec(query)).all():
        d = _haversine_m(lat, lon, report.lat, report.lon)
        if d <= radius_m:
            rows.append((report, created_at, verified, d))
    if not rows:
        return []
    ids = [r.id for r, *_ in rows]
    reporter_ids = {r.reporter_id for r, *_ in rows}
    photos: dict[int, list[Photo]] = defaultdict(list)
    for p in (await session.exec(select(Photo).where(col(Photo.report_id).in_(ids)))).all():
        photos[p.report_id].append(p)
    vouched = set(
        (
            await session.exec(
                select(Report.reporter_id)
                .where(col(Report.reporter_id).in_(reporter_ids), Report.status == ReportStatus.RESOLVED)
                .distinct()
            )
        ).all()
    )
    young_since = now - timedelta(days=new_account_days)
    return [
        OtherReport(
            report_id=r.id,
            reporter_id=r.reporter_id,
            created_at=r.created_at,
            category=r.category,
            description=r.description,
            status=r.status,
            decision=r.decision,
            distance_m=d,
            lat=r.lat,
            lon=r.lon,
            location_source=r.location_source,
            reporter_new=created_at > young_since and not verified and r.reporter_id not in vouched,
            photo_uids=tuple(p.file_unique_id for p in photos[r.id]),
            phashes=tuple(p.phash for p in photos[r.id] if p.phash),
            incident_id=r.incident_id,
            number=r.number,
        )
        for r, created_at, verified, d in rows
    ]


async def recent_texts(
    session: AsyncSession, *, since: datetime, exclude_report_id: int | None = None, limit: int = 5000
) -> list[TextPeer]:
    query = (
        select(Report.id, Report.reporter_id, Report.description, Report.number)
        .where(Report.created_at >= since)
        .order_by(col(Report.created_at).desc())
        .limit(limit)
    )
    if exclude_report_id is not None:
        query = query.where(Report.id != exclude_report_id)
    return [
        TextPeer(report_id=i, reporter_id=rid, text=normalize(desc or ""), number=num)
        for i, rid, desc, num in (await session.exec(query)).all()
    ]


async def photo_peers(
    session: AsyncSession,
    *,
    file_unique_ids: Iterable[str],
    since: datetime,
    with_hashes: bool,
    exclude_report_id: int | None = None,
) -> list[PhotoPeer]:
    """Photos of other reports: the same file at any time, and (if `with_hashes`) every hashed photo
    since `since`, for the Hamming comparison done in Python."""
    uids = list(file_unique_ids)
    match = col(Photo.file_unique_id).in_(uids) if uids else None
    if with_hashes:
        recent = and_(col(Photo.phash).is_not(None), Report.created_at >= since)
        match = recent if match is None else or_(match, recent)
    if match is None:
        return []
    query = (
        select(Photo.report_id, Report.reporter_id, Photo.file_unique_id, Photo.phash, Report.lat, Report.lon, Report.number)
        .join(Report, Report.id == Photo.report_id)
        .where(match)
    )
    if exclude_report_id is not None:
        query = query.where(Photo.report_id != exclude_report_id)
    return [
        PhotoPeer(report_id=a, reporter_id=b, file_unique_id=c, phash=d, lat=e, lon=f, number=g)
        for a, b, c, d, e, f, g in (await session.exec(query)).all()
    ]


async def open_incidents_near(
    session: AsyncSession, *, lat: float, lon: float, radius_m: float, since: datetime
) -> list[IncidentFacts]:
    lat0, lat1, lon0, lon1 = _bbox(lat, lon, radius_m)
    query = (
        select(Incident, Report.status)
        .join(Report, Report.id == Incident.primary_report_id)
        .where(
            Incident.last_report_at >= since,
            col(Incident.lat).between(lat0, lat1),
            col(Incident.lon).between(lon0, lon1),
        )
    )
    return [
        IncidentFacts(
            incident_id=inc.id,
            primary_report_id=inc.primary_report_id,
            category=inc.category,
            lat=inc.lat,
            lon=inc.lon,
            last_report_at=inc.last_report_at,
            report_count=inc.report_count,
            open=status in ReportStatus.OPEN,
        )
        for inc, status in (await session.exec(query)).all()
    ]


# --- decisions and incidents ---


async def record_decision(
    session: AsyncSession, *, report: Report, outcome: str, score: float, reasons: list[dict[str, Any]]
) -> Report:
    """Store the decision on the report; held and refused reports leave the officers' statuses."""
    report.decision = outcome
    report.trust_score = score
    report.reasons = reasons
    if outcome == "review":
        report.status = ReportStatus.HELD
    elif outcome == "reject":
        report.status = ReportStatus.REJECTED
    session.add(report)
    await session.flush()
    return report


async def open_incident(session: AsyncSession, *, report: Report, now: datetime) -> Incident:
    incident = Incident(
        primary_report_id=report.id,
        category=report.category,
        lat=report.lat,
        lon=report.lon,
        report_count=1,
        opened_at=now,
        last_report_at=now,
    )
    session.add(incident)
    await session.flush()
    report.incident_id = incident.id
    session.add(report)
    await session.flush()
    return incident


async def join_incident(session: AsyncSession, *, report: Report, incident_id: int, now: datetime) -> Incident:
    """Add the report to the incident; the count is raised in SQL so two joins never lose one."""
    await session.exec(
        update(Incident)
        .where(Incident.id == incident_id)
        .values(report_count=Incident.report_count + 1, last_report_at=now)
    )
    report.incident_id = incident_id
    session.add(report)
    await session.flush()
    incident = await session.get(Incident, incident_id)
    await session.refresh(incident)
    return incident


async def incident_reports(session: AsyncSession, *, incident_id: int) -> list[Report]:
    """The incident's reports that reached officers, oldest first."""
    query = (
        select(Report)
        .where(Report.incident_id == incident_id, col(Report.status).not_in(ReportStatus.SCREENED_OUT))
        .order_by(Report.created_at, Report.id)
    )
    return list((await session.exec(query)).all())


# --- restrictions and the reporter's audit ---


async def add_reporter_event(
    session: AsyncSession,
    *,
    reporter_id: int,
    action: str,
    now: datetime,
    actor_id: int | None = None,
    actor_name: str | None = None,
    report_id: int | None = None,
    level: int | None = None,
    until: datetime | None = None,
    note: str | None = None,
) -> ReporterEvent:
    event = ReporterEvent(
        reporter_id=reporter_id,
        at=now,
        action=action,
        actor_id=actor_id,
        actor_name=actor_name,
        report_id=report_id,
        level=level,
        until=until,
        note=note,
    )
    session.add(event)
    await session.flush()
    return event


async def restrict_reporter(
    session: AsyncSession,
    *,
    reporter_id: int,
    now: datetime,
    ladder_days: list[float],
    actor_id: int | None = None,
    actor_name: str | None = None,
    report_id: int | None = None,
    note: str | None = None,
) -> Reporter:
    """Restrict for the next step of the ladder (24 h → 7 days → 30 days, the last repeating)."""
    reporter = await session.get(Reporter, reporter_id)
    if reporter is None:
        raise LookupError(f"no reporter {reporter_id}")
    level = reporter.restriction_level + 1
    days = ladder_days[min(level, len(ladder_days)) - 1]
    reporter.restriction_level = level
    reporter.restricted_until = now + timedelta(days=days)
    session.add(reporter)
    await add_reporter_event(
        session,
        reporter_id=reporter_id,
        action=ReporterAction.RESTRICTED,
        now=now,
        actor_id=actor_id,
        actor_name=actor_name,
        report_id=report_id,
        level=level,
        until=reporter.restricted_until,
        note=note,
    )
    return reporter


async def unrestrict_reporter(
    session: AsyncSession,
    *,
    reporter_id: int,
    now: datetime,
    actor_id: int | None = None,
    actor_name: str | None = None,
    note: str | None = None,
) -> Reporter | None:
    """Lift a restriction in force; None if there was none. The level stays, so the next abuse
    escalates from where it was."""
    reporter = await session.get(Reporter, reporter_id)
    if reporter is None or reporter.restricted_until is None or reporter.restricted_until <= now:
        return None
    reporter.restricted_until = None
    session.add(reporter)
    await add_reporter_event(
        session,
        reporter_id=reporter_id,
        action=ReporterAction.UNRESTRICTED,
        now=now,
        actor_id=actor_id,
        actor_name=actor_name,
        level=reporter.restriction_level,
        note=note,
    )
    return reporter


async def verify_phone(session: AsyncSession, *, reporter_id: int, phone_hash: str, now: datetime) -> Reporter:
    reporter = await session.get(Reporter, reporter_id)
    if reporter is None:
        raise LookupError(f"no reporter {reporter_id}")
    first = not reporter.phone_verified
    reporter.phone_hash = phone_hash
    reporter.phone_verified = True
    session.add(reporter)
    if first:
        await add_reporter_event(session, reporter_id=reporter_id, action=ReporterAction.PHONE_VERIFIED, now=now)
    return reporter


async def reporter_by_ref(session: AsyncSession, *, ref: str) -> tuple[Reporter, Report | None] | None:
    """The reporter named by a report number ("TNG-2026-000012") or an alias ("P-7F3A2C")."""
    ref = ref.strip().upper()
    report = (await session.exec(select(Report).where(Report.number == ref))).first()
    if report is not None:
        reporter = await session.get(Reporter, report.reporter_id)
        return (reporter, report) if reporter else None
    reporter = (await session.exec(select(Reporter).where(Reporter.alias == ref))).first()
    return (reporter, None) if reporter else None


# --- the review queue ---


async def held_reports(session: AsyncSession, *, limit: int) -> tuple[list[Report], int]:
    """The oldest held reports, and how many are held in all."""
    total = (
        await session.exec(select(func.count()).select_from(Report).where(Report.status == ReportStatus.HELD))
    ).one()
    rows = (
        await session.exec(
            select(Report).where(Report.status == ReportStatus.HELD).order_by(Report.created_at, Report.id).limit(limit)
        )
    ).all()
    return list(rows), int(total)


async def leave_hold(
    session: AsyncSession,
    *,
    report_id: int,
    to_status: str,
    now: datetime,
    actor_id: int | None,
    actor_name: str | None,
    note: str | None = None,
) -> Report | None:
    """HELD → `to_status` (new: forwarded to the group; rejected), once: a second press, or two
    supervisors at once, find it no longer held and get None."""
    result = await session.exec(
        update(Report)
        .where(Report.id == report_id, Report.status == ReportStatus.HELD)
        .values(status=to_status)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    report = await session.get(Report, report_id)
    await session.refresh(report)
    action = "forwarded" if to_status == ReportStatus.NEW else "rejected"
    session.add(
        ReportEvent(
            report_id=report_id,
            at=now,
            action=action,
            actor_id=actor_id,
            actor_name=actor_name,
            from_status=ReportStatus.HELD,
            to_status=to_status,
            note=note,
        )
    )
    await session.flush()
    return report


# --- replay (sipoa screening evaluate) ---


async def replay_reporter(
    session: AsyncSession, *, telegram_id: int, alias: str, username: str | None, language: str, now: datetime
) -> Reporter:
    """The replay's reporter for a Telegram id, created on first sight (like /start would)."""
    reporter = (await session.exec(select(Reporter).where(Reporter.telegram_id == telegram_id))).first()
    if reporter is None:
        reporter = Reporter(telegram_id=telegram_id, alias=alias, username=username, language=language, created_at=now)
        session.add(reporter)
        await session.flush()
    return reporter


async def replay_report(session: AsyncSession, *, report: Report, photos: list[Photo]) -> Report:
    """Insert a replayed report and its photos as create_from_draft leaves them before screening."""
    session.add(report)
    await session.flush()
    for p in photos:
        p.report_id = report.id
        session.add(p)
    await session.flush()
    return report


async def replay_outcome(session: AsyncSession, *, report_id: int, outcome: str, now: datetime) -> Report | None:
    """An officer's (or, for a held report, a supervisor's) verdict: confirmed → resolved,
    false_report → false report. A refused report has none."""
    report = await session.get(Report, report_id)
    if report is None or report.status == ReportStatus.REJECTED:
        return None
    report.status = ReportStatus.RESOLVED if outcome == "confirmed" else ReportStatus.FALSE_REPORT
    report.closed_at = now
    session.add(report)
    await session.flush()
    return report
