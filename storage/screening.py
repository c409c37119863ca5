"""Screening's queries: the context of a candidate report, decisions, incidents, restrictions.

Nearby reports use a bounding-box prefilter in SQL (indexed created_at, then lat/lon ranges) and an
exact haversine on the few rows left, so the same query runs on SQLite and PostgreSQL without a
spatial extension.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, update
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


# The hot queries are built once with bound parameters: building a statement costs more than
# running it on an indexed table, and screening runs on every submit.
_NONE = -1  # an id no row has, for "exclude nothing"

_STRIKES = (
    select(func.count())
    .select_from(ReporterEvent)
    .where(
        ReporterEvent.reporter_id == bindparam("reporter_id"),
        ReporterEvent.action == ReporterAction.RATE_LIMITED,
        ReporterEvent.at >= bindparam("day_ago", type_=Reporter.__table__.c.created_at.type),
    )
    .scalar_subquery()
)
_REPORTER_COUNTS = select(
    func.sum(case((Report.created_at >= bindparam("hour_ago", type_=Report.__table__.c.created_at.type), 1), else_=0)),
    func.sum(case((Report.created_at >= bindparam("day_ago", type_=Report.__table__.c.created_at.type), 1), else_=0)),
    func.sum(case((Report.status == ReportStatus.RESOLVED, 1), else_=0)),
    func.sum(case((Report.status == ReportStatus.FALSE_REPORT, 1), else_=0)),
    _STRIKES,
).where(Report.reporter_id == bindparam("reporter_id"), Report.id != bindparam("exclude"))

_VOUCHED = (
    select(Report.id)
    .where(Report.reporter_id == Reporter.id, Report.status == ReportStatus.RESOLVED)
    .correlate(Reporter)
    .exists()
)
_NEARBY = (
    select(
        Report.id,
        Report.reporter_id,
        Report.created_at,
        Report.category,
        Report.description,
        Report.status,
        Report.decision,
        Report.lat,
        Report.lon,
        Report.location_source,
        Report.photo_count,
        Report.incident_id,
        Report.number,
        Reporter.created_at,
        Reporter.phone_verified,
        _VOUCHED,
    )
    .join(Reporter, Reporter.id == Report.reporter_id)
    .where(
        Report.created_at >= bindparam("since", type_=Report.__table__.c.created_at.type),
        col(Report.lat).between(bindparam("lat0"), bindparam("lat1")),
        col(Report.lon).between(bindparam("lon0"), bindparam("lon1")),
        Report.id != bindparam("exclude"),
    )
)
_PHOTOS_OF = select(Photo.report_id, Photo.file_unique_id, Photo.phash, Photo.forwarded).where(
    col(Photo.report_id).in_(bindparam("ids", expanding=True))
)
_TEXTS = (
    select(Report.id, Report.reporter_id, Report.description, Report.number)
    .where(
        Report.created_at >= bindparam("since", type_=Report.__table__.c.created_at.type),
        Report.id != bindparam("exclude"),
        func.length(Report.description).between(bindparam("shortest"), bindparam("longest")),
    )
    .order_by(col(Report.created_at).desc())
    .limit(bindparam("limit"))
)
_PHOTO_COLUMNS = (
    Photo.report_id, Report.reporter_id, Photo.file_unique_id, Photo.phash, Report.lat, Report.lon, Report.number
)
_SAME_FILES = (
    select(*_PHOTO_COLUMNS)
    .join(Report, Report.id == Photo.report_id)
    .where(col(Photo.file_unique_id).in_(bindparam("uids", expanding=True)), Photo.report_id != bindparam("exclude"))
)
_SAME_FILES_OR_HASHED = (
    select(*_PHOTO_COLUMNS)
    .join(Report, Report.id == Photo.report_id)
    .where(
        or_(
            col(Photo.file_unique_id).in_(bindparam("uids", expanding=True)),
            and_(
                col(Photo.phash).is_not(None),
                Report.created_at >= bindparam("since", type_=Report.__table__.c.created_at.type),
            ),
        ),
        Photo.report_id != bindparam("exclude"),
    )
)


async def reporter_facts(
    session: AsyncSession, *, reporter_id: int, now: datetime, exclude_report_id: int | None = None
) -> ReporterFacts:
    """Counts and outcomes of the reporter's other reports, and rate strikes, in one query."""
    reporter = await session.get(Reporter, reporter_id)
    if reporter is None:
        raise LookupError(f"no reporter {reporter_id}")
    params = {
        "reporter_id": reporter_id,
        "hour_ago": now - timedelta(hours=1),
        "day_ago": now - timedelta(days=1),
        "exclude": _NONE if exclude_report_id is None else exclude_report_id,
    }
    row = (await session.exec(_REPORTER_COUNTS, params=params)).one()
    hour, day, confirmed, false, strike_count = (int(v or 0) for v in row)
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
        rate_strikes=strike_count,
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
    params = {
        "since": since,
        "lat0": lat0,
        "lat1": lat1,
        "lon0": lon0,
        "lon1": lon1,
        "exclude": _NONE if exclude_report_id is None else exclude_report_id,
    }
    rows = []
    for row in (await session.exec(_NEARBY, params=params)).all():
        d = _haversine_m(lat, lon, row[7], row[8])
        if d <= radius_m:
            rows.append((row, d))
    if not rows:
        return []
    photos: dict[int, list[tuple[str, str | None, bool]]] = defaultdict(list)
    with_photos = [row[0] for row, _d in rows if row[10]]
    if with_photos:
        for rid, uid, phash, forwarded in (await session.exec(_PHOTOS_OF, params={"ids": with_photos})).all():
            photos[rid].append((uid, phash, forwarded))
    young_since = now - timedelta(days=new_account_days)
    out = []
    for row, d in rows:
        (rid, reporter_id, created, category, desc, status, decision, rlat, rlon, source, _count, incident_id,
         number, reporter_created, verified, vouched) = row
        mine = photos[rid]
        out.append(
            OtherReport(
                report_id=rid,
                reporter_id=reporter_id,
                created_at=created,
                category=category,
                description=desc,
                status=status,
                decision=decision,
                distance_m=d,
                lat=rlat,
                lon=rlon,
                location_source=source,
                reporter_new=reporter_created > young_since and not verified and not vouched,
                photo_uids=tuple(uid for uid, _h, _f in mine),
                phashes=tuple(h for _u, h, _f in mine if h),
                own_photos=sum(1 for _u, _h, fwd in mine if not fwd),
                incident_id=incident_id,
                number=number,
            )
        )
    return out


async def recent_texts(
    session: AsyncSession,
    *,
    since: datetime,
    exclude_report_id: int | None = None,
    limit: int = 5000,
    lengths: tuple[int, int] = (0, 10**9),
) -> list[TextPeer]:
    """The newest texts since `since` (at most `limit`) whose length is within `lengths`,
    normalized for comparison."""
    shortest, longest = lengths
    params = {
        "since": since,
        "exclude": _NONE if exclude_report_id is None else exclude_report_id,
        "limit": limit,
        "shortest": shortest,
        "longest": longest,
    }
    return [
        TextPeer(report_id=i, reporter_id=rid, text=normalize(desc or ""), number=num)
        for i, rid, desc, num in (await session.exec(_TEXTS, params=params)).all()
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
    if not uids and not with_hashes:
        return []
    params = {"uids": uids, "exclude": _NONE if exclude_report_id is None else exclude_report_id}
    query = _SAME_FILES
    if with_hashes:
        query, params["since"] = _SAME_FILES_OR_HASHED, since
    return [
        PhotoPeer(report_id=a, reporter_id=b, file_unique_id=c, phash=d, lat=e, lon=f, number=g)
        for a, b, c, d, e, f, g in (await session.exec(query, params=params)).all()
    ]


async def incidents_by_id(session: AsyncSession, *, incident_ids: Iterable[int]) -> list[IncidentFacts]:
    """The incidents of the nearby reports (an incident's first report is always among them when it
    is near enough to join), with whether their group message is still open."""
    ids = sorted(set(incident_ids))
    if not ids:
        return []
    query = (
        select(Incident, Report.status, Report.prefix)
        .join(Report, Report.id == Incident.primary_report_id)
        .where(col(Incident.id).in_(ids))
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
            office=prefix,
        )
        for inc, status, prefix in (await session.exec(query)).all()
    ]


async def open_incidents_near(
    session: AsyncSession, *, lat: float, lon: float, radius_m: float, since: datetime
) -> list[IncidentFacts]:
    lat0, lat1, lon0, lon1 = _bbox(lat, lon, radius_m)
    ids = (
        await session.exec(
            select(Incident.id).where(
                Incident.last_report_at >= since,
                col(Incident.lat).between(lat0, lat1),
                col(Incident.lon).between(lon0, lon1),
            )
        )
    ).all()
    return await incidents_by_id(session, incident_ids=ids)


# --- decisions and incidents ---


def set_decision(report: Report, *, outcome: str, score: float, reasons: list[dict[str, Any]]) -> Report:
    """Put the decision on the report (written with the next flush); held and refused reports
    leave the officers' statuses."""
    report.decision = outcome
    report.trust_score = score
    report.reasons = reasons
    if outcome == "review":
        report.status = ReportStatus.HELD
    elif outcome == "reject":
        report.status = ReportStatus.REJECTED
    return report


async def record_decision(
    session: AsyncSession, *, report: Report, outcome: str, score: float, reasons: list[dict[str, Any]]
) -> Report:
    set_decision(report, outcome=outcome, score=score, reasons=reasons)
    session.add(report)
    await session.flush()
    return report


async def open_incident(session: AsyncSession, *, report: Report, now: datetime) -> Incident:
    """A new incident around `report`, numbered as the report (one INSERT beside the report's
    UPDATE in the same flush)."""
    incident = Incident(
        id=report.id,
        primary_report_id=report.id,
        category=report.category,
        lat=report.lat,
        lon=report.lon,
        report_count=1,
        opened_at=now,
        last_report_at=now,
    )
    session.add(incident)
    report.incident_id = incident.id
    session.add(report)
    await session.flush()
    return incident


async def join_incident(
    session: AsyncSession, *, report: Report, incident_id: int, now: datetime
) -> tuple[int, int]:
    """Add the report to the incident: (primary report id, report count now). The count is raised
    in SQL, so two joins at once never lose one."""
    primary, count = (
        await session.exec(
            update(Incident)
            .where(Incident.id == incident_id)
            .values(report_count=Incident.report_count + 1, last_report_at=now)
            .returning(Incident.primary_report_id, Incident.report_count)
        )
    ).one()
    report.incident_id = incident_id
    session.add(report)
    await session.flush()
    return primary, count


async def incident_reports(session: AsyncSession, *, incident_id: int) -> list[Report]:
    """The incident's reports that reached officers, oldest first."""
    query = (
        select(Report)
        .where(Report.incident_id == incident_id, col(Report.status).not_in(ReportStatus.SCREENED_OUT))
        .order_by(Report.created_at, Report.id)
    )
    return list((await session.exec(query)).all())


@dataclass(frozen=True)
class IncidentSummary:
    """What the incident's group message adds: how many reports, and the newest of the others."""

    count: int
    newest: Report | None


async def incident_summary(session: AsyncSession, *, report_id: int) -> IncidentSummary | None:
    """For the alert of an incident's first report (the incident bears its id); None when the
    report opened no incident or is still alone in it."""
    incident = await session.get(Incident, report_id)
    if incident is None or incident.report_count <= 1:
        return None
    newest = (
        await session.exec(
            select(Report)
            .where(
                Report.incident_id == incident.id,
                Report.id != report_id,
                col(Report.status).not_in(ReportStatus.SCREENED_OUT),
            )
            .order_by(col(Report.created_at).desc(), col(Report.id).desc())
            .limit(1)
        )
    ).first()
    return IncidentSummary(count=incident.report_count, newest=newest)


async def photos_to_hash(
    session: AsyncSession, *, draft_id: int, telegram_id: int, max_bytes: int
) -> list[tuple[int, str]]:
    """(photo id, file id) of the draft's photos still without a perceptual hash, when the draft is
    this Telegram user's (a forged button never makes the bot download someone else's photos)."""
    from storage.models import Draft

    query = (
        select(Photo.id, Photo.file_id)
        .join(Draft, Draft.id == Photo.draft_id)
        .join(Reporter, Reporter.id == Draft.reporter_id)
        .where(
            Photo.draft_id == draft_id,
            Reporter.telegram_id == telegram_id,
            col(Photo.phash).is_(None),
            or_(col(Photo.file_size).is_(None), col(Photo.file_size) <= max_bytes),
        )
        .order_by(Photo.position, Photo.id)
    )
    return [(pid, fid) for pid, fid in (await session.exec(query)).all()]


async def set_photo_hashes(session: AsyncSession, *, hashes: dict[int, str]) -> None:
    for photo_id, phash in hashes.items():
        await session.exec(
            update(Photo).where(Photo.id == photo_id).values(phash=phash).execution_options(synchronize_session=False)
        )


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


async def report_by_id(session: AsyncSession, *, report_id: int) -> Report | None:
    return await session.get(Report, report_id)


async def held_reports(
    session: AsyncSession, *, limit: int, offices: frozenset[str] | None = None
) -> tuple[list[Report], int]:
    """The oldest held reports, and how many are held in all; `offices`: only those offices' (report
    prefixes), None: every office's."""
    where = [Report.status == ReportStatus.HELD]
    if offices is not None:
        where.append(col(Report.prefix).in_(sorted(offices)))
    total = (await session.exec(select(func.count()).select_from(Report).where(*where))).one()
    rows = (
        await session.exec(select(Report).where(*where).order_by(Report.created_at, Report.id).limit(limit))
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
