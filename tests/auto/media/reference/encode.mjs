// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The reference BlurHash encoder (npm blurhash, the version package-lock.json pins) over raw
// RGBA pictures, for tst_blurhash. Usage: node encode.mjs LIST.json, where the list holds
// [{ "file": ".../x.rgba", "width": W, "height": H, "x": CX, "y": CY }, ...]; prints one hash
// per line, in order.
import { readFileSync } from "node:fs";
import { encode } from "blurhash";

const list = JSON.parse(readFileSync(process.argv[2], "utf8"));
for (const entry of list) {
    const pixels = new Uint8ClampedArray(readFileSync(entry.file));
    console.log(encode(pixels, entry.width, entry.height, entry.x, entry.y));
}
