"""Phone verification: the resident shares their own number with the request_contact button.

What is kept is the fact of verification and a slow, salted hash of the number, never the number:
an informant's phone number in a stolen database could be used against them, and screening needs
only "a real, reachable person stands behind this account". With the stored salt the office can
still check a number a reporter gives at the desk (`phone_matches`). PBKDF2 keeps guessing all
Indonesian mobile numbers against a stolen hash expensive.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re

_ROUNDS = 120_000
_SCHEME = "pbkdf2_sha256"


def normalize_phone(number: str) -> str:
    """Digits in international form: "0812-3456 789" and "+62 812 3456 789" both → "628123456789"."""
    digits = re.sub(r"\D", "", number or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


def hash_phone(number: str, *, salt: bytes | None = None, rounds: int = _ROUNDS) -> str:
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", normalize_phone(number).encode(), salt, rounds)
    return f"{_SCHEME}${rounds}${salt.hex()}${digest.hex()}"


def phone_matches(number: str, stored: str | None) -> bool:
    try:
        scheme, rounds, salt, digest = (stored or "").split("$")
        if scheme != _SCHEME:
            return False
        again = hash_phone(number, salt=bytes.fromhex(salt), rounds=int(rounds)).split("$")[3]
    except ValueError:
        return False
    return hmac.compare_digest(again, digest)


def is_own_contact(contact_user_id: int | None, from_user_id: int) -> bool:
    """A shared contact verifies only when it is the sender's own: anyone can share someone else's
    contact card, but only the request_contact button sends one's own with their user id."""
    return contact_user_id is not None and contact_user_id == from_user_id
