#!/usr/bin/python3
"""Reference images for the Java preprocessing tests, made with Pillow 9.4 (Debian bookworm's python3-pil, the
version the golden fixture used): `apt-get install -y python3-pil python3-numpy icc-profiles-free` (the last for
an Adobe RGB ICC profile to embed), then run this script from any directory. It rewrites resize/ and decode/ beside itself; the outputs are committed, so the tests never need
Python.

resize/: random RGB sources and Pillow's `Image.resize((w, h), Image.BILINEAR)` of them (odd sizes, up- and
down-scaling, extreme aspect ratios, 1-pixel sides, one axis unchanged).

decode/: one input file per format/mode and Pillow's `Image.open(f).convert("RGB")` of it as an RGB PNG
(`ImageOps.exif_transpose` first for the files whose names start with `exif`). Formats Pillow cannot write
(16-bit RGB/RGBA/LA PNG, 16-bit BMP bit fields) are assembled here byte by byte and then read by Pillow.
decode/jpeg_ycck.jpg is the one input not made here: Pillow cannot write YCCK, so it was written once by the
JDK's JPEG writer (a 4-band raster of six flat 16x16 blocks, Adobe APP14 transform 2); it is kept and only its
expected output is made here.
"""
import io
import json
import os
import struct
import zlib

import numpy as np
from PIL import Image, ImageOps, features

assert Image.__version__ == "9.4.0", Image.__version__
assert features.check("webp"), "this Pillow build cannot write WebP"

HERE = os.path.dirname(os.path.abspath(__file__))
ADOBE_RGB_ICC = "/usr/share/color/icc/compatibleWithAdobeRGB1998.icc"
rng = np.random.default_rng(20240611)


def noise_rgb(w, h):
    """Random pixels over a smooth gradient: the noise makes every filter tap count."""
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([x * 255 // max(w - 1, 1), y * 255 // max(h - 1, 1), (x + y) * 127 // max(w + h - 2, 1)], -1)
    noise = rng.integers(-60, 61, size=(h, w, 3))
    return Image.fromarray(np.clip(base + noise, 0, 255).astype(np.uint8), "RGB")


def write_resize_cases():
    out = os.path.join(HERE, "resize")
    os.makedirs(out, exist_ok=True)
    # source (w, h) -> list of targets (w, h)
    cases = {
        (1, 1): [(1, 5), (16, 16), (3, 1)],
        (7, 1): [(1, 1), (16, 3), (7, 4)],
        (1, 9): [(1, 1), (5, 2), (2, 9)],
        (5, 3): [(5, 3), (16, 48), (4, 3), (5, 2), (2, 1)],
        (33, 77): [(112, 272), (80, 192), (16, 32), (33, 16), (48, 77), (1, 1)],
        (160, 90): [(240, 128), (160, 96), (336, 192), (17, 9), (1, 90), (160, 1)],
        (190, 176): [(176, 176), (272, 240), (128, 128), (190, 16), (64, 176), (47, 301)],
        (300, 7): [(1024, 16), (16, 16), (150, 7), (299, 8)],
        (6, 257): [(16, 1024), (16, 256), (6, 64), (2, 257)],
        (400, 301): [(21, 13), (176, 144), (401, 300)],
    }
    manifest = []
    for (sw, sh), targets in cases.items():
        src = noise_rgb(sw, sh)
        src_name = f"src_{sw}x{sh}.png"
        src.save(os.path.join(out, src_name))
        for tw, th in targets:
            name = f"bilinear_{sw}x{sh}_to_{tw}x{th}.png"
            src.resize((tw, th), Image.BILINEAR).save(os.path.join(out, name))
            manifest.append({"source": src_name, "width": tw, "height": th, "expected": name})
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_rows(array, bit_depth):
    """Raw scanlines of a (h, w, c) array: big-endian samples, sub-byte depths packed MSB first."""
    if bit_depth == 16:
        return [row.astype(">u2").tobytes() for row in array]
    if bit_depth == 8:
        return [row.astype("u1").tobytes() for row in array]
    per_byte = 8 // bit_depth
    rows = []
    for row in array[..., 0]:
        padded = np.concatenate([row, np.zeros((-len(row)) % per_byte, row.dtype)]).reshape(-1, per_byte)
        shifts = np.arange(per_byte - 1, -1, -1) * bit_depth
        rows.append((padded.astype(np.uint16) << shifts).sum(axis=1).astype("u1").tobytes())
    return rows


def raw_png(array, color_type, bit_depth, extra_chunks=(), interlaced=False):
    """A PNG from a (h, w, c) array, filter 0 on every row; Adam7 if interlaced."""
    h, w = array.shape[:2]
    if interlaced:
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        sub_images = [array[y0::dy, x0::dx] for x0, y0, dx, dy in passes]
        rows = [r for sub in sub_images if sub.size for r in png_rows(sub, bit_depth)]
    else:
        rows = png_rows(array, bit_depth)
    data = b"".join(b"\x00" + r for r in rows)
    ihdr = struct.pack(">IIBBBBB", w, h, bit_depth, color_type, 0, 0, 1 if interlaced else 0)
    chunks = [png_chunk(b"IHDR", ihdr), *extra_chunks, png_chunk(b"IDAT", zlib.compress(data)), png_chunk(b"IEND", b"")]
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def bmp_565(array):
    """A 16-bit BI_BITFIELDS (5-6-5) BMP from a (h, w, 3) uint8 array."""
    h, w = array.shape[:2]
    r = array[..., 0].astype(np.uint16) >> 3
    g = array[..., 1].astype(np.uint16) >> 2
    b = array[..., 2].astype(np.uint16) >> 3
    pixels = (r << 11) | (g << 5) | b
    stride = (w * 2 + 3) & ~3
    rows = b"".join(pixels[y].astype("<u2").tobytes().ljust(stride, b"\x00") for y in range(h - 1, -1, -1))
    header_size = 14 + 40 + 12
    info = struct.pack("<IiiHHIIiiII", 40, w, h, 1, 16, 3, len(rows), 2835, 2835, 0, 0)
    masks = struct.pack("<III", 0xF800, 0x07E0, 0x001F)
    return b"BM" + struct.pack("<IHHI", header_size + len(rows), 0, 0, header_size) + info + masks + rows


def gif_on_screen(gif, screen_width, screen_height, left, top):
    """A one-frame GIF with its logical screen and the frame position rewritten."""
    d = bytearray(gif)
    d[6:10] = struct.pack("<HH", screen_width, screen_height)
    p = 13 + (3 * (2 << (d[10] & 7)) if d[10] & 0x80 else 0)
    while d[p] == 0x21:  # extensions
        p += 2
        while d[p]:
            p += d[p] + 1
        p += 1
    assert d[p] == 0x2C
    d[p + 1:p + 5] = struct.pack("<HH", left, top)
    return bytes(d)


def exif_with_orientation(orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


def quadrants(w, h):
    """Four flat colours, block-aligned for JPEG, plus a marker square: every flip and rotation looks different."""
    a = np.zeros((h, w, 3), np.uint8)
    a[: h // 2, : w // 2] = (220, 30, 30)
    a[: h // 2, w // 2:] = (30, 200, 40)
    a[h // 2:, : w // 2] = (40, 40, 210)
    a[h // 2:, w // 2:] = (230, 220, 50)
    a[:8, :8] = (255, 255, 255)
    return Image.fromarray(a, "RGB")


def write_decode_cases():
    out = os.path.join(HERE, "decode")
    os.makedirs(out, exist_ok=True)
    manifest = []

    def add(name, data, exact, note):
        if data is None:  # kept input, see the module docstring
            with open(os.path.join(out, name), "rb") as f:
                data = f.read()
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        im = Image.open(io.BytesIO(data))
        if name.startswith("exif"):
            im = ImageOps.exif_transpose(im)
        expected = name.rsplit(".", 1)[0] + ".expected.png"
        # a fresh image: convert() keeps info such as "transparency", which PNG cannot store for every mode
        Image.fromarray(np.asarray(im.convert("RGB"))).save(os.path.join(out, expected))
        manifest.append({"input": name, "expected": expected, "exact": exact, "note": note})

    def saved(im, fmt, **kw):
        buf = io.BytesIO()
        im.save(buf, fmt, **kw)
        return buf.getvalue()

    rgb = noise_rgb(37, 23)
    arr = np.asarray(rgb)
    alpha = rng.integers(0, 256, size=(23, 37), dtype=np.uint8)
    alpha[0, :5] = 0  # fully transparent pixels keep their colour in convert("RGB")
    rgba = Image.fromarray(np.dstack([arr, alpha]), "RGBA")
    grey = rgb.convert("L")
    palette = rgb.quantize(colors=50)

    # PNG
    add("png_rgb8.png", saved(rgb, "PNG"), True, "8-bit RGB")
    add("png_rgba8.png", saved(rgba, "PNG"), True, "8-bit RGBA: alpha dropped, colour kept")
    add("png_grey8.png", saved(grey, "PNG"), True, "8-bit greyscale")
    add("png_grey_alpha8.png", saved(Image.merge("LA", [grey, Image.fromarray(alpha)]), "PNG"), True, "LA")
    add("png_grey1.png", saved(grey.convert("1"), "PNG"), True, "1-bit greyscale")
    for bits in (2, 4):
        levels = (1 << bits) - 1
        g = (np.asarray(grey).astype(np.uint16) * levels // 255)[..., None]
        add(f"png_grey{bits}.png", raw_png(g, 0, bits),
            True, f"{bits}-bit greyscale")
    add("png_palette8.png", saved(palette, "PNG"), True, "palette")
    pal_t = palette.copy()
    pal_t.info["transparency"] = 3
    add("png_palette8_trns.png", saved(pal_t, "PNG", transparency=3), True, "palette with a transparent index")
    add("png_palette4.png", saved(rgb.quantize(colors=12), "PNG", bits=4), True, "4-bit palette")
    add("png_grey8_trns.png", saved(grey, "PNG", transparency=77), True, "greyscale with a tRNS grey value")
    add("png_rgb8_trns.png", saved(rgb, "PNG", transparency=(10, 20, 30)), True, "RGB with a tRNS colour")
    wide = (arr.astype(np.uint16) * 257 + rng.integers(0, 256, size=arr.shape)).astype(np.uint16)
    add("png_rgb16.png", raw_png(wide, 2, 16), True, "16-bit RGB: Pillow keeps the high byte")
    add("png_rgba16.png", raw_png(np.dstack([wide, alpha.astype(np.uint16) * 257]), 6, 16), True,
        "16-bit RGBA: high byte")
    grey16 = rng.integers(0, 400, size=(23, 37, 1)).astype(np.uint16)
    grey16[0, 0:3, 0] = (0, 255, 65535)
    add("png_grey16.png", raw_png(grey16, 0, 16), True, "16-bit greyscale: Pillow clips to 0..255, it does not scale")
    add("png_grey16_trns.png", raw_png(grey16, 0, 16, [png_chunk(b"tRNS", struct.pack(">H", 100))]), True,
        "16-bit greyscale with tRNS: still clipped")
    add("png_grey_alpha16.png", raw_png(np.dstack([wide[..., :1], wide[..., 1:2]]), 4, 16), True,
        "16-bit grey+alpha: high byte")
    add("png_interlaced.png", raw_png(arr, 2, 8, interlaced=True), True, "Adam7 interlaced RGB")

    # GIF, BMP
    add("gif_palette.gif", saved(palette, "GIF"), True, "first (only) frame")
    frames = [rgb.quantize(colors=30), noise_rgb(37, 23).quantize(colors=30)]
    add("gif_animated.gif", saved(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100), True,
        "animated: first frame")
    small = Image.fromarray(np.asarray(palette)[:9, :13], "P")
    small.putpalette(palette.getpalette())
    add("gif_frame_offset.gif", gif_on_screen(saved(small, "GIF"), 30, 20, 11, 6), True,
        "first frame smaller than the screen: uncovered area is palette index 0")
    with_transparency = saved(small, "GIF", transparency=int(np.asarray(small)[4, 6]), optimize=False)
    add("gif_frame_offset_transparent.gif", gif_on_screen(with_transparency, 30, 20, 11, 6), True,
        "same with a transparent index: uncovered area is that index")
    add("gif_frame_beyond_screen.gif", gif_on_screen(saved(small, "GIF"), 16, 8, 7, 3), True,
        "frame sticking out of the screen: Pillow grows the canvas")
    add("bmp_rgb24.bmp", saved(rgb, "BMP"), True, "24-bit")
    add("bmp_palette8.bmp", saved(palette, "BMP"), True, "8-bit palette")
    add("bmp_grey8.bmp", saved(grey, "BMP"), True, "8-bit greyscale (palette)")
    add("bmp_565.bmp", bmp_565(arr), True, "16-bit 5-6-5 bit fields")

    # WebP
    add("webp_lossless_rgb.webp", saved(rgb, "WEBP", lossless=True), True, "lossless RGB")
    add("webp_lossless_rgba.webp", saved(rgba, "WEBP", lossless=True, exact=True), True,
        "lossless RGBA, colour of transparent pixels kept")
    add("webp_lossy_rgb.webp", saved(rgb, "WEBP", quality=90), False, "lossy (VP8): decoder differs from libwebp")
    add("webp_lossy_rgba.webp", saved(rgba, "WEBP", quality=90), False, "lossy with alpha (VP8X + ALPH)")

    # JPEG: libjpeg-turbo in Pillow, the JDK's libjpeg 6b in Java; both use the same integer IDCT and upsampling
    photo = noise_rgb(64, 48)
    add("jpeg_444.jpg", saved(photo, "JPEG", quality=92, subsampling=0), True, "4:4:4 baseline")
    add("jpeg_420.jpg", saved(photo, "JPEG", quality=92, subsampling=2), True, "4:2:0 baseline")
    add("jpeg_422.jpg", saved(photo, "JPEG", quality=92, subsampling=1), True, "4:2:2 baseline")
    add("jpeg_progressive.jpg", saved(photo, "JPEG", quality=92, progressive=True), True, "progressive 4:2:0")
    add("jpeg_grey.jpg", saved(photo.convert("L"), "JPEG", quality=92), True, "greyscale")
    cmyk_blocks = rng.integers(0, 256, size=(2, 3, 4), dtype=np.uint8).repeat(16, axis=0).repeat(16, axis=1)
    add("jpeg_cmyk.jpg", saved(Image.fromarray(cmyk_blocks, "CMYK"), "JPEG", quality=95), True,
        "Adobe CMYK (inverted) with black ink: Pillow's own CMYK->RGB formula")
    with open(ADOBE_RGB_ICC, "rb") as f:
        icc = f.read()
    add("jpeg_adobe_rgb_icc.jpg", saved(photo, "JPEG", quality=92, icc_profile=icc), True,
        "embedded Adobe RGB profile: ignored by Pillow, so the stored values")
    add("png_adobe_rgb_icc.png", saved(rgb, "PNG", icc_profile=icc), True, "iCCP chunk: ignored, as by Pillow")
    add("jpeg_ycck.jpg", None, True, "Adobe YCCK (Photoshop's CMYK JPEG): libjpeg's YCC tables, then as CMYK")

    # EXIF orientation: every tag value on JPEG, one each on PNG eXIf and WebP
    q = quadrants(48, 32)
    for o in range(1, 9):
        add(f"exif_jpeg_orientation{o}.jpg", saved(q, "JPEG", quality=95, exif=exif_with_orientation(o)), True,
            f"EXIF orientation {o}")
    add("exif_png_orientation6.png", saved(q, "PNG", exif=exif_with_orientation(6)), True, "eXIf chunk")
    add("exif_webp_orientation8.webp", saved(q, "WEBP", lossless=True, exif=exif_with_orientation(8)), True,
        "WebP EXIF chunk")

    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    write_resize_cases()
    write_decode_cases()
