"""Error types shared by the fake Bot API modules."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False, "error_code": self.code, "description": self.description
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


def forbidden(reason: str) -> ApiError:
    return ApiError(403, f"Forbidden: {reason}")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


class TransportFault(Exception):
    """Raised by ``FakeBotAPI.handle`` for an injected transport-level fault.

    ``kind`` is "timeout" or "reset".  When the fault fires after the side effect,
    ``response`` holds the (status, body) the server would have sent; a transport
    may still deliver it late (HTTP "timeout") or drop it.
    """

    def __init__(
        self, kind: str, delay: float, response: tuple[int, dict[str, Any]] | None = None
    ):
        super().__init__(f"injected {kind}")
        self.kind = kind
        self.delay = delay
        self.response = response
