"""``FakeBotAPI``: an in-memory imitation of the Telegram Bot API server.

It validates requests the way Telegram does (stricter where that catches bugs),
records every call, lets tests act as users (``user_*`` methods) and injects
faults.  Both transports (``transport.FakeRequest`` in-process and
``server.FakeBotServer`` over HTTP) go through the single entry point
:meth:`FakeBotAPI.handle`.
"""

from __future__ import annotations

import asyncio
import copy
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .chats import ChatMethodsMixin
from .errors import ApiError, TransportFault
from .methods import canonical_method
from .sending import SendingMixin
from .updates import UserSimulationMixin
from .validation import UploadedFile, decode_params

FAULT_KINDS = frozenset({"429", "500", "502", "timeout", "reset", "slow"})
_DEFAULT_DELAY = {"timeout": 30.0, "slow": 1.0}
_FAULT_ANSWERS = {
    "500": ApiError(500, "Internal Server Error"),
    "502": ApiError(502, "Bad Gateway"),
}


@dataclass
class CallRecord:
    """One API call as the fake saw it.  Also readable as ``record["method"]``."""

    method: str
    params: dict[str, Any]
    ok: bool
    status: int
    error: str | None = None
    result: Any = None
    files: list[str] = field(default_factory=list)
    fault: str | None = None  # kind of injected fault that answered/affected this call

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)


@dataclass
class _Fault:
    kind: str
    methods: frozenset[str] | None
    rate: float | None
    remaining: int | None
    retry_after: int
    delay: float
    after_effect: bool
    rng: random.Random

    def matches(self, method: str) -> bool:
        if self.remaining is not None and self.remaining <= 0:
            return False
        if self.methods is None:
            return method != "getUpdates"  # long polling is only hit when named
        return method in self.methods


def _normalize_files(files: Mapping[str, Any] | None) -> dict[str, UploadedFile]:
    out: dict[str, UploadedFile] = {}
    for name, value in (files or {}).items():
        if isinstance(value, UploadedFile):
            out[name] = value
        elif isinstance(value, bytes | bytearray):
            out[name] = UploadedFile(name, bytes(value))
        else:  # (filename, content, mime_type) like PTB's field tuples
            filename, content, *rest = value
            out[name] = UploadedFile(filename, bytes(content), rest[0] if rest else None)
    return out


class FakeBotAPI(UserSimulationMixin, SendingMixin, ChatMethodsMixin):
    """Fake Telegram Bot API.  See the package README in ``bot/fakeapi/__init__.py``."""

    def __init__(
        self,
        *,
        token: str = "123456:TEST-TOKEN-not-real",
        bot_id: int = 123456,
        bot_username: str = "sipoa_test_bot",
        group_limit_per_minute: int = 20,
        clock: Callable[[], float] | None = None,
        now: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(token=token, bot_id=bot_id, bot_username=bot_username,
                         group_limit_per_minute=group_limit_per_minute, clock=clock, now=now)
        self.calls: list[CallRecord] = []
        self.answered_callbacks: list[dict[str, Any]] = []
        self.faults_injected: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] | None = None
        self.webhook_targets: list[str] = []
        self._webhook_rr = 0
        self._callbacks: dict[str, dict[str, Any]] = {}
        self._callback_counter = 0
        self._commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._faults: list[_Fault] = []
        self._poll_generation = 0

    # ================================================================ entry
    async def handle(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Serve one API call; returns (HTTP status, JSON body).

        Raises TransportFault for injected "timeout"/"reset" faults; the
        transports turn that into a client-side error.
        """
        raw = dict(params or {})
        uploads = _normalize_files(files)
        name = canonical_method(method)
        if name is None:
            return self._answer(method, raw, uploads, ApiError(404, "Not Found"))
        with self._lock:
            fault = self._take_fault(name)
        if fault is not None:
            if fault.kind == "slow":
                await asyncio.sleep(fault.delay)
            elif fault.kind == "429":
                err = ApiError(429, f"Too Many Requests: retry after {fault.retry_after}",
                               {"retry_after": fault.retry_after})
                return self._answer(name, raw, uploads, err, fault=fault.kind)
            elif fault.kind in _FAULT_ANSWERS:
                return self._answer(name, raw, uploads, _FAULT_ANSWERS[fault.kind],
                                    fault=fault.kind)
            elif not fault.after_effect:
                self._answer(name, raw, uploads, ApiError(0, f"injected {fault.kind}"),
                             fault=fault.kind)
                raise TransportFault(fault.kind, fault.delay)
        outcome: Any
        decoded = raw
        try:
            decoded = decode_params(name, raw, uploads)
            if name == "getUpdates":
                outcome = await self._get_updates(decoded)
            else:
                with self._lock:
                    outcome = getattr(self, f"_m_{name}")(decoded, uploads)
        except ApiError as err:
            outcome = err
        status, body = self._answer(name, decoded, uploads, outcome,
                                    fault=fault.kind if fault and fault.kind != "slow" else None)
        if fault is not None and fault.kind in ("timeout", "reset"):
            raise TransportFault(fault.kind, fault.delay, (status, body))
        return status, body

    def _answer(self, method: str, params: dict[str, Any], uploads: dict[str, UploadedFile],
                outcome: Any, *, fault: str | None = None) -> tuple[int, dict[str, Any]]:
        """Build the response and record the call."""
        if isinstance(outcome, ApiError):
            status, body = outcome.code, outcome.body()
            record = CallRecord(method, params, False, status, outcome.description,
                                files=list(uploads), fault=fault)
        else:
            result = copy.deepcopy(outcome)
            status, body = 200, {"ok": True, "result": result}
            record = CallRecord(method, params, True, 200, None, copy.deepcopy(result),
                                files=list(uploads), fault=fault)
        with self._lock:
            self.calls.append(record)
        return status, body

    # ========================================================== getUpdates
    async def _get_updates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        loop = asyncio.get_running_loop()
        event = asyncio.Event()
        limit = min(max(p.get("limit", 100), 1), 100)
        timeout = max(p.get("timeout", 0), 0)
        with self._lock:
            if self.webhook:
                raise ApiError(409, "Conflict: can't use getUpdates method while webhook is "
                                    "active; use deleteWebhook to delete the webhook first")
            if "allowed_updates" in p:
                self._set_allowed_updates(p["allowed_updates"])
            self._poll_generation += 1
            generation = self._poll_generation
            self._wake_pollers()  # an older long poll notices it was superseded
            offset = p.get("offset")
            if offset is not None:
                self._confirm(offset)
            batch = self._updates[:limit]
            if batch or timeout == 0:
                return copy.deepcopy(batch)
            waiter = (loop, event)
            self._waiters.append(waiter)
        deadline = loop.time() + timeout
        try:
            while (remaining := deadline - loop.time()) > 0:
                try:
                    await asyncio.wait_for(event.wait(), remaining)
                except TimeoutError:
                    break
                event.clear()
                with self._lock:
                    if generation != self._poll_generation:
                        raise ApiError(409, "Conflict: terminated by other getUpdates request; "
                                            "make sure that only one bot instance is running")
                    batch = self._updates[:limit]
                    if batch:
                        return copy.deepcopy(batch)
            return []
        finally:
            with self._lock:
                self._waiters.remove(waiter)

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            del self._updates[: max(len(self._updates) + offset, 0)]
        else:
            self._updates[:] = [u for u in self._updates if u["update_id"] >= offset]

    # =============================================================== faults
    def inject(
        self,
        kind: str,
        *,
        method: str | Iterable[str] | None = None,
        rate: float | None = None,
        count: int | None = None,
        retry_after: int = 1,
        delay: float | None = None,
        seed: int | None = None,
        after_effect: bool = True,
    ) -> None:
        """Make matching calls fail.

        kind: "429" | "500" | "502" (answered before any effect), "timeout" |
        "reset" (transport-level; by default *after* the effect happened, see
        ``after_effect``), "slow" (answer normally after ``delay`` seconds).
        method: a name or names; None = every method except getUpdates.
        count: fail the next N matching calls; rate: probability per call
        (seeded by ``seed``).  Neither given = only the next matching call.
        delay: None = 30 s for "timeout" (HTTP server only), 1 s for "slow".
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(FAULT_KINDS)}")
        methods: frozenset[str] | None = None
        if method is not None:
            names = [method] if isinstance(method, str) else list(method)
            resolved = [canonical_method(n) for n in names]
            if None in resolved:
                raise ValueError(f"unknown method in {names}")
            methods = frozenset(n for n in resolved if n)
        if rate is None and count is None:
            count = 1
        with self._lock:
            self._faults.append(_Fault(
                kind, methods, rate, count, retry_after,
                _DEFAULT_DELAY.get(kind, 0.0) if delay is None else delay,
                after_effect, random.Random(seed),
            ))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_fault(self, method: str) -> _Fault | None:
        for fault in self._faults:
            if not fault.matches(method):
                continue
            if fault.rate is not None and fault.rng.random() >= fault.rate:
                continue
            if fault.remaining is not None:
                fault.remaining -= 1
            self.faults_injected.append({
                "kind": fault.kind, "method": method, "after_effect": fault.after_effect,
                "at": self._clock(),
            })
            return fault
        return None

    # =========================================================== inspection
    def calls_to(self, method: str) -> list[CallRecord]:
        name = canonical_method(method) or method
        with self._lock:
            return [c for c in self.calls if c.method == name]

    @property
    def rejected(self) -> list[CallRecord]:
        """Calls the fake answered with an error, excluding injected faults."""
        with self._lock:
            return [c for c in self.calls if not c.ok and c.fault is None]

    def messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Every message in the chat (bot's and users'), oldest first, deleted ones flagged."""
        with self._lock:
            return [m.inspect() for m in self._messages.get(chat_id, {}).values()]

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        return [m for m in self.messages(chat_id) if m["from_bot"]]

    def last_bot_message(self, chat_id: int) -> dict[str, Any] | None:
        sent = self.bot_messages(chat_id)
        return sent[-1] if sent else None

    @staticmethod
    def buttons(message: Mapping[str, Any] | None) -> list[list[tuple[str, str | None]]]:
        """Inline keyboard of a message as rows of (text, callback_data)."""
        markup = (message or {}).get("reply_markup") or {}
        return [[(b["text"], b.get("callback_data")) for b in row]
                for row in markup.get("inline_keyboard", [])]

    def pending_updates(self) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(self._updates)

    def confirm_updates(self, up_to_update_id: int) -> None:
        """Drop queued updates with update_id <= the given one (webhook delivery done)."""
        with self._lock:
            self._confirm(up_to_update_id + 1)

    def file_bytes(self, file_path: str) -> bytes | None:
        """Content served at /file/bot<token>/<file_path>, or None if unknown."""
        with self._lock:
            rec = self.files.by_path(file_path)
            return rec.content if rec else None

    def next_webhook_target(self) -> str | None:
        """Round-robin over ``webhook_targets`` (else the setWebhook URL)."""
        with self._lock:
            if self.webhook_targets:
                url = self.webhook_targets[self._webhook_rr % len(self.webhook_targets)]
                self._webhook_rr += 1
                return url
            return self.webhook["url"] if self.webhook else None

    def reset_rate_limits(self) -> None:
        with self._lock:
            self._sends_by_chat.clear()
            self._sends_global.clear()
