#!/usr/bin/env python3
"""Prints how much of a PNG is drawn: `ink=<share of non-white pixels> colours=<distinct colours>`,
then `#RRGGBB=<pixels>` for each colour given after the file (the chart's part colours).

Decodes 8-bit RGB/RGBA PNGs (what rsvg-convert writes) with the standard library only, so that the
chart tests need no imaging package. Exit 2 for a PNG it cannot read.
"""
import struct
import sys
import zlib


def pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour not in (2, 6):
                print(f"{path}: only 8-bit RGB or RGBA is read (depth {depth}, colour type {colour})", file=sys.stderr)
                sys.exit(2)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = width * channels
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):  # PNG filters (RFC 2083, 6.2-6.6)
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def main():
    width, height, channels, rows = pixels(sys.argv[1])
    wanted = {bytes.fromhex(c.lstrip("#")): c for c in sys.argv[2:]}
    counts = {c: 0 for c in sys.argv[2:]}
    ink, colours = 0, set()
    for line in rows:
        for x in range(0, width * channels, channels):
            px = bytes(line[x:x + 3])
            alpha = line[x + 3] if channels == 4 else 255
            if alpha > 0 and px != b"\xff\xff\xff":
                ink += 1
                colours.add(px)
                if alpha == 255 and px in wanted:
                    counts[wanted[px]] += 1
    print(f"ink={ink / (width * height):.4f} colours={len(colours)}" +
          "".join(f" {c}={n}" for c, n in counts.items()))


if __name__ == "__main__":
    main()
