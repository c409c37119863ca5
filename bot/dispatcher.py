"""The outbox dispatcher: claims due rows, sends what Telegram's limits allow now, records results.

Handlers write outbox rows in the same transaction as the change that causes them and call
`notify_new_outbox(services)` after their commit; this loop does every send to the group and
every notification to a resident, so no handler ever waits on the group's flood limit.

Exactly once: a row is claimed with a lease (a conditional UPDATE, so two dispatchers never hold the
same row), sent, and marked sent with Telegram's message_id in a new short transaction; a sent row
is never sent again. The one window that cannot be closed: the process dies after Telegram accepted
a message and before `mark_sent` commits. The lease then expires and the row is sent once more — a
duplicate in the group rather than a lost report, which is the better way to fail. (A timeout whose
request did reach Telegram is the same window, seen from the network's side.)

Time: DB timestamps (next_attempt_at, leases) come from `services.clock`; waiting for a rate-limit
window uses the injected `monotonic`/`sleep` (`services.background`), which tests make virtual.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.deliveries import Deliveries, Delivered, Migrated, Permanent, cost_of
from bot.health import HEARTBEAT_SECONDS, record_heartbeat
from bot.ratelimit import GROUP_WINDOW_SECONDS, RateLimiter, is_group_chat, window_wait
from bot.retry import retry_seconds
from bot.services import Services
from storage import alert_data, group_sends, outbox, settings
from storage.models import Outbox

log = logging.getLogger("sipoa.dispatcher")

LEASE_SECONDS = 60
BATCH = 100
# A claim round rescans when a busy chat filled the batch, so another chat's row behind it is reached.
MAX_SCANS = 5
BACKOFF_BASE_SECONDS = 2.0
# A bug (not Telegram) failing the same row: give up after this many attempts instead of for ever.
MAX_UNEXPECTED_ATTEMPTS = 5
STOP_GRACE_SECONDS = 10.0


def notify_new_outbox(services: Services) -> None:
    """Handlers call this AFTER committing outbox rows: the dispatcher sends them now, not at its next poll."""
    dispatcher = services.background.get("dispatcher")
    if dispatcher is not None:
        dispatcher.wake()


async def adopt_migrated_group(services: Services, *, old_chat_id: int, new_chat_id: int) -> None:
    """Telegram turned a group into a supergroup with a new id: use the new id from now on, for the
    rows already queued too, and keep it across restarts (the Setting row)."""
    office = services.offices.for_group(old_chat_id)  # each office's group migrates on its own
    async with services.db.transaction() as session:
        if office is not None:
            await settings.record_group_migration(session, old_chat_id=old_chat_id, new_chat_id=new_chat_id,
                                                  now=services.now(),
                                                  office=services.offices.settings_suffix(office.key))
        await outbox.retarget_chat(session, old_chat_id=old_chat_id, new_chat_id=new_chat_id)
        await alert_data.retarget_alerts(session, old_chat_id=old_chat_id, new_chat_id=new_chat_id)
    if office is not None:
        services.adopt_group(office.key, new_chat_id)
        key = "officers.group_chat_id" if services.offices.single else f"group_chat_id of office {office.key}"
        log.warning(
            "event=group_migrated old=%s new=%s: the officers' group is now a supergroup; "
            "set %s = %s in the config (the new id is used meanwhile)",
            old_chat_id, new_chat_id, key, new_chat_id,
        )


class Dispatcher:
    def __init__(self, bot, services: Services):
        self.bot = bot
        self.services = services
        background = services.background
        self._monotonic: Callable[[], float] = background.get("monotonic") or time.monotonic
        self._sleep: Callable[[float], Awaitable[None]] = background.get("sleep") or asyncio.sleep
        cfg = services.config.dispatcher
        self.limiter = RateLimiter(
            group_per_minute=cfg.group_messages_per_minute,
            private_per_second=cfg.private_messages_per_second,
            global_per_second=cfg.global_messages_per_second,
            monotonic=self._monotonic,
        )
        self.deliveries = Deliveries(bot, services)
        # Replicas on one PostgreSQL (webhook mode) count a group's sends together, in the database
        # (storage/group_sends.py); one process counts them here in memory, which is enough and free.
        # The private-chat and overall limits stay per process: replicas share a bot token, so
        # Telegram's ~30/s overall is shared too, but N replicas would need N× a burst to reach it.
        self.shared_group_limit = bool(background.get("shared_group_limit"))
        self._shared_stamps: dict[int, list[float]] = {}
        self._random = random.Random()
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._stopping = False
        # After run_once: seconds until a row held back by the limits may go (None: none held back).
        self.last_wait: float | None = None
        self.last_processed = 0
        self._last_beat: float | None = None

    # -- public --

    def wake(self) -> None:
        self._wake.set()

    async def run_once(self) -> int:
        """One round: claim what may be sent now, send it, record it. Returns the number sent."""
        now = self.services.now()
        rows, held = await self._claim(now)
        sent = processed = 0
        for index, row in enumerate(rows):
            if self._stopping:
                # Finish the send under way, hand the rest back for the next start.
                await self._write(lambda s, ids=[r.id for r in rows[index:]]: outbox.release(s, row_ids=ids))
                break
            processed += 1
            if await self._send(row):
                sent += 1
        self.last_processed = processed
        later = self.services.now()
        waits = [max(self.limiter.delay(chat, cost), self._shared_delay(chat, cost, later))
                 for chat, cost in held.items()]
        self.last_wait = min(waits) if waits else None
        return sent

    async def drain(self, *, max_seconds: float = 600) -> int:
        """Send until nothing due remains, waiting out rate-limit windows with the injected sleep.
        Rows waiting for a later next_attempt_at (a backoff) are not due: advance the clock to get them."""
        started = self._monotonic()
        total = stalls = 0
        while True:
            total += await self.run_once()
            if self.last_wait is not None:
                if self._monotonic() - started >= max_seconds:
                    log.warning("event=drain_gave_up after=%ss", max_seconds)
                    break
                await self._sleep(max(self.last_wait, 0.001))
                continue
            async with self.services.db.read() as session:
                more = await outbox.has_due(session, now=self.services.now())
            if not more:
                break
            stalls = 0 if self.last_processed else stalls + 1
            if stalls > 3:
                break
        return total

    def start(self) -> None:
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._loop(), name="sipoa-dispatcher")

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        task, self._task = self._task, None
        if task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), STOP_GRACE_SECONDS)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # -- the loop --

    async def _loop(self) -> None:
        interval = self.services.config.dispatcher.poll_interval_seconds
        while not self._stopping:
            self._wake.clear()
            sent = 0
            await self._beat()
            try:
                sent = await self.run_once()
            except Exception:
                log.exception("event=dispatcher_round_failed")
            if self._stopping:
                break
            if sent:
                await asyncio.sleep(0)
                continue
            timeout = interval if self.last_wait is None else min(interval, max(self.last_wait, 0.01))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)

    async def _beat(self) -> None:
        """`sipoa health` reads this: a loop that stops beating is a dead process or a stuck dispatcher."""
        now = self._monotonic()
        if self._last_beat is not None and now - self._last_beat < HEARTBEAT_SECONDS:
            return
        self._last_beat = now
        try:
            await record_heartbeat(self.services)
        except Exception as err:  # a missed beat must not hold up sending
            log.warning("event=heartbeat_failed error=%r", str(err))

    # -- claiming --

    async def _claim(self, now: datetime) -> tuple[list[Outbox], dict[int, int]]:
        """Claim rows the limits allow now. Returns them and, per chat held back, the cost of its
        first waiting row. Rows of one chat keep their order: once one waits, the rest of it waits."""
        planned: dict[int, int] = {}
        held: dict[int, int] = {}
        room = {"global": self.limiter.global_available()}
        shared_room: dict[int, int] = {}
        scanned = 0

        def accept(row: Outbox) -> bool:
            nonlocal scanned
            scanned += 1
            if row.chat_id in held:
                return False
            cost = cost_of(row)
            chat_room = self.limiter.available(row.chat_id) - planned.get(row.chat_id, 0)
            if self.shared_group_limit and is_group_chat(row.chat_id):
                # The group's room left across replicas; a group whose first row was queued after
                # this round locked the windows waits for the next round (at once: no delay).
                chat_room = min(chat_room, shared_room.get(row.chat_id, 0) - planned.get(row.chat_id, 0))
            need = min(cost, self.limiter.group_per_minute) if is_group_chat(row.chat_id) else 1
            if chat_room < need or room["global"] < cost:
                held[row.chat_id] = cost
                return False
            planned[row.chat_id] = planned.get(row.chat_id, 0) + cost
            room["global"] -= cost
            return True

        claimed: list[Outbox] = []
        for _ in range(MAX_SCANS):
            scanned, held_before = 0, len(held)
            async with self.services.db.transaction() as session:
                if self.shared_group_limit:
                    # The windows count this round's earlier scans already; `planned` does too.
                    windows = await self._lock_group_windows(session, now)
                    shared_room = {chat: free + planned.get(chat, 0) for chat, free in windows.items()}
                batch = await outbox.claim_due(
                    session, now=now, limit=BATCH, lease_seconds=LEASE_SECONDS,
                    exclude_chats=set(held), accept=accept,
                )
                if self.shared_group_limit:
                    await self._record_group_sends(session, now, batch)
            claimed += batch
            # Scan again only if the batch was full and some chat was newly held back in it.
            if scanned < BATCH or len(held) == held_before or room["global"] <= 0:
                break
        return claimed, held

    # -- the group limit shared by replicas --

    async def _lock_group_windows(self, session: AsyncSession, now: datetime) -> dict[int, int]:
        """Lock the window of each group with due rows (held until this claim commits) and return
        the room each has left; their stamps are kept for the wait of what does not fit."""
        limit = self.limiter.group_per_minute
        room: dict[int, int] = {}
        for chat in await outbox.due_chats(session, now=now, groups_only=True):
            sends = await group_sends.lock_window(session, chat_id=chat, now=now,
                                                  window_seconds=GROUP_WINDOW_SECONDS)
            stamps = [send.at.timestamp() for send in sends for _ in range(send.cost)]
            self._shared_stamps[chat] = stamps
            room[chat] = max(0, limit - len(stamps))
        return room

    async def _record_group_sends(self, session: AsyncSession, now: datetime, rows: list[Outbox]) -> None:
        for row in rows:
            if is_group_chat(row.chat_id):
                cost = cost_of(row)
                await group_sends.record(session, chat_id=row.chat_id, sends=[(row.id, cost)], now=now)
                self._shared_stamps.setdefault(row.chat_id, []).extend([now.timestamp()] * cost)

    def _shared_delay(self, chat: int, cost: int, now: datetime) -> float:
        stamps = self._shared_stamps.get(chat)
        if not stamps:
            return 0.0
        return window_wait(stamps, now.timestamp(), GROUP_WINDOW_SECONDS, self.limiter.group_per_minute, cost)

    # -- sending one row --

    async def _send(self, row: Outbox) -> bool:
        chat, now = row.chat_id, self.services.now()
        try:
            done = await self.deliveries.deliver(row)
        except RetryAfter as err:
            seconds = retry_seconds(err)
            self.limiter.block(chat, seconds)
            log.warning("event=flood_wait row=%s chat=%s retry_after=%s", row.id, chat, seconds)
            await self._retry(row, now + timedelta(seconds=seconds), str(err), count=False)
        except Migrated as err:
            await adopt_migrated_group(self.services, old_chat_id=err.old, new_chat_id=err.new)
            # The row moved to the new id with the others: due again at once.
            await self._retry(row, now, str(err), count=False)
        except Forbidden as err:
            if is_group_chat(chat):
                # The bot was removed from the officers' group: keep the alerts until it is back.
                log.error("event=group_forbidden row=%s chat=%s error=%s: add the bot to the officers' group",
                          row.id, chat, err)
                await self._retry(row, now + self._backoff(row), str(err))
            else:
                log.info("event=notify_refused row=%s chat=%s error=%s", row.id, chat, err)
                await self._write(lambda s: outbox.mark_failed(s, row_id=row.id, now=now, error=str(err)))
        except (Permanent, BadRequest) as err:
            log.error("event=send_failed row=%s kind=%s chat=%s error=%s", row.id, row.kind, chat, err)
            await self._write(lambda s: outbox.mark_failed(s, row_id=row.id, now=now, error=str(err)))
        except NetworkError as err:
            # Timeouts and 5xx: the message may or may not have gone; count it against the limit.
            self.limiter.record(chat, cost_of(row))
            log.warning("event=send_retry row=%s chat=%s attempts=%s error=%s", row.id, chat, row.attempts + 1, err)
            await self._retry(row, now + self._backoff(row), str(err))
        except TelegramError as err:
            log.error("event=send_retry row=%s chat=%s error=%r", row.id, chat, err)
            await self._retry(row, now + self._backoff(row), repr(err))
        except Exception as err:
            log.exception("event=send_bug row=%s kind=%s", row.id, row.kind)
            if row.attempts + 1 >= MAX_UNEXPECTED_ATTEMPTS:
                await self._write(lambda s: outbox.mark_failed(s, row_id=row.id, now=now, error=repr(err)))
            else:
                await self._retry(row, now + self._backoff(row), repr(err))
        else:
            await self._sent(row, done)
            return done.message_id is not None and done.cost > 0
        return False

    async def _sent(self, row: Outbox, done: Delivered) -> None:
        if done.cost:
            self.limiter.record(row.chat_id, done.cost)
        now = self.services.now()

        async def record(session: AsyncSession) -> None:
            await outbox.mark_sent(session, row_id=row.id, now=now, message_id=done.message_id)
            if self.shared_group_limit and is_group_chat(row.chat_id):
                await group_sends.mark_answered(session, outbox_id=row.id, now=now)
            if done.record is not None:
                await done.record(session)

        if done.note:
            log.info("event=outbox_done row=%s kind=%s note=%s", row.id, row.kind, done.note)
        await self._write(record)

    async def _retry(self, row: Outbox, at: datetime, error: str, *, count: bool = True) -> None:
        await self._write(lambda s: outbox.mark_retry(s, row_id=row.id, next_attempt_at=at, error=error,
                                                      count_attempt=count))

    def _backoff(self, row: Outbox) -> timedelta:
        cap = self.services.config.dispatcher.max_backoff_seconds
        base = min(cap, BACKOFF_BASE_SECONDS * 2 ** min(row.attempts, 20))
        # Jitter spreads the retries of many rows that failed together (a Telegram outage).
        return timedelta(seconds=base * self._random.uniform(0.5, 1.0))

    async def _write(self, fn: Callable[[AsyncSession], Awaitable[object]]) -> None:
        """A short transaction recording a result, tried thrice: a lost record means a resend later."""
        for attempt in range(3):
            try:
                async with self.services.db.transaction() as session:
                    await fn(session)
                return
            except Exception:
                if attempt == 2:
                    log.exception("event=record_failed: the row is retried after its lease")
                    return
                await asyncio.sleep(0.05 * (attempt + 1))
