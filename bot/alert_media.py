"""Photos for the officers' group: which file to send, and EXIF-free copies of images sent as files.

A photo Telegram received as a *photo* was already re-encoded by Telegram (no EXIF). An image a
resident sent as a *document* is the original file, GPS position and phone model included; that
could identify the resident, so it is never forwarded: it is downloaded, re-encoded here without
metadata, and uploaded as a photo.
"""

from __future__ import annotations

import io
import logging
import warnings

from PIL import Image, ImageOps

log = logging.getLogger("sipoa.dispatcher")

# A resident's phone photo is 12–50 megapixels; anything far above is a decompression bomb (a tiny
# file that inflates to gigabytes). Checked from the header, before any pixel is decoded.
MAX_PIXELS = 60_000_000
# Telegram shrinks photos to 2560 px on the long side anyway; sending less saves the upload.
MAX_SIDE = 2560
JPEG_QUALITY = 88


def clean_image(data: bytes) -> bytes | None:
    """`data` re-encoded as a JPEG without any metadata, upright; None if it is not a usable image."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; treat the warning as refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                width, height = img.size
                if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
                    log.warning("event=photo_refused reason=too_many_pixels size=%sx%s", width, height)
                    return None
                # Apply the EXIF orientation to the pixels, since the EXIF itself is dropped.
                upright = ImageOps.exif_transpose(img)
                rgb = upright.convert("RGB")
                rgb.thumbnail((MAX_SIDE, MAX_SIDE))
                out = io.BytesIO()
                # A fresh image object carries no info/exif; nothing but pixels is written.
                Image.frombytes("RGB", rgb.size, rgb.tobytes()).save(out, "JPEG", quality=JPEG_QUALITY)
                return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        log.warning("event=photo_refused reason=decompression_bomb error=%s", err)
    except Exception as err:  # noqa: BLE001 - any decoder failure means "skip this photo"
        log.warning("event=photo_refused reason=unreadable error=%r", err)
    return None
