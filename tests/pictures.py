"""Looking at a PNG as a person would: is there text where the labels belong?"""

from __future__ import annotations

import io

from PIL import Image


def ink_share(png: bytes, left: float, top: float, right: float, bottom: float) -> float:
    """Share of dark pixels (text, not the pale bars or grid) in a box given as fractions of the image."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    band = image.crop((int(left * width), int(top * height), int(right * width), int(bottom * height)))
    pixels = band.tobytes()
    return sum(1 for p in pixels if p < 110) / max(1, len(pixels))


def has_label_bands(png: bytes) -> bool:
    """The category labels at the left and the tick labels at the bottom are both drawn."""
    return ink_share(png, 0.0, 0.1, 0.12, 0.85) > 0.02 and ink_share(png, 0.2, 0.8, 1.0, 1.0) > 0.005
