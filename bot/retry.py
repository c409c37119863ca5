"""Retrying the calls that answer a person's own update: the reply, the callback answer, the edit of
the pressed message. Messages to the group and notifications go through the outbox and its
dispatcher (which retries for as long as it takes); these few go inline, so they get a short,
bounded retry here instead.

Telegram answers 429 with the wait it wants (honoured), and the network fails with 5xx, timeouts
and dropped connections (retried after a short backoff). A Bad Request or a Forbidden is final.
Retrying a send whose answer was lost may show the person the same reply twice (Telegram may have
delivered the first): a repeated answer is better than a missing one, and nothing in the database
depends on it, since the state was committed before the reply.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger("sipoa.retry")

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]

# Waits between attempts after a network failure: about a quarter of a minute in all.
BACKOFF_SECONDS = (0.5, 1.0, 2.0, 4.0, 8.0)
ATTEMPTS = len(BACKOFF_SECONDS) + 1
# A flood wait longer than this is not sat out in the handler: the person's chat would stall.
MAX_FLOOD_WAIT_SECONDS = 60.0


async def pace(services, chat_id: int) -> None:
    """Take a place under Telegram's overall limit (about 30 messages a second, all chats together),
    the budget the outbox dispatcher spends too: in a rush of residents the replies queue here for
    a moment instead of colliding with 429s until they are given up."""
    dispatcher = services.background.get("dispatcher")
    if dispatcher is None:
        return
    limiter, sleep = dispatcher.limiter, sleep_of(services)
    while (wait := limiter.global_delay()) > 0:
        await sleep(wait)
    limiter.record(chat_id)


def sleep_of(services) -> Sleep:
    """The services' sleep (virtual in tests), else asyncio's."""
    return services.background.get("sleep") or asyncio.sleep


def is_transient(err: BaseException) -> bool:
    """A failure worth another try: a flood wait, a 5xx, a timeout, a dropped connection."""
    return isinstance(err, RetryAfter) or (isinstance(err, NetworkError) and not isinstance(err, BadRequest))


async def with_retries(call: Callable[[], Awaitable[T]], *, sleep: Sleep = asyncio.sleep,
                       attempts: int = ATTEMPTS) -> T:
    """`await call()`, again after transient failures; the last failure is raised."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except (RetryAfter, NetworkError) as err:
            if not is_transient(err) or attempt == attempts:
                raise
            if isinstance(err, RetryAfter):
                wait = retry_seconds(err)
                if wait > MAX_FLOOD_WAIT_SECONDS:
                    raise
            else:
                wait = BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS)) - 1]
            await sleep(wait)
    raise AssertionError("unreachable")


def retry_seconds(err: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB is moving retry_after from int to timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = err.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


async def answer_callback(query, text: str | None = None, *, sleep: Sleep = asyncio.sleep) -> None:
    """Answer a button press (the spinner on the person's button stops). Never raises for what the
    press cannot change: a redelivered press (after a crash, or a retry whose first answer got
    through) was answered already and Telegram refuses a second answer; and if Telegram stays
    unreachable the press itself was still handled, only its toast is lost."""
    try:
        await with_retries(lambda: query.answer(text), sleep=sleep)
    except BadRequest as err:
        reason = str(err).lower()
        if "query is too old" not in reason and "query id is invalid" not in reason:
            raise
        log.info("event=callback_already_answered query=%s", query.id)
    except (RetryAfter, NetworkError) as err:
        log.warning("event=callback_answer_failed query=%s error=%r", query.id, str(err))
