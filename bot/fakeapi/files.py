"""In-memory file store of the fake Bot API (file ids, paths, bytes, photo sizes)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from PIL import Image

# Photo size ladder: Telegram keeps thumbnails with these longest sides (s, m, x, y).
_PHOTO_SIDES = (90, 320, 800, 1280)
_MAX_PHOTO_SIDE = 2560
GET_FILE_LIMIT = 20 * 1024 * 1024  # getFile refuses bigger files
UPLOAD_LIMIT = 50 * 1024 * 1024  # multipart uploads above this get 413

_FOLDERS = {
    "photo": ("photos", "jpg"),
    "document": ("documents", ""),
    "sticker": ("stickers", "webp"),
    "voice": ("voice", "oga"),
    "video": ("videos", "mp4"),
    "audio": ("music", "mp3"),
    "animation": ("animations", "mp4"),
}
# Prefixes make ids look like Telegram's (which encode the file type).
_ID_PREFIX = {
    "photo": "AgACAgIAAxkBAA",
    "document": "BQACAgIAAxkBAA",
    "sticker": "CAACAgIAAxkBAA",
    "voice": "AwACAgIAAxkBAA",
    "video": "BAACAgIAAxkBAA",
    "audio": "CQACAgIAAxkBAA",
    "animation": "CgACAgIAAxkBAA",
}


@lru_cache(maxsize=32)
def make_jpeg(width: int, height: int, color: tuple[int, int, int] = (40, 120, 200)) -> bytes:
    """A valid (solid colour, hence small) JPEG of the given size."""
    buf = io.BytesIO()
    Image.new("RGB", (max(width, 1), max(height, 1)), color).save(buf, "JPEG", quality=70)
    return buf.getvalue()


def image_size(content: bytes) -> tuple[int, int] | None:
    """(width, height) if ``content`` is an image Pillow can read, else None."""
    try:
        with Image.open(io.BytesIO(content)) as img:
            img.verify()
            return img.size
    except Exception:  # any decoder failure means "not an image"
        return None


def _resized_jpeg(content: bytes, width: int, height: int) -> bytes:
    with Image.open(io.BytesIO(content)) as img:
        small = img.convert("RGB").resize((width, height))
    buf = io.BytesIO()
    small.save(buf, "JPEG", quality=70)
    return buf.getvalue()


@dataclass(frozen=True)
class FileRecord:
    file_id: str
    file_unique_id: str
    kind: str
    content: bytes
    file_size: int
    file_path: str
    mime_type: str | None = None
    file_name: str | None = None
    width: int | None = None
    height: int | None = None

    def photo_size(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "width": self.width,
            "height": self.height,
            "file_size": self.file_size,
        }

    def document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.file_name:
            doc["file_name"] = self.file_name
        if self.mime_type:
            doc["mime_type"] = self.mime_type
        doc["file_size"] = self.file_size
        return doc

    def get_file(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
            "file_path": self.file_path,
        }


class FileStore:
    """Files by file_id and by file_path.  Callers serialise access (FakeBotAPI's lock)."""

    def __init__(self) -> None:
        self._by_id: dict[str, FileRecord] = {}
        self._by_path: dict[str, FileRecord] = {}
        self._photo_sets: dict[str, list[FileRecord]] = {}  # any size's id -> all sizes
        self._counter = 0

    def _next(self) -> int:
        self._counter += 1
        return self._counter

    def _new_id(self, kind: str, n: int) -> str:
        digest = hashlib.sha1(f"{kind}:{n}".encode()).hexdigest()[:24]
        return f"{_ID_PREFIX.get(kind, 'BQACAgIAAxkBAA')}{n:06d}{digest}"

    def add(
        self,
        kind: str,
        content: bytes,
        *,
        mime_type: str | None = None,
        file_name: str | None = None,
        width: int | None = None,
        height: int | None = None,
        file_size: int | None = None,
    ) -> FileRecord:
        n = self._next()
        folder, ext = _FOLDERS.get(kind, ("documents", ""))
        if not ext and file_name and "." in file_name:
            ext = file_name.rsplit(".", 1)[1]
        path = f"{folder}/file_{n}" + (f".{ext}" if ext else "")
        unique = "AQAD" + hashlib.sha1(f"u:{kind}:{n}".encode()).hexdigest()[:12]
        rec = FileRecord(
            file_id=self._new_id(kind, n),
            file_unique_id=unique,
            kind=kind,
            content=content,
            file_size=len(content) if file_size is None else file_size,
            file_path=path,
            mime_type=mime_type,
            file_name=file_name,
            width=width,
            height=height,
        )
        self._by_id[rec.file_id] = rec
        self._by_path[path] = rec
        return rec

    def alias(self, rec: FileRecord) -> FileRecord:
        """The same file under a new file_id (what Telegram returns when a file is re-sent)."""
        new = replace(rec, file_id=self._new_id(rec.kind, self._next()))
        self._by_id[new.file_id] = new
        return new

    def resend_photo(self, file_id: str) -> list[FileRecord]:
        """All sizes of the photo ``file_id`` belongs to, under new file_ids."""
        old = self._photo_sets.get(file_id) or [self._by_id[file_id]]
        new = [self.alias(rec) for rec in old]
        for rec in new:
            self._photo_sets[rec.file_id] = new
        return new

    def get(self, file_id: str) -> FileRecord | None:
        return self._by_id.get(file_id)

    def by_path(self, file_path: str) -> FileRecord | None:
        return self._by_path.get(file_path)

    def add_photo(
        self, content: bytes | None, width: int, height: int, *, must_be_image: bool = False
    ) -> list[FileRecord] | None:
        """Register a photo and its thumbnail ladder; returns PhotoSize records (small first).

        ``content=None`` generates a JPEG of width x height.  Returns None when
        ``must_be_image`` and the bytes are not a readable image.
        """
        real = image_size(content) if content is not None else None
        if content is not None and real is None and must_be_image:
            return None
        if real:
            width, height = real
        longest = max(width, height)
        top = min(longest, _MAX_PHOTO_SIDE)
        sides = [s for s in _PHOTO_SIDES if s < top] + [top]
        records = []
        for side in sides:
            w, h = max(1, round(width * side / longest)), max(1, round(height * side / longest))
            if content is None:
                data = make_jpeg(w, h)
            elif real is None or (w, h) == (width, height):
                data = content
            else:
                data = _resized_jpeg(content, w, h)
            records.append(self.add("photo", data, mime_type="image/jpeg", width=w, height=h))
        for rec in records:
            self._photo_sets[rec.file_id] = records
        return records
