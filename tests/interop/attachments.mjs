// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Encrypted attachments with the two peers Matrix clients use (test_attachments.sh):
// matrix-encrypt-attachment (Element Web) and the Rust SDK's Attachment from
// @matrix-org/matrix-sdk-crypto-wasm. Files in, files out; the shell script compares hashes.
//
//   node attachments.mjs decrypt LIB INFO.json CIPHERTEXT PLAINTEXT
//       decrypts CIPHERTEXT with the EncryptedFile in INFO.json (an object, or one with `file`)
//   node attachments.mjs encrypt LIB PLAINTEXT CIPHERTEXT INFO.json
//       encrypts PLAINTEXT, writing the ciphertext and the EncryptedFile (without url)
// LIB is "element" (matrix-encrypt-attachment) or "rust" (matrix-sdk-crypto-wasm).
import { readFileSync, writeFileSync } from "node:fs";
import * as element from "matrix-encrypt-attachment";
import * as rust from "@matrix-org/matrix-sdk-crypto-wasm";

function fail(message) {
    process.stderr.write(`attachments.mjs: ${message}\n`);
    process.exit(1);
}

function readInfo(path) {
    const json = JSON.parse(readFileSync(path, "utf8"));
    return json.file && typeof json.file === "object" ? json.file : json;
}

// A copy of the bytes in an ArrayBuffer of their own (a Buffer may share a larger pool).
function arrayBuffer(bytes) {
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

async function decrypt(lib, infoPath, inPath, outPath) {
    const info = readInfo(infoPath);
    const ciphertext = readFileSync(inPath);
    let plaintext;
    if (lib === "element") {
        // Checks hashes.sha256 itself (it rejects a mismatch) and needs v2 on Node.js.
        plaintext = new Uint8Array(await element.decryptAttachment(arrayBuffer(ciphertext), info));
    } else {
        await rust.initAsync();
        // MediaEncryptionInfo as the Rust SDK reads it: v, key, iv, hashes.
        const { v, key, iv, hashes } = info;
        const attachment = new rust.EncryptedAttachment(
            new Uint8Array(ciphertext),
            JSON.stringify({ v, key, iv, hashes }),
        );
        plaintext = rust.Attachment.decrypt(attachment);
    }
    writeFileSync(outPath, plaintext);
}

async function encrypt(lib, inPath, outPath, infoPath) {
    const plaintext = readFileSync(inPath);
    let ciphertext;
    let info;
    if (lib === "element") {
        const r = await element.encryptAttachment(arrayBuffer(plaintext));
        ciphertext = new Uint8Array(r.data);
        info = r.info;
    } else {
        await rust.initAsync();
        const attachment = rust.Attachment.encrypt(new Uint8Array(plaintext));
        ciphertext = attachment.encryptedData;
        info = JSON.parse(attachment.mediaEncryptionInfo);
    }
    writeFileSync(outPath, ciphertext);
    writeFileSync(infoPath, JSON.stringify(info));
}

const [command, lib, ...paths] = process.argv.slice(2);
if (!["element", "rust"].includes(lib) || paths.length !== 3)
    fail("usage: attachments.mjs decrypt|encrypt element|rust FILE FILE FILE");
try {
    if (command === "decrypt") await decrypt(lib, ...paths);
    else if (command === "encrypt") await encrypt(lib, ...paths);
    else fail(`unknown command ${command}`);
} catch (e) {
    fail(`${command} with ${lib} failed: ${e?.stack ?? e}`);
}
