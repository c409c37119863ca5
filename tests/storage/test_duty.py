"""Officers on duty per office: a row names the office it was said for; rows from before several
offices (no office) count for the first office only when asked to."""

from __future__ import annotations

from datetime import timedelta

from storage import duty


async def test_the_roster_of_an_office_and_rows_without_one(h):
    now = h.now()
    async with h.services.db.transaction() as s:
        await duty.set_duty(s, officer_id=1, name="Agus", on_duty=True, now=now, office="TNG")
        await duty.set_duty(s, officer_id=2, name="Dewi", on_duty=True, now=now + timedelta(seconds=1), office="JKS")
        await duty.set_duty(s, officer_id=3, name="Lama", on_duty=True, now=now + timedelta(seconds=2))
        await duty.set_duty(s, officer_id=4, name="Libur", on_duty=False, now=now, office="JKS")
    async with h.services.db.read() as s:
        assert [d.name for d in await duty.on_duty(s)] == ["Agus", "Dewi", "Lama"]
        assert [d.name for d in await duty.on_duty(s, office="JKS")] == ["Dewi"]
        assert [d.name for d in await duty.on_duty(s, office="TNG", with_unassigned=True)] == ["Agus", "Lama"]
    # /duty on said again in another office's group moves the officer there.
    async with h.services.db.transaction() as s:
        await duty.set_duty(s, officer_id=1, name="Agus", on_duty=True, now=now, office="JKS")
    async with h.services.db.read() as s:
        assert [d.name for d in await duty.on_duty(s, office="JKS")] == ["Agus", "Dewi"]
