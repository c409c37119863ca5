"""Local fake of the Telegram Bot API, shared by the tests and ``sipoa demo``.

* :class:`FakeBotAPI` - state, validation, user simulation, fault injection.
* :class:`FakeRequest` - in-process PTB transport (no sockets).
* :class:`FakeBotServer` / :class:`ThreadedFakeBotServer` - the same over HTTP
  on 127.0.0.1 (aiohttp; a test/dev dependency).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .core import FAULT_KINDS, CallRecord, FakeBotAPI
from .errors import ApiError, TransportFault
from .htmlcheck import HTMLParseError, html_to_plain, parse_html, utf16_len
from .transport import FakeRequest
from .validation import UploadedFile

if TYPE_CHECKING:
    from .server import FakeBotServer, ThreadedFakeBotServer

__all__ = [
    "FAULT_KINDS",
    "ApiError",
    "CallRecord",
    "FakeBotAPI",
    "FakeBotServer",
    "FakeRequest",
    "HTMLParseError",
    "ThreadedFakeBotServer",
    "TransportFault",
    "UploadedFile",
    "html_to_plain",
    "parse_html",
    "utf16_len",
]


def __getattr__(name: str) -> Any:
    # The HTTP server needs aiohttp (a dev extra); import it only when asked for.
    if name in ("FakeBotServer", "ThreadedFakeBotServer"):
        from . import server

        return getattr(server, name)
    raise AttributeError(name)
