"""Image files for tests, made with Pillow: phone photos with GPS, bombs, impostors."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def phone_photo(width=1600, height=1200, *, orientation=6, name="IMG_0001.jpg"):
    """A JPEG as a phone writes it: GPS position, camera make, rotated by EXIF."""
    image = Image.new("RGB", (width, height), (200, 120, 40))
    image.paste((20, 60, 160), (0, 0, width // 2, height // 2))  # a marker: top-left is blue
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update(
        {1: "N", 2: (52.0, 37.0, 41.0), 3: "E", 4: (1.0, 17.0, 57.0)}  # Norwich
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def png_bomb(width=100_000, height=100_000, name="bomb.png"):
    """A tiny file that claims ten billion pixels (a decompression bomb)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )
    return SimpleUploadedFile(name, data, content_type="image/png")


def not_an_image(name="portrait.jpg"):
    return SimpleUploadedFile(name, b"%PDF-1.4 this is not a photo", content_type="image/jpeg")


def png_html_polyglot(name="innocent.png"):
    """A valid PNG that is also a web page: markup after the image data."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (10, 200, 10)).save(buffer, "PNG")
    payload = b"<html><body><script>alert(document.cookie)</script></body></html>"
    return SimpleUploadedFile(name, buffer.getvalue() + payload, content_type="image/png")


def svg_with_script(name="logo.svg"):
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
           b"<script>alert(1)</script><rect width='10' height='10'/></svg>")  # fmt: skip
    return SimpleUploadedFile(name, svg, content_type="image/svg+xml")


def truncated_jpeg(name="cut.jpg"):
    photo = phone_photo(800, 600, orientation=1).read()
    return SimpleUploadedFile(name, photo[: len(photo) // 2], content_type="image/jpeg")


def image_with_extension(extension: str):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(f"photo.{extension}", buffer.getvalue())
