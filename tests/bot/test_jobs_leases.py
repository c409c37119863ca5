"""The timers run on every replica; each period's sweep runs on one (bot/jobs.py + storage/leases.py)."""

from __future__ import annotations

from types import SimpleNamespace

from bot import jobs
from storage import leases


async def test_a_sweep_runs_once_per_period_however_many_replicas_fire_it(h, monkeypatch):
    runs: list[str] = []

    async def expire(services) -> int:
        runs.append("drafts")
        return 0

    monkeypatch.setattr(jobs, "expire_drafts", expire)
    context = SimpleNamespace(services=h.services)
    interval = h.services.config.dispatcher.sweep_interval_seconds
    await jobs.sweep_drafts(context)
    await jobs.sweep_drafts(context)  # the other replica's timer, same period: skipped
    assert runs == ["drafts"]
    h.clock.advance(seconds=interval)
    await jobs.sweep_drafts(context)
    await jobs.sweep_drafts(context)
    assert runs == ["drafts", "drafts"]
    async with h.services.db.read() as s:
        lease = await leases.get(s, name="sweep_drafts")
    assert lease.holder == jobs.HOLDER and lease.period == str(int(h.now().timestamp() // interval))


async def test_each_job_has_its_own_lease(h, monkeypatch):
    from bot import reminders, retention

    runs: list[str] = []

    async def sweep(services) -> None:
        runs.append("sla")

    async def purge(services) -> None:
        runs.append("purge")

    monkeypatch.setattr(reminders, "sweep", sweep)
    monkeypatch.setattr(retention, "purge", purge)
    context = SimpleNamespace(services=h.services)
    for _ in range(2):
        await jobs.sweep_sla(context)
        await jobs.purge_old_data(context)
    assert sorted(runs) == ["purge", "sla"]
