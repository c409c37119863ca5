"""`sipoa health --config PATH`: is the bot delivering? For a cron job, a systemd timer or a
container's health probe: exit 0 with one line when all is well, exit 1 with the reason when not.

Two facts, both read from the database the bot writes (so the check needs no access to the
running process and works for any number of replicas):
- the dispatcher's heartbeat (a Setting row its loop rewrites every HEARTBEAT_SECONDS): a loop
  that stopped beating is a dead process or a stuck dispatcher;
- the oldest message still waiting in the outbox: older than
  `dispatcher.health_max_outbox_age_minutes` means officers or residents are not being told
  (Telegram unreachable, the bot removed from the group, a backlog the group's limit cannot drain).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Config

HEARTBEAT_KEY = "dispatcher_heartbeat"
# How often the dispatcher's loop records that it is alive (a short write, so not every round).
HEARTBEAT_SECONDS = 10.0
# Beats missed before the dispatcher counts as stuck: room for a round of slow sends.
MISSED_BEATS = 6

EXIT_OK = 0
EXIT_UNHEALTHY = 1


@dataclass(frozen=True)
class Health:
    ok: bool
    line: str


async def record_heartbeat(services) -> None:
    """The dispatcher's "still here", stamped with the database clock's time."""
    from storage import settings

    now = services.now()
    async with services.db.transaction() as session:
        await settings.set_value(session, key=HEARTBEAT_KEY, value=now.isoformat(), now=now)


def judge(*, now: datetime, heartbeat: datetime | None, pending: int, oldest: timedelta | None,
          max_outbox_age: timedelta, max_silence: timedelta = timedelta(seconds=HEARTBEAT_SECONDS * MISSED_BEATS)
          ) -> Health:
    """Healthy or not, and the one line that says why. Pure: the tests feed it any moment."""
    problems = []
    if heartbeat is None:
        problems.append("the dispatcher never ran against this database (is `sipoa run` started?)")
    elif now - heartbeat > max_silence:
        problems.append(
            f"the dispatcher's last heartbeat is {_ago(now - heartbeat)} old (limit {_ago(max_silence)}): "
            "the bot is not running, or its dispatcher is stuck"
        )
    if oldest is not None and oldest > max_outbox_age:
        problems.append(
            f"{pending} message(s) wait in the outbox, the oldest for {_ago(oldest)} "
            f"(limit {_ago(max_outbox_age)}): check the bot's log for event=send_retry, group_forbidden or flood_wait"
        )
    if problems:
        return Health(False, "UNHEALTHY: " + "; ".join(problems))
    queue = "outbox empty" if not pending else f"{pending} waiting, oldest {_ago(oldest or timedelta())}"
    return Health(True, f"OK: dispatcher alive (heartbeat {_ago(now - heartbeat)} ago), {queue}")


async def check(config: Config, *, now: datetime | None = None) -> Health:
    from bot.clock import utcnow
    from storage import outbox, settings
    from storage.db import Database

    now = now or utcnow()
    db = Database(config.storage.resolved_url())
    try:
        async with db.read() as session:
            stamp = await settings.get(session, key=HEARTBEAT_KEY)
            pending = await outbox.pending_count(session)
            oldest = await outbox.oldest_pending_age(session, now=now)
    finally:
        await db.dispose()
    heartbeat = None
    if stamp:
        try:
            heartbeat = datetime.fromisoformat(stamp)
        except ValueError:
            heartbeat = None
    limit = timedelta(minutes=config.dispatcher.health_max_outbox_age_minutes)
    return judge(now=now, heartbeat=heartbeat, pending=pending, oldest=oldest, max_outbox_age=limit)


def run(config: Config) -> tuple[int, str]:
    """The CLI's part: (exit code, the line to print). A database that cannot be read is unhealthy."""
    try:
        health = asyncio.run(check(config))
    except Exception as err:  # noqa: BLE001 — a health probe reports, it never shows a traceback
        reason = str(getattr(err, "orig", None) or err).strip().splitlines()
        return EXIT_UNHEALTHY, f"UNHEALTHY: the database cannot be read ({reason[0] if reason else type(err).__name__})"
    return (EXIT_OK if health.ok else EXIT_UNHEALTHY), health.line


def _ago(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"
