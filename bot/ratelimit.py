"""When may the next message go to a chat: Telegram's flood limits, kept on our side.

Telegram allows about 20 messages a minute into one group, about one a second into one private chat
and about 30 a second overall; going over earns a 429 with a wait of up to a minute. The limiter
answers "how long until `cost` more messages may go to this chat" per chat, so the dispatcher sends
what is allowed now and leaves the rest for later: a group waiting for its window never holds up a
resident's notification.

Time is injected (`monotonic`) so tests run minutes of waiting in no time.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence

GROUP_WINDOW_SECONDS = 60.0
GLOBAL_WINDOW_SECONDS = 1.0
GLOBAL_PER_SECOND = 30


def is_group_chat(chat_id: int) -> bool:
    # Users have positive ids; groups, supergroups and channels negative ones.
    return chat_id < 0


def window_wait(sends: Sequence[float], now: float, window: float, limit: int, cost: int) -> float:
    """Seconds until `cost` more sends fit beside `sends` (the window's stamps, oldest first)."""
    # A batch bigger than the whole window (an album into a group limited to a few a minute)
    # goes once the window is empty rather than never.
    cost = min(cost, limit)
    over = len(sends) + cost - limit
    if over <= 0:
        return 0.0
    # The send that must leave the window before this batch fits.
    return max(0.0, sends[over - 1] + window - now)


class RateLimiter:
    def __init__(
        self,
        *,
        group_per_minute: int = 19,
        private_per_second: float = 1.0,
        global_per_second: int = GLOBAL_PER_SECOND,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.group_per_minute = group_per_minute
        self.private_interval = 1.0 / private_per_second
        self.global_per_second = global_per_second
        self.monotonic = monotonic
        self._group_sends: dict[int, deque[float]] = {}
        self._private_last: dict[int, float] = {}
        self._global_sends: deque[float] = deque()
        self._blocked_until: dict[int, float] = {}

    def delay(self, chat_id: int, cost: int = 1) -> float:
        """Seconds until `cost` more messages may go to `chat_id` (0.0: now)."""
        now = self.monotonic()
        wait = max(0.0, self._blocked_until.get(chat_id, 0.0) - now)
        if is_group_chat(chat_id):
            wait = max(wait, self._window_wait(self._group_sends.get(chat_id), now, GROUP_WINDOW_SECONDS,
                                               self.group_per_minute, cost))
        else:
            last = self._private_last.get(chat_id)
            if last is not None:
                wait = max(wait, last + self.private_interval - now)
        wait = max(wait, self._window_wait(self._global_sends, now, GLOBAL_WINDOW_SECONDS,
                                           self.global_per_second, cost))
        return wait

    def available(self, chat_id: int) -> int:
        """How many messages may go to `chat_id` right now, leaving the overall limit aside."""
        now = self.monotonic()
        if self._blocked_until.get(chat_id, 0.0) > now:
            return 0
        if not is_group_chat(chat_id):
            last = self._private_last.get(chat_id)
            return 1 if last is None or last + self.private_interval <= now else 0
        used = len(self._pruned(self._group_sends.get(chat_id), now, GROUP_WINDOW_SECONDS))
        return max(0, self.group_per_minute - used)

    def global_available(self) -> int:
        """How many messages may go out right now, all chats together."""
        now = self.monotonic()
        return max(0, self.global_per_second - len(self._pruned(self._global_sends, now, GLOBAL_WINDOW_SECONDS)))

    def global_delay(self) -> float:
        """Seconds until one more message fits under the overall limit (0.0: now)."""
        now = self.monotonic()
        return self._window_wait(self._global_sends, now, GLOBAL_WINDOW_SECONDS, self.global_per_second, 1)

    def record(self, chat_id: int, cost: int = 1) -> None:
        """`cost` messages went to `chat_id` just now."""
        now = self.monotonic()
        for _ in range(cost):
            self._global_sends.append(now)
        if is_group_chat(chat_id):
            sends = self._group_sends.setdefault(chat_id, deque())
            sends.extend([now] * cost)
        else:
            self._private_last[chat_id] = now
        self._forget_idle(now)

    def block(self, chat_id: int, seconds: float) -> None:
        """Telegram said "retry after": nothing goes to this chat until then."""
        until = self.monotonic() + max(0.0, seconds)
        self._blocked_until[chat_id] = max(until, self._blocked_until.get(chat_id, 0.0))

    # -- internals --

    @staticmethod
    def _pruned(sends: deque[float] | None, now: float, window: float) -> deque[float]:
        if sends is None:
            return deque()
        while sends and sends[0] <= now - window:
            sends.popleft()
        return sends

    def _window_wait(self, sends: deque[float] | None, now: float, window: float, limit: int, cost: int) -> float:
        return window_wait(self._pruned(sends, now, window), now, window, limit, cost)

    def _forget_idle(self, now: float) -> None:
        # Thousands of residents must not each keep an entry for ever.
        if len(self._private_last) > 1000:
            self._private_last = {c: t for c, t in self._private_last.items() if t > now - self.private_interval}
        if len(self._blocked_until) > 100:
            self._blocked_until = {c: t for c, t in self._blocked_until.items() if t > now}
