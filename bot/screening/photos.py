"""Perceptual hashes: the same picture after re-encoding, resizing or recompression.

Telegram's file_unique_id catches the very same file; a photo saved and sent again gets a new one,
so the downloaded bytes are hashed too (64-bit pHash, compared by Hamming distance).
"""

from __future__ import annotations

import io

import imagehash
from PIL import Image, UnidentifiedImageError


def phash_hex(data: bytes) -> str | None:
    """16 hex digits of the image's perceptual hash, or None if the bytes are not an image."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.draft("L", (128, 128))  # JPEG: decode at a reduced size, it is all pHash looks at
            return str(imagehash.phash(img.convert("L")))
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def hamming(a: str, b: str) -> int:
    """Bits that differ between two hex hashes (of equal length)."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def same_picture(a: str | None, b: str | None, *, max_distance: int) -> bool:
    return a is not None and b is not None and len(a) == len(b) and hamming(a, b) <= max_distance
