"""Job leases: a timer-driven job (sweeps, retention) runs once per period across replicas.

Every replica keeps its own PTB JobQueue; before doing the work, a run takes the job's lease for the
current period. Taking it is one conditional UPDATE ("the period is not this one yet"), or the INSERT
of the job's first row: on PostgreSQL a second replica's UPDATE waits for the first to commit and
then matches nothing; on SQLite writers are serial anyway. Portable SQL, no advisory locks.

A replica that takes the lease and dies before finishing loses that period's run: the jobs are
sweeps of what is due, so the next period's run does it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import JobLease


async def take(session: AsyncSession, *, name: str, period: str, holder: str, now: datetime) -> bool:
    """True when this caller runs job `name` for `period`: nobody took that period before."""
    result = await session.exec(
        update(JobLease)
        .where(JobLease.name == name, JobLease.period != period)
        .values(period=period, holder=holder, taken_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:
        return True
    if await session.get(JobLease, name) is not None:
        return False  # the row exists and already holds this period
    try:
        # A savepoint: a concurrent first INSERT fails only this statement, not the caller's transaction.
        async with session.begin_nested():
            session.add(JobLease(name=name, period=period, holder=holder, taken_at=now))
    except IntegrityError:
        return False
    return True


async def get(session: AsyncSession, *, name: str) -> JobLease | None:
    return await session.get(JobLease, name)
