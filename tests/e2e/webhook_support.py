"""Helpers of the webhook tests: free ports, waiting for a replica to listen, and an update posted
by hand (not through the fake's users), as a stranger who found the webhook's URL would."""

from __future__ import annotations

import socket
import time

SECRET = "rahasia_replika-42"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def message_update(update_id: int, user_id: int, words: str) -> dict:
    user = {"id": user_id, "is_bot": False, "first_name": "Mallory"}
    return {"update_id": update_id, "message": {"message_id": 1, "date": int(time.time()), "text": words,
                                                "chat": {"id": user_id, "type": "private", "first_name": "Mallory"},
                                                "from": user}}
