"""Officers on duty (/duty on|off), kept in the database so that a restart keeps the roster."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import OfficerDuty


async def set_duty(
    session: AsyncSession, *, officer_id: int, name: str, on_duty: bool, now: datetime, office: str | None = None
) -> None:
    """One row per officer, written with an upsert: two /duty presses at once (or two replicas)
    cannot both insert. `office`: the office they are on (or off) duty for."""
    if session.bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    values = {"name": name[:128], "on_duty": on_duty, "updated_at": now, "office": office}
    stmt = (
        insert(OfficerDuty)
        .values(officer_id=officer_id, **values)
        .on_conflict_do_update(index_elements=[OfficerDuty.officer_id], set_=values)
    )
    await session.exec(stmt)  # type: ignore[call-overload]


async def on_duty(
    session: AsyncSession, *, office: str | None = None, with_unassigned: bool = False
) -> list[OfficerDuty]:
    """Officers on duty, longest on duty first (the order their names appear in reminders): every
    office's, or office `office`'s (and, `with_unassigned`, those whose row names no office)."""
    conds = [OfficerDuty.on_duty.is_(True)]
    if office is not None:
        mine = OfficerDuty.office == office
        conds.append(or_(mine, OfficerDuty.office.is_(None)) if with_unassigned else mine)
    stmt = select(OfficerDuty).where(*conds).order_by(OfficerDuty.updated_at, OfficerDuty.id)
    return list((await session.exec(stmt)).all())


async def get(session: AsyncSession, *, officer_id: int) -> OfficerDuty | None:
    return (await session.exec(select(OfficerDuty).where(OfficerDuty.officer_id == officer_id))).first()
