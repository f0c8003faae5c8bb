#!/usr/bin/env python3
"""Draws the sample pictures the `dev` command feeds (self-made, so they can be shipped freely: CC0).

Simple flat drawings of things the sample label set names: a cat, a car, a document, a person, a house with a
tree, a dog. Run with Debian's Pillow (apt-get install python3-pil) from the repository root:

    /usr/bin/python3 samples/make_samples.py src/main/resources/org/fgclip2/app/dev/samples
"""
import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def cat(d, w, h):
    d.rectangle([0, 0, w, h], fill=(170, 205, 230))
    d.rectangle([0, h * 0.75, w, h], fill=(120, 90, 60))
    cx, cy, r = w / 2, h * 0.48, h * 0.26
    d.polygon([(cx - r, cy - r * 0.3), (cx - r * 0.75, cy - r * 1.45), (cx - r * 0.15, cy - r * 0.85)], fill=(230, 140, 50))
    d.polygon([(cx + r, cy - r * 0.3), (cx + r * 0.75, cy - r * 1.45), (cx + r * 0.15, cy - r * 0.85)], fill=(230, 140, 50))
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(240, 150, 60))
    for sx in (-1, 1):
        d.ellipse([cx + sx * r * 0.45 - 14, cy - r * 0.25 - 18, cx + sx * r * 0.45 + 14, cy - r * 0.25 + 18], fill=(40, 160, 60))
        d.ellipse([cx + sx * r * 0.45 - 4, cy - r * 0.25 - 14, cx + sx * r * 0.45 + 4, cy - r * 0.25 + 14], fill=(0, 0, 0))
        for k in (-1, 0, 1):
            d.line([cx + sx * r * 0.25, cy + r * 0.25, cx + sx * r * 1.3, cy + r * 0.15 + k * 18], fill=(30, 30, 30), width=3)
    d.polygon([(cx - 12, cy + r * 0.1), (cx + 12, cy + r * 0.1), (cx, cy + r * 0.25)], fill=(230, 90, 120))
    d.ellipse([cx - r * 0.9, cy + r * 0.8, cx + r * 0.9, cy + r * 2.2], fill=(240, 150, 60))


def car(d, w, h):
    d.rectangle([0, 0, w, h * 0.7], fill=(150, 200, 255))
    d.rectangle([0, h * 0.7, w, h], fill=(80, 80, 85))
    for x in range(0, w, 60):
        d.rectangle([x, h * 0.84, x + 30, h * 0.86], fill=(240, 240, 240))
    d.rounded_rectangle([w * 0.12, h * 0.45, w * 0.88, h * 0.72], 30, fill=(200, 20, 30))
    d.polygon([(w * 0.3, h * 0.46), (w * 0.38, h * 0.28), (w * 0.64, h * 0.28), (w * 0.74, h * 0.46)], fill=(200, 20, 30))
    d.polygon([(w * 0.33, h * 0.45), (w * 0.4, h * 0.31), (w * 0.5, h * 0.31), (w * 0.5, h * 0.45)], fill=(190, 230, 250))
    d.polygon([(w * 0.53, h * 0.45), (w * 0.53, h * 0.31), (w * 0.62, h * 0.31), (w * 0.7, h * 0.45)], fill=(190, 230, 250))
    for x in (0.28, 0.72):
        d.ellipse([w * x - 45, h * 0.64, w * x + 45, h * 0.64 + 90], fill=(20, 20, 20))
        d.ellipse([w * x - 20, h * 0.64 + 25, w * x + 20, h * 0.64 + 65], fill=(180, 180, 180))
    d.ellipse([w * 0.84, h * 0.52, w * 0.88, h * 0.57], fill=(255, 240, 150))


def document(d, w, h):
    d.rectangle([0, 0, w, h], fill=(90, 70, 55))
    d.rectangle([w * 0.18, h * 0.06, w * 0.82, h * 0.94], fill=(252, 252, 248))
    big = ImageFont.truetype(FONT, 30)
    small = ImageFont.truetype(FONT, 15)
    d.text((w * 0.23, h * 0.1), "INVOICE No. 2026-114", fill=(20, 20, 20), font=big)
    lines = ["Date: 29 November 2026", "Bill to: Example Logistics Ltd.", "", "Item            Qty    Price",
             "Camera module     2    149.00", "Storage 1 TB      1     89.50", "Shipping          1     12.00", "",
             "Total due                 399.50", "", "Payment within 30 days.", "Thank you for your business."]
    for i, line in enumerate(lines):
        d.text((w * 0.23, h * 0.22 + i * 24), line, fill=(40, 40, 40), font=small)


def person(d, w, h):
    d.rectangle([0, 0, w, h], fill=(235, 230, 215))
    cx = w / 2
    d.ellipse([cx - 45, h * 0.12, cx + 45, h * 0.12 + 100], fill=(240, 200, 170))
    d.ellipse([cx - 48, h * 0.1, cx + 48, h * 0.1 + 45], fill=(70, 45, 30))
    d.ellipse([cx - 20, h * 0.12 + 40, cx - 10, h * 0.12 + 52], fill=(30, 30, 30))
    d.ellipse([cx + 10, h * 0.12 + 40, cx + 20, h * 0.12 + 52], fill=(30, 30, 30))
    d.arc([cx - 20, h * 0.12 + 55, cx + 20, h * 0.12 + 80], 20, 160, fill=(150, 50, 50), width=3)
    d.rounded_rectangle([cx - 70, h * 0.12 + 105, cx + 70, h * 0.7], 25, fill=(40, 90, 170))
    d.rectangle([cx - 60, h * 0.7, cx - 10, h * 0.95], fill=(50, 50, 60))
    d.rectangle([cx + 10, h * 0.7, cx + 60, h * 0.95], fill=(50, 50, 60))
    d.rectangle([cx - 110, h * 0.12 + 115, cx - 72, h * 0.55], fill=(40, 90, 170))
    d.rectangle([cx + 72, h * 0.12 + 115, cx + 110, h * 0.55], fill=(40, 90, 170))


def house(d, w, h):
    d.rectangle([0, 0, w, h], fill=(140, 200, 250))
    d.ellipse([w * 0.78, h * 0.06, w * 0.92, h * 0.06 + w * 0.14], fill=(255, 220, 60))
    d.rectangle([0, h * 0.75, w, h], fill=(90, 170, 70))
    d.rectangle([w * 0.15, h * 0.45, w * 0.55, h * 0.78], fill=(230, 210, 170))
    d.polygon([(w * 0.1, h * 0.46), (w * 0.35, h * 0.22), (w * 0.6, h * 0.46)], fill=(160, 50, 40))
    d.rectangle([w * 0.3, h * 0.6, w * 0.4, h * 0.78], fill=(110, 70, 40))
    d.rectangle([w * 0.19, h * 0.52, w * 0.27, h * 0.6], fill=(190, 230, 250))
    d.rectangle([w * 0.44, h * 0.52, w * 0.52, h * 0.6], fill=(190, 230, 250))
    d.rectangle([w * 0.76, h * 0.5, w * 0.8, h * 0.78], fill=(110, 75, 40))
    d.ellipse([w * 0.66, h * 0.25, w * 0.9, h * 0.56], fill=(40, 130, 50))


def dog(d, w, h):
    d.rectangle([0, 0, w, h], fill=(200, 230, 180))
    body = (150, 100, 55)
    d.ellipse([w * 0.25, h * 0.42, w * 0.75, h * 0.72], fill=body)
    for x in (0.32, 0.42, 0.58, 0.68):
        d.rectangle([w * x - 10, h * 0.62, w * x + 10, h * 0.88], fill=body)
    d.line([w * 0.74, h * 0.5, w * 0.86, h * 0.36], fill=body, width=14)
    d.ellipse([w * 0.12, h * 0.26, w * 0.38, h * 0.52], fill=body)
    d.ellipse([w * 0.06, h * 0.38, w * 0.2, h * 0.48], fill=(130, 85, 45))
    d.ellipse([w * 0.05, h * 0.39, w * 0.09, h * 0.43], fill=(20, 20, 20))
    d.polygon([(w * 0.28, h * 0.3), (w * 0.4, h * 0.27), (w * 0.36, h * 0.52)], fill=(90, 55, 25))
    d.ellipse([w * 0.2, h * 0.33, w * 0.24, h * 0.37], fill=(20, 20, 20))


PICTURES = {"cat": (cat, 512, 448), "car": (car, 640, 400), "document": (document, 480, 640),
            "person": (person, 384, 512), "house": (house, 600, 420), "dog": (dog, 560, 420)}

if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    for name, (draw, w, h) in PICTURES.items():
        image = Image.new("RGB", (w, h))
        draw(ImageDraw.Draw(image), w, h)
        image.save(out / f"{name}.png", optimize=True)
        print(out / f"{name}.png")
