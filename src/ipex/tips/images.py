"""Photos without their metadata: re-encoded from the pixels alone, so EXIF (with GPS
position, camera serial number, time), XMP, IPTC, comments and ICC profiles are all gone.
Orientation is applied first, so the picture still stands the right way up."""

from __future__ import annotations

import io

from PIL import Image, ImageOps

MAX_PIXELS = 60_000_000


def strip_metadata(data: bytes, content_type: str) -> bytes:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        upright = ImageOps.exif_transpose(image)
        mode = upright.mode
        if content_type == "image/jpeg" and mode not in {"RGB", "L", "CMYK"}:
            upright = upright.convert("RGB")
            mode = "RGB"
        clean = Image.frombytes(mode, upright.size, upright.tobytes())
        if mode == "P":
            clean.putpalette(upright.getpalette())
    out = io.BytesIO()
    if content_type == "image/jpeg":
        clean.save(out, format="JPEG", quality=90)
    else:
        clean.save(out, format="PNG")
    return out.getvalue()
