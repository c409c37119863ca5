"""HTTP transport: the fake Bot API served by aiohttp on 127.0.0.1.

``FakeBotServer`` runs in the caller's event loop; ``ThreadedFakeBotServer``
runs one in a background thread with its own loop, for synchronous test code
or for a bot that owns the main loop.  Point PTB at it with
``Bot(token, base_url=server.base_url, base_file_url=server.base_file_url)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import threading
from typing import Any
from urllib.parse import urlsplit

from aiohttp import ClientError, ClientSession, ClientTimeout, web

from .core import FakeBotAPI
from .errors import TransportFault
from .files import UPLOAD_LIMIT

_UNAUTHORIZED = {"ok": False, "error_code": 401, "description": "Unauthorized"}
_NOT_FOUND = {"ok": False, "error_code": 404, "description": "Not Found"}


def _require_loopback(url: str) -> None:
    """The fake never talks to anything but this machine."""
    host = urlsplit(url).hostname or ""
    if host != "localhost":
        try:
            if ipaddress.ip_address(host).is_loopback:
                return
        except ValueError:
            pass
        raise ValueError(f"refusing to deliver outside loopback: {url}")


class FakeBotServer:
    def __init__(self, fake: FakeBotAPI, host: str = "127.0.0.1", port: int = 0) -> None:
        self.fake = fake
        self.host = host
        self.port = port
        self.base_url = ""
        self.base_file_url = ""
        self._runner: web.AppRunner | None = None
        self._stopping: asyncio.Event | None = None
        self._inflight: set[asyncio.Task[Any]] = set()
        self._session: ClientSession | None = None
        self._delivery: asyncio.Task[None] | None = None
        # (update_id, url, HTTP status or 0 for a connection error) of every webhook POST, in order.
        self.webhook_log: list[tuple[int, str, int]] = []

    async def start(self) -> None:
        self._stopping = asyncio.Event()
        app = web.Application(client_max_size=UPLOAD_LIMIT + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self.base_url = f"http://{self.host}:{self.port}/bot"
        self.base_file_url = f"http://{self.host}:{self.port}/file/bot"

    async def stop(self) -> None:
        if self._stopping is not None:
            self._stopping.set()
        # Long polls and injected timeouts would otherwise hold the shutdown.
        for task in list(self._inflight):
            task.cancel()
        if self._delivery is not None:
            self._delivery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._delivery
            self._delivery = None
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ------------------------------------------------------------ handlers
    async def _api(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.fake.token:
            return web.json_response(_UNAUTHORIZED, status=401)
        task = asyncio.current_task()
        assert task is not None
        self._inflight.add(task)
        try:
            params, files = await self._read_params(request)
            try:
                status, body = await self.fake.handle(request.match_info["method"], params, files)
            except TransportFault as fault:
                return await self._transport_fault(request, fault)
            return web.json_response(body, status=status)
        finally:
            self._inflight.discard(task)

    @staticmethod
    async def _read_params(
        request: web.Request,
    ) -> tuple[dict[str, Any], dict[str, tuple[str, bytes, str | None]]]:
        params: dict[str, Any] = dict(request.query)
        files: dict[str, tuple[str, bytes, str | None]] = {}
        if request.content_type == "application/json":
            with contextlib.suppress(ValueError):
                body = await request.json()
                if isinstance(body, dict):
                    params.update(body)
        elif request.can_read_body:
            for name, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    files[name] = (value.filename, value.file.read(), value.content_type)
                else:
                    params[name] = value if isinstance(value, str) else bytes(value).decode()
        return params, files

    async def _transport_fault(
        self, request: web.Request, fault: TransportFault
    ) -> web.StreamResponse:
        if fault.kind == "timeout":
            # Hold the answer past the client's read timeout (or until we stop).
            assert self._stopping is not None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), fault.delay)
            if fault.response is not None and not self._stopping.is_set():
                status, body = fault.response
                return web.json_response(body, status=status)
        # "reset" (or a timeout without a late answer): cut the response short.
        response = web.StreamResponse(status=200, headers={"Content-Type": "application/json"})
        response.content_length = 4096
        await response.prepare(request)
        await response.write(b'{"ok":true,"res')
        if request.transport is not None:
            request.transport.abort()
        return response

    async def _file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.fake.token:
            return web.json_response(_UNAUTHORIZED, status=401)
        content = self.fake.file_bytes(request.match_info["path"])
        if content is None:
            return web.json_response(_NOT_FOUND, status=404)
        return web.Response(body=content, content_type="application/octet-stream")

    # ------------------------------------------------------------- webhook
    async def deliver_webhook(
        self, url: str, update: dict[str, Any], secret_token: str | None = None
    ) -> int:
        """POST one update to a (loopback) webhook URL; returns the HTTP status."""
        _require_loopback(url)
        if self._session is None:
            self._session = ClientSession(timeout=ClientTimeout(total=10))
        headers = {"Content-Type": "application/json"}
        if secret_token is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret_token
        async with self._session.post(url, data=json.dumps(update), headers=headers) as resp:
            await resp.read()
            return resp.status

    async def deliver_pending(self) -> int:
        """Push queued updates to the webhook targets (round-robin) until one fails.

        Delivered updates are confirmed (removed); returns how many were delivered.
        """
        delivered = 0
        secret = (self.fake.webhook or {}).get("secret_token")
        for update in self.fake.pending_updates():
            url = self.fake.next_webhook_target()
            if url is None:
                break
            try:
                status = await self.deliver_webhook(url, update, secret)
            except (ClientError, OSError, TimeoutError):
                status = 0  # the replica is down or not up yet: like Telegram, try again later
            self.webhook_log.append((update["update_id"], url, status))
            if not 200 <= status < 300:
                break
            self.fake.confirm_updates(update["update_id"])
            delivered += 1
        return delivered

    def start_delivery(self, interval: float = 0.01) -> None:
        """Push updates to the webhook as Telegram does, from now until stop(): every queued update
        is POSTed (round-robin over ``webhook_targets``), one at a time, in update_id order; a
        failed POST is retried at the next tick (on the next target)."""
        if self._delivery is None:
            self._delivery = asyncio.create_task(self._deliver_loop(interval), name="fake-webhook-delivery")

    async def _deliver_loop(self, interval: float) -> None:
        while True:
            if self.fake.webhook is not None:
                await self.deliver_pending()
            await asyncio.sleep(interval)


class ThreadedFakeBotServer:
    """A FakeBotServer running in its own thread and event loop."""

    def __init__(self, fake: FakeBotAPI, host: str = "127.0.0.1", port: int = 0) -> None:
        self.fake = fake
        self.server = FakeBotServer(fake, host, port)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def base_file_url(self) -> str:
        return self.server.base_file_url

    def start(self) -> ThreadedFakeBotServer:
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.server.start())
            except BaseException as exc:  # reported to the starting thread
                failure.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.close()

        self._loop = loop
        self._thread = threading.Thread(target=run, name="fake-bot-api", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise failure[0]
        return self

    def run(self, coro: Any, timeout: float | None = 30.0) -> Any:
        """Run a coroutine on the server's loop from another thread and return its result."""
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def deliver_webhook(self, url: str, update: dict[str, Any],
                        secret_token: str | None = None) -> int:
        return int(self.run(self.server.deliver_webhook(url, update, secret_token)))

    def start_delivery(self, interval: float = 0.01) -> None:
        async def start() -> None:
            self.server.start_delivery(interval)

        self.run(start())

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        self.run(self.server.stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop = self._thread = None

    def __enter__(self) -> ThreadedFakeBotServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
