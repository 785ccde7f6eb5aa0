// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The tus reference server (@tus/server with @tus/file-store) on 127.0.0.1, for the interop
// tests. Usage:
//
//   node tus-server.mjs --dir DIR [--port N] [--reuse-port] [--log FILE]
//                       [--crash-after BYTES [--crash-signal SIGSTOP] [--crash-marker FILE]]
//
// Prints "listening on http://127.0.0.1:PORT/files" once it accepts connections (port 0 or no
// --port: any free port). --reuse-port lets several instances share one port (SO_REUSEPORT; the
// kernel spreads connections over them) and one folder, like the instances of a deployment.
// --log appends one JSON line per request (pid, method, url, the tus headers, whether an
// Authorization or Cookie header came, the status and Upload-Offset answered). --crash-after
// kills the process with SIGKILL, in the middle of a PATCH, as soon as the upload it receives
// has reached BYTES: a crash that leaves the partial bytes in DIR for another or a restarted
// instance. --crash-signal SIGSTOP freezes it there instead (the client's PATCH stalls until the
// test kills both). With --crash-marker only the first instance to create FILE crashes (once in
// all).
// SIGTERM and SIGINT stop it.
import fs from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { EVENTS, Server } from '@tus/server';
import { FileStore } from '@tus/file-store';

const { values: args } = parseArgs({
    options: {
        dir: { type: 'string' },
        port: { type: 'string', default: '0' },
        'reuse-port': { type: 'boolean', default: false },
        log: { type: 'string' },
        'crash-after': { type: 'string' },
        'crash-marker': { type: 'string' },
        'crash-signal': { type: 'string', default: 'SIGKILL' },
    },
});
if (!args.dir) {
    console.error('usage: tus-server.mjs --dir DIR [--port N] [--reuse-port] [--log FILE] '
        + '[--crash-after BYTES [--crash-signal SIGSTOP] [--crash-marker FILE]]');
    process.exit(2);
}
fs.mkdirSync(args.dir, { recursive: true });
const logFd = args.log ? fs.openSync(args.log, 'a') : null;
const log = (entry) => {
    if (logFd !== null)
        fs.writeSync(logFd, JSON.stringify({ time: Date.now(), pid: process.pid, ...entry }) + '\n');
};

let crashAfter = args['crash-after'] ? Number(args['crash-after']) : 0;
// The first to create the marker crashes; the others never do.
const claimCrash = () => {
    if (!args['crash-marker'])
        return true;
    try {
        fs.closeSync(fs.openSync(args['crash-marker'], 'wx'));
        return true;
    } catch {
        crashAfter = 0;
        return false;
    }
};
const tus = new Server({
    path: '/files',
    datastore: new FileStore({ directory: args.dir }),
    // POST_RECEIVE reports progress within a PATCH; --crash-after needs it often.
    postReceiveInterval: crashAfter ? 1 : 1000,
});
if (crashAfter) {
    tus.on(EVENTS.POST_RECEIVE, (_req, upload) => {
        if (crashAfter && upload.offset >= crashAfter && claimCrash()) {
            log({ event: 'crash', signal: args['crash-signal'], id: upload.id, received: upload.offset });
            process.kill(process.pid, args['crash-signal']);
        }
    });
}

const header = (req, name) => req.headers[name] ?? null;
// The Upload-Offset the server answered: the handler hands its headers to writeHead (as an
// object, [name, value] pairs or a flat list), where getHeader() cannot see them.
const answeredOffset = (headers) => {
    const list = Array.isArray(headers) ? headers.flat() : Object.entries(headers ?? {}).flat();
    for (let i = 0; i + 1 < list.length; i += 2) {
        if (String(list[i]).toLowerCase() === 'upload-offset')
            return String(list[i + 1]);
    }
    return null;
};
const server = http.createServer((req, res) => {
    let answered = null;
    const writeHead = res.writeHead;
    res.writeHead = function (status, ...rest) {
        answered = answeredOffset(rest.find((a) => typeof a === 'object'));
        return writeHead.call(this, status, ...rest);
    };
    res.on('finish', () => {
        log({
            method: req.method,
            url: req.url,
            status: res.statusCode,
            upload_offset: header(req, 'upload-offset'),
            upload_length: header(req, 'upload-length'),
            upload_defer_length: header(req, 'upload-defer-length'),
            content_length: header(req, 'content-length'),
            content_type: header(req, 'content-type'),
            transfer_encoding: header(req, 'transfer-encoding'),
            authorization: 'authorization' in req.headers,
            cookie: 'cookie' in req.headers,
            answered_offset: answered ?? res.getHeader('upload-offset') ?? null,
        });
    });
    tus.handle(req, res).catch((error) => {
        console.error('tus-server: request failed:', error);
        if (!res.headersSent)
            res.writeHead(500).end();
    });
});

server.listen({ port: Number(args.port), host: '127.0.0.1', reusePort: args['reuse-port'] }, () => {
    console.log(`listening on http://127.0.0.1:${server.address().port}/files`);
});
server.on('error', (error) => {
    console.error(`tus-server: ${error.message}`);
    process.exit(1);
});
const stop = () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
