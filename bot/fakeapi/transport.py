"""In-process transport: a PTB ``BaseRequest`` that talks to a FakeBotAPI directly.

Usage::

    app = (ApplicationBuilder().token(fake.token)
           .request(FakeRequest(fake)).get_updates_request(FakeRequest(fake))
           .updater(None).build())
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import unquote, urlsplit

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from .core import FakeBotAPI
from .errors import TransportFault

_UNAUTHORIZED = {"ok": False, "error_code": 401, "description": "Unauthorized"}
_NOT_FOUND = {"ok": False, "error_code": 404, "description": "Not Found"}


def _dump(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


class FakeRequest(BaseRequest):
    """Routes PTB requests to ``fake.handle`` without any network.

    Parameters are taken in their wire form (``RequestData.json_parameters``:
    strings, nested objects JSON-encoded), exactly what PTB's HTTPXRequest
    posts, so both transports exercise the same decoding.  The read timeout is
    enforced, so a "slow" fault longer than it raises ``TimedOut`` like HTTP.
    """

    def __init__(self, fake: FakeBotAPI, *, read_timeout: float | None = 5.0) -> None:
        self.fake = fake
        self._read_timeout = read_timeout
        # Calls the client gave up on keep running, as on a real server.
        self._abandoned: set[asyncio.Task[tuple[int, dict[str, Any]]]] = set()

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Cancel calls still running after their client timed out."""
        for task in list(self._abandoned):
            task.cancel()
        self._abandoned.clear()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        path = urlsplit(url).path
        if "/file/bot" in path:
            # PTB percent-encodes the download URL (the token's ':' becomes %3A).
            return self._download(unquote(path.split("/file/bot", 1)[1]))
        prefix, _, api_method = path.rpartition("/")
        token = prefix.rpartition("/")[2]
        if token != f"bot{self.fake.token}":
            return 401, _dump(_UNAUTHORIZED)
        params = dict(request_data.json_parameters) if request_data else {}
        files = {}
        if request_data is not None and request_data.contains_files:
            for name, (filename, content, mime) in request_data.multipart_data.items():
                data = content if isinstance(content, bytes) else content.read()
                files[name] = (filename, data, mime)
        timeout = self._read_timeout if read_timeout is BaseRequest.DEFAULT_NONE else read_timeout
        call = asyncio.ensure_future(self.fake.handle(api_method, params, files))
        try:
            # shield: a read timeout abandons the answer, not the server-side work.
            status, body = await asyncio.wait_for(asyncio.shield(call), timeout)
        except TimeoutError as exc:
            self._abandoned.add(call)
            call.add_done_callback(self._forget)
            raise TimedOut("Timed out (fake read timeout)") from exc
        except TransportFault as fault:
            if fault.kind == "timeout":
                raise TimedOut("Timed out (injected fault)") from fault
            raise NetworkError("httpx.RemoteProtocolError: connection reset (injected fault)") \
                from fault
        return status, _dump(body)

    def _forget(self, task: asyncio.Task[tuple[int, dict[str, Any]]]) -> None:
        self._abandoned.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: nobody is waiting for it any more

    def _download(self, rest: str) -> tuple[int, bytes]:
        token, _, file_path = rest.partition("/")
        if token != self.fake.token:
            return 401, _dump(_UNAUTHORIZED)
        content = self.fake.file_bytes(file_path)
        if content is None:
            return 404, _dump(_NOT_FOUND)
        return 200, content
