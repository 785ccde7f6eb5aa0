#!/usr/bin/env node
// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Validates the JSON answers of matrix-media-testserver against the response schemas of the
// Matrix spec's OpenAPI documents (client-server API, v1.19).
//
//   node validate.mjs PATH/TO/matrix-media-testserver PATH/TO/spec/data/api/client-server
//
// Starts the server (twice, with different flags), makes real requests with fetch, finds the
// operation (method + path template, base path from the document's `servers`) and the response
// (status) in the dereferenced OpenAPI documents, and validates the body with Ajv (JSON Schema
// 2020-12, which OpenAPI 3.1 uses). No response schema is written here: the only glue is the
// spec's custom string formats (mx-mxc-uri and the other mx-* formats the schemas use). Where an
// operation lists no answer for a status (401 on authenticated endpoints, 404 on downloads), the
// body is checked against the spec's standard error response, definitions/errors/error.yaml.
//
// Prints one line per check (`ok - ...` / `not ok - ...`), then `N passed, M failed`. Exit codes:
// 0 all passed, 1 a check failed (or the setup did, or the spec folder is absent).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { loadValidatorPackages, packageDir } from './packages.mjs';

const SPEC_FILES = [
    'versions.yaml',
    'login.yaml',
    'sso_login_redirect.yaml',
    'logout.yaml',
    'refresh.yaml',
    'content-repo.yaml',
    'authed-content-repo.yaml',
    'list_joined_rooms.yaml',
    'rooms.yaml',
    'room_send.yaml',
    'redaction.yaml',
];
const ERROR_SCHEMA_FILE = 'definitions/errors/error.yaml';
const MAX_UPLOAD = 10 * 1024 * 1024; // --max-upload-size 10M
const OVERALL_DEADLINE_MS = 120_000; // below the ctest TIMEOUT, so the server is always stopped
const REQUEST_TIMEOUT_MS = 20_000;

const [binaryArg, specArg] = process.argv.slice(2);
if (!binaryArg || !specArg) {
    console.error('usage: node validate.mjs MATRIX_MEDIA_TESTSERVER SPEC_CLIENT_SERVER_DIR');
    process.exit(2);
}
const specDir = path.resolve(specArg);
if (!fs.existsSync(specDir) || !fs.statSync(specDir).isDirectory()) {
    console.error(`not ok - the spec's schemas are missing: no folder ${specDir}`);
    process.exit(1);
}

let passed = 0;
let failed = 0;
const servers = new Set();
let tmpRoot;

function ok(name) {
    passed++;
    console.log(`ok - ${name}`);
}
function notOk(name, details = []) {
    failed++;
    console.log(`not ok - ${name}`);
    for (const line of details) console.log(`#   ${line}`);
}
function summaryAndExit(code) {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(code ?? (failed > 0 ? 1 : 0));
}
async function stopAll() {
    await Promise.all([...servers].map((s) => s.stop()));
}

// Whatever happens, the servers are stopped before this process ends.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
        for (const s of servers) s.kill('SIGKILL');
        notOk(`interrupted by ${sig}`);
        summaryAndExit(1);
    });
}
process.on('exit', () => {
    for (const s of servers) s.kill('SIGKILL');
    if (tmpRoot) fs.rmSync(tmpRoot, { recursive: true, force: true });
});
const deadline = setTimeout(async () => {
    notOk(`whole run took longer than ${OVERALL_DEADLINE_MS / 1000} s`);
    await stopAll();
    summaryAndExit(1);
}, OVERALL_DEADLINE_MS);
deadline.unref();

// --- npm packages -------------------------------------------------------------------------------
let SwaggerParser, $RefParser, Ajv2020, addFormats;
try {
    SwaggerParser = (await import('@apidevtools/swagger-parser')).default;
    ({ $RefParser, Ajv2020, addFormats } = await loadValidatorPackages());
} catch (e) {
    notOk('load the npm packages (ajv, ajv-formats, @apidevtools/swagger-parser)', [
        e.message.split('\n')[0],
        `install them with \`npm ci\` in ${packageDir}`,
        '(scripts/install-deps.sh does it)',
    ]);
    summaryAndExit(1);
}

// --- the spec -----------------------------------------------------------------------------------
// Custom string formats of the Matrix spec (data/string-formats.yaml). Grammars from the spec's
// appendices (server names, user identifiers) and client-server API (mxc:// URIs).
const DNS_NAME = '[0-9A-Za-z.-]{1,255}';
const IPV4 = '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}';
const IPV6 = '\\[[0-9A-Fa-f:.]{2,45}\\]';
const SERVER_NAME = `(?:${IPV4}|${IPV6}|${DNS_NAME})(?::\\d{1,5})?`;
const MATRIX_FORMATS = {
    // mxc://<server-name>/<media-id>, the media ID made of [A-Za-z0-9_-].
    'mx-mxc-uri': new RegExp(`^mxc://${SERVER_NAME}/[A-Za-z0-9_-]+$`),
    'mx-server-name': new RegExp(`^${SERVER_NAME}$`),
    // @localpart:server_name; historical localparts may use any of %x21-39 / %x3B-7E.
    'mx-user-id': new RegExp(`^@[\\x21-\\x39\\x3B-\\x7E]+:${SERVER_NAME}$`),
    // Room and event IDs are opaque after their sigil (appendices: room IDs, event IDs; a
    // server part only in older room versions): printable ASCII, at most 255 bytes.
    'mx-room-id': /^![\x21-\x7E]{1,254}$/,
    'mx-event-id': /^\$[\x21-\x7E]{1,254}$/,
};

const ajvWarnings = [];
const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    logger: { log() {}, warn: (...a) => ajvWarnings.push(a.join(' ')), error: console.error },
});
addFormats(ajv);
for (const [name, re] of Object.entries(MATRIX_FORMATS)) ajv.addFormat(name, re);

const operations = []; // { file, method, template, regex, op }
let errorSchema;
try {
    for (const file of SPEC_FILES) {
        const api = await SwaggerParser.dereference(path.join(specDir, file));
        const basePath = api.servers?.[0]?.variables?.basePath?.default ?? '';
        for (const [template, item] of Object.entries(api.paths)) {
            for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options']) {
                if (!item[method]) continue;
                const full = basePath + template;
                // An empty state key may go with or without its slash (rooms.yaml): the last
                // segment `/{stateKey}` is optional and may be empty.
                const stateKey = full.endsWith('/{stateKey}');
                const regex = new RegExp(
                    '^' +
                        (stateKey ? full.slice(0, -'/{stateKey}'.length) : full)
                            .split(/(\{[^}]+\})/)
                            .map((part) =>
                                part.startsWith('{')
                                    ? '[^/]+'
                                    : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
                            )
                            .join('') +
                        (stateKey ? '(?:/[^/]*)?' : '') +
                        '$',
                );
                operations.push({ file, method: method.toUpperCase(), template: full, regex, op: item[method] });
            }
        }
    }
    errorSchema = await $RefParser.dereference(path.join(specDir, ERROR_SCHEMA_FILE));
} catch (e) {
    notOk(`load and dereference the OpenAPI documents in ${specDir}`, [e.message]);
    summaryAndExit(1);
}

const validators = new Map();
function validatorFor(schema) {
    if (!validators.has(schema)) validators.set(schema, ajv.compile(schema));
    return validators.get(schema);
}

function findOperation(method, urlPath) {
    const matches = operations.filter((o) => o.method === method && o.regex.test(urlPath));
    // Prefer the most specific template (fewest parameters).
    matches.sort((a, b) => a.template.split('{').length - b.template.split('{').length);
    return matches[0];
}

// --- the server ---------------------------------------------------------------------------------
class Server {
    constructor(binary, args) {
        this.binary = binary;
        this.args = args;
        this.stderr = '';
        this.exited = null;
    }
    start() {
        return new Promise((resolve, reject) => {
            this.proc = spawn(this.binary, this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
            servers.add(this);
            let out = '';
            const timer = setTimeout(() => reject(new Error('no "listening on" line within 15 s')), 15_000);
            this.proc.stderr.on('data', (d) => {
                this.stderr = (this.stderr + d).slice(-4000);
            });
            this.proc.stdout.on('data', (d) => {
                if (this.base) return;
                out += d;
                const nl = out.indexOf('\n');
                if (nl < 0) return;
                const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)\s*$/.exec(out.slice(0, nl));
                clearTimeout(timer);
                if (!m) return reject(new Error(`unexpected first stdout line: ${out.slice(0, nl)}`));
                this.base = m[1];
                resolve(this.base);
            });
            this.proc.on('error', (e) => {
                clearTimeout(timer);
                reject(e);
            });
            this.proc.on('exit', (code, signal) => {
                this.exited = { code, signal };
                clearTimeout(timer);
                servers.delete(this);
                reject(new Error(`server exited (code ${code}, signal ${signal})`));
            });
        });
    }
    kill(signal) {
        if (this.proc && !this.exited) this.proc.kill(signal);
    }
    async stop() {
        // A process that never started (spawn error) has no pid and emits no 'exit'.
        if (!this.proc || this.exited || this.proc.pid === undefined) return this.exited;
        const done = new Promise((r) => this.proc.once('exit', (code, signal) => r({ code, signal })));
        this.proc.kill('SIGTERM');
        const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
        const result = await done;
        clearTimeout(timer);
        return result;
    }
}

// --- requests and checks ------------------------------------------------------------------------
async function request(base, method, urlPath, { token, json, body, contentType } = {}) {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (json !== undefined) {
        body = typeof json === 'string' ? json : JSON.stringify(json);
        contentType ??= 'application/json';
    }
    if (contentType) headers['Content-Type'] = contentType;
    const res = await fetch(base + urlPath, {
        method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', text };
}

function short(text, n = 300) {
    return text.length > n ? `${text.slice(0, n)}...` : text;
}

// One check: make the request, then validate the answer against the schema of the operation and
// status in the spec. `expect.status` is the status the case must produce (else the check fails:
// another status would validate against another schema and prove nothing), `expect.errcode` the
// errcode the spec's description names for that case, `fallback` allows the standard error
// schema when the operation lists no answer for that status.
async function check(label, base, method, urlPath, opts, expect) {
    const name = `${label}: ${method} ${urlPath.split('?')[0]} -> ${expect.status}`;
    let res;
    try {
        res = await request(base, method, urlPath, opts);
    } catch (e) {
        notOk(name, [`request failed: ${e.cause?.message ?? e.message}`]);
        return undefined;
    }
    const details = [];
    const opEntry = findOperation(method, urlPath.split('?')[0]);
    if (!opEntry) {
        notOk(name, [`no operation in ${SPEC_FILES.join(', ')} matches ${method} ${urlPath}`]);
        return undefined;
    }
    let body;
    try {
        body = JSON.parse(res.text);
    } catch {
        details.push(`body is not JSON: ${short(res.text)}`);
    }
    if (res.status !== expect.status) {
        details.push(`status ${res.status}, expected ${expect.status}; body: ${short(res.text)}`);
    }
    let schema;
    let where;
    const response = opEntry.op.responses?.[String(expect.status)] ?? opEntry.op.responses?.default;
    const opRef = `${opEntry.file} ${opEntry.method} ${opEntry.template.replace(/^.*?(?=\/(media|login|logout|refresh|versions|joined_rooms|rooms))/, '')}`;
    if (response && !response.content && expect.fallback && expect.status >= 400) {
        // The operation names the status (403, 404 on room state) but gives it no body schema:
        // the standard error response.
        schema = errorSchema;
        where = `${ERROR_SCHEMA_FILE} (standard error response; ${opRef} gives ${expect.status} no schema)`;
    } else if (response) {
        const media = response.content?.['application/json'];
        if (!media?.schema) {
            details.push(`${opRef}: response ${expect.status} has no application/json schema`);
        } else {
            schema = media.schema;
            where = `${opRef} responses.${expect.status}`;
            const mediaType = res.contentType.split(';')[0].trim().toLowerCase();
            if (mediaType !== 'application/json') {
                details.push(`Content-Type "${res.contentType}", the spec answers application/json`);
            }
        }
    } else if (expect.fallback && expect.status >= 400) {
        schema = errorSchema;
        where = `${ERROR_SCHEMA_FILE} (standard error response; ${opRef} lists no ${expect.status})`;
    } else {
        details.push(`${opRef} lists no response ${expect.status}`);
    }
    if (schema && body !== undefined) {
        const validate = validatorFor(schema);
        if (!validate(body)) {
            for (const err of validate.errors) {
                details.push(
                    `schema: ${err.instancePath || '(root)'} ${err.message} ` +
                        `[${err.schemaPath}${err.params && Object.keys(err.params).length ? ' ' + JSON.stringify(err.params) : ''}]`,
                );
            }
            details.push(`body: ${short(res.text)}`);
        }
    }
    if (expect.errcode && body && body.errcode !== expect.errcode) {
        details.push(`errcode ${JSON.stringify(body.errcode)}, expected ${expect.errcode}`);
    }
    for (const extra of expect.also?.(body) ?? []) details.push(extra);
    if (details.length) notOk(`${name} against ${where ?? opRef}`, details);
    else ok(`${name} matches ${where}`);
    return body;
}

function mediaPathOf(contentUri) {
    const m = /^mxc:\/\/([^/]+)\/([^/?#]+)$/.exec(contentUri ?? '');
    return m ? `${encodeURIComponent(m[1])}/${encodeURIComponent(m[2])}` : undefined;
}

tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mu-schema-'));
const commonArgs = ['--port', '0', '--user', 'alice:secret', '--token', 'alice:TOKEN',
    '--user', 'bob:hunter2', '--token', 'bob:BOBTOKEN', '--enable-test-control',
    '--max-upload-size', '10M', '--room', '!demo:localhost=Demo', '--room', '!quiet:localhost',
    '--room', '!vault:localhost=Vault,encrypted'];

async function withServer(label, extraArgs, body) {
    const dataDir = fs.mkdtempSync(path.join(tmpRoot, 'data-'));
    const server = new Server(path.resolve(binaryArg), [...commonArgs, '--data', dataDir, ...extraArgs]);
    let base;
    try {
        base = await server.start();
    } catch (e) {
        notOk(`start ${label} server (${[...commonArgs, ...extraArgs].join(' ')})`, [
            e.message,
            ...server.stderr.split('\n').filter(Boolean).slice(-10),
        ]);
        await server.stop();
        return;
    }
    console.log(`# ${label} server: ${base} (${extraArgs.join(' ') || 'default flags'})`);
    try {
        await body(base);
    } catch (e) {
        notOk(`${label}: unexpected error`, [e.stack ?? String(e)]);
    } finally {
        const exit = await server.stop();
        if (exit && (exit.code !== 0 || exit.signal)) {
            console.log(`# ${label} server exited with code ${exit.code}, signal ${exit.signal}`);
        }
        if (failed) {
            for (const line of server.stderr.split('\n').filter(Boolean).slice(-10)) console.log(`# stderr: ${line}`);
        }
    }
}

const started = Date.now();
const T = 'TOKEN';
const big = Buffer.alloc(MAX_UPLOAD + 1024 * 1024, 0x61); // 11 MiB, over --max-upload-size 10M

await withServer('run 1', [], async (base) => {
    // Discovery and login.
    await check('versions', base, 'GET', '/_matrix/client/versions', {}, { status: 200 });
    await check('versions, authenticated', base, 'GET', '/_matrix/client/versions', { token: T }, { status: 200 });
    await check('login flows', base, 'GET', '/_matrix/client/v3/login', {}, { status: 200 });
    const login = await check('login', base, 'POST', '/_matrix/client/v3/login', {
        json: { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'alice' }, password: 'secret' },
    }, { status: 200 });
    await check('login, wrong password', base, 'POST', '/_matrix/client/v3/login', {
        json: { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'alice' }, password: 'wrong' },
    }, { status: 403, errcode: 'M_FORBIDDEN' });
    await check('login, unknown type', base, 'POST', '/_matrix/client/v3/login', {
        json: { type: 'org.example.nope' },
    }, { status: 400 });
    await check('login, body not JSON', base, 'POST', '/_matrix/client/v3/login', {
        json: '{"type": ',
    }, { status: 400, errcode: 'M_NOT_JSON' });

    // Single sign-on: the redirect (a 302 with no body: its status and Location are checked
    // here), then the login with the token it handed back, which works once.
    const back = 'http://127.0.0.1:9/sso/state?keep=1';
    const ssoPath = `/_matrix/client/v3/login/sso/redirect/test-idp?redirectUrl=${encodeURIComponent(back)}`;
    let loginToken;
    try {
        const res = await fetch(base + ssoPath, { redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        const location = res.headers.get('location') ?? '';
        const op = findOperation('GET', ssoPath.split('?')[0]);
        const url = location ? new URL(location) : undefined;
        loginToken = url?.searchParams.get('loginToken') ?? undefined;
        const problems = [];
        if (!op) problems.push('no operation in sso_login_redirect.yaml matches');
        else if (!op.op.responses?.['302']) problems.push(`${op.file} lists no response 302`);
        if (res.status !== 302) problems.push(`status ${res.status}, expected 302`);
        if (!url || !location.startsWith('http://127.0.0.1:9/sso/state?keep=1&') || !loginToken) {
            problems.push(`Location ${JSON.stringify(location)} is not redirectUrl with a loginToken`);
        }
        if (problems.length) notOk('SSO redirect: GET /login/sso/redirect/{idpId} -> 302', problems);
        else ok('SSO redirect: GET /login/sso/redirect/{idpId} -> 302 to redirectUrl with loginToken');
    } catch (e) {
        notOk('SSO redirect', [`request failed: ${e.cause?.message ?? e.message}`]);
    }
    await check('SSO redirect, unknown identity provider', base, 'GET',
        `/_matrix/client/v3/login/sso/redirect/nope?redirectUrl=${encodeURIComponent(back)}`, {},
        { status: 404, errcode: 'M_NOT_FOUND', fallback: true });
    await check('login with the SSO token', base, 'POST', '/_matrix/client/v3/login', {
        json: { type: 'm.login.token', token: loginToken ?? '', initial_device_display_name: 'Schema check' },
    }, { status: 200 });
    await check('login with the SSO token again', base, 'POST', '/_matrix/client/v3/login', {
        json: { type: 'm.login.token', token: loginToken ?? '' },
    }, { status: 403, errcode: 'M_FORBIDDEN' });

    // Media config.
    await check('media config', base, 'GET', '/_matrix/client/v1/media/config', { token: T }, { status: 200 });
    await check('media config (legacy)', base, 'GET', '/_matrix/media/v3/config', { token: T }, { status: 200 });

    // Create, then PUT to the content URI.
    const created = await check('create', base, 'POST', '/_matrix/media/v1/create', { token: T, json: {} },
        { status: 200 });
    const mediaPath = mediaPathOf(created?.content_uri);
    if (!mediaPath) {
        notOk('create gave a usable content_uri', [`content_uri: ${JSON.stringify(created?.content_uri)}`]);
    } else {
        await check('download before upload, timeout_ms=0', base, 'GET',
            `/_matrix/client/v1/media/download/${mediaPath}?timeout_ms=0`, { token: T },
            { status: 504, errcode: 'M_NOT_YET_UPLOADED' });
        await check('download with file name before upload, timeout_ms=0', base, 'GET',
            `/_matrix/client/v1/media/download/${mediaPath}/a.txt?timeout_ms=0`, { token: T },
            { status: 504, errcode: 'M_NOT_YET_UPLOADED' });
        await check('legacy download before upload, timeout_ms=0', base, 'GET',
            `/_matrix/media/v3/download/${mediaPath}?timeout_ms=0`, {},
            { status: 504, errcode: 'M_NOT_YET_UPLOADED' });
        await check('upload to content URI by another user', base, 'PUT',
            `/_matrix/media/v3/upload/${mediaPath}?filename=a.txt`,
            { token: 'BOBTOKEN', body: 'hello', contentType: 'text/plain' },
            { status: 403, errcode: 'M_FORBIDDEN' });
        await check('upload to content URI', base, 'PUT', `/_matrix/media/v3/upload/${mediaPath}?filename=a.txt`,
            { token: T, body: 'hello', contentType: 'text/plain' }, { status: 200 });
        await check('upload to content URI again', base, 'PUT', `/_matrix/media/v3/upload/${mediaPath}?filename=a.txt`,
            { token: T, body: 'hello', contentType: 'text/plain' },
            { status: 409, errcode: 'M_CANNOT_OVERWRITE_MEDIA' });
    }
    const serverName = mediaPath?.split('/')[0] ?? 'localhost';
    await check('upload to a content URI never created', base, 'PUT',
        `/_matrix/media/v3/upload/${serverName}/NeverCreated0123456789`,
        { token: T, body: 'hello', contentType: 'text/plain' }, { status: 404, errcode: 'M_NOT_FOUND' });
    const created2 = await check('create (for the 413)', base, 'POST', '/_matrix/media/v1/create',
        { token: T, json: {} }, { status: 200 });
    const mediaPath2 = mediaPathOf(created2?.content_uri);
    if (mediaPath2) {
        await check('upload over --max-upload-size to content URI', base, 'PUT',
            `/_matrix/media/v3/upload/${mediaPath2}`,
            { token: T, body: big, contentType: 'application/octet-stream' },
            { status: 413, errcode: 'M_TOO_LARGE' });
    }

    // Legacy upload.
    await check('legacy upload', base, 'POST', '/_matrix/media/v3/upload?filename=b.txt',
        { token: T, body: 'hello', contentType: 'text/plain' }, { status: 200 });
    await check('legacy upload over --max-upload-size', base, 'POST', '/_matrix/media/v3/upload',
        { token: T, body: big, contentType: 'application/octet-stream' }, { status: 413, errcode: 'M_TOO_LARGE' });

    // Downloads of unknown media: the download operations list no 404, so the standard error.
    await check('download of unknown media', base, 'GET',
        `/_matrix/client/v1/media/download/${serverName}/NeverCreated0123456789?timeout_ms=0`, { token: T },
        { status: 404, errcode: 'M_NOT_FOUND', fallback: true });
    await check('legacy download of unknown media', base, 'GET',
        `/_matrix/media/v3/download/${serverName}/NeverCreated0123456789?timeout_ms=0`, {},
        { status: 404, errcode: 'M_NOT_FOUND', fallback: true });

    // 429 on create, injected.
    try {
        const fault = await request(base, 'POST', '/_test/faults',
            { token: T, json: { status: 429, route: 'create', retry_after: 5 } });
        if (fault.status !== 200) throw new Error(`POST /_test/faults answered ${fault.status}: ${short(fault.text)}`);
        await check('create, rate limited (fault)', base, 'POST', '/_matrix/media/v1/create', { token: T, json: {} },
            { status: 429, errcode: 'M_LIMIT_EXCEEDED' });
    } catch (e) {
        notOk('create, rate limited (fault)', [e.message]);
    }

    // 401: no token, an unknown token (the operations list no 401: the standard error).
    await check('create without a token', base, 'POST', '/_matrix/media/v1/create', { json: {} },
        { status: 401, errcode: 'M_MISSING_TOKEN', fallback: true });
    await check('media config without a token', base, 'GET', '/_matrix/client/v1/media/config', {},
        { status: 401, errcode: 'M_MISSING_TOKEN', fallback: true });
    await check('legacy upload without a token', base, 'POST', '/_matrix/media/v3/upload',
        { body: 'hello', contentType: 'text/plain' }, { status: 401, errcode: 'M_MISSING_TOKEN', fallback: true });
    await check('create with an unknown token', base, 'POST', '/_matrix/media/v1/create',
        { token: 'no-such-token', json: {} }, { status: 401, errcode: 'M_UNKNOWN_TOKEN', fallback: true });

    // Rooms: joined_rooms, the room name and encryption, send and redact (room_send.yaml,
    // redaction.yaml).
    const demo = encodeURIComponent('!demo:localhost');
    const quiet = encodeURIComponent('!quiet:localhost');
    const vault = encodeURIComponent('!vault:localhost');
    await check('joined rooms', base, 'GET', '/_matrix/client/v3/joined_rooms', { token: T }, {
        status: 200,
        also: (b) => (JSON.stringify(b?.joined_rooms)
            === JSON.stringify(['!demo:localhost', '!quiet:localhost', '!vault:localhost'])
            ? [] : [`joined_rooms ${JSON.stringify(b?.joined_rooms)}, expected the three --room rooms`]),
    });
    await check('room encryption', base, 'GET', `/_matrix/client/v3/rooms/${vault}/state/m.room.encryption`,
        { token: T }, {
            status: 200,
            also: (b) => (b?.algorithm === 'm.megolm.v1.aes-sha2'
                ? [] : [`algorithm ${JSON.stringify(b?.algorithm)}, expected "m.megolm.v1.aes-sha2"`]),
        });
    await check('room encryption of a plain room', base, 'GET',
        `/_matrix/client/v3/rooms/${demo}/state/m.room.encryption`, { token: T },
        { status: 404, errcode: 'M_NOT_FOUND', fallback: true });
    await check('room name', base, 'GET', `/_matrix/client/v3/rooms/${demo}/state/m.room.name`, { token: T }, {
        status: 200,
        also: (b) => (b?.name === 'Demo' ? [] : [`name ${JSON.stringify(b?.name)}, expected "Demo"`]),
    });
    await check('room name, empty state key with its slash', base, 'GET',
        `/_matrix/client/v3/rooms/${demo}/state/m.room.name/`, { token: T }, { status: 200 });
    await check('room name of a room without one', base, 'GET',
        `/_matrix/client/v3/rooms/${quiet}/state/m.room.name`, { token: T },
        { status: 404, errcode: 'M_NOT_FOUND', fallback: true });
    await check('room name of a room the user is not in', base, 'GET',
        `/_matrix/client/v3/rooms/${encodeURIComponent('!nowhere:localhost')}/state/m.room.name`, { token: T },
        { status: 403, errcode: 'M_FORBIDDEN', fallback: true });
    const sent = await check('send', base, 'PUT', `/_matrix/client/v3/rooms/${demo}/send/m.room.message/txn1`,
        { token: T, json: { msgtype: 'm.text', body: 'hello' } }, { status: 200 });
    await check('send, same transaction again', base, 'PUT',
        `/_matrix/client/v3/rooms/${demo}/send/m.room.message/txn1`,
        { token: T, json: { msgtype: 'm.text', body: 'hello' } }, {
            status: 200,
            also: (b) => (b?.event_id === sent?.event_id ? [] : [`event_id ${b?.event_id}, expected ${sent?.event_id}`]),
        });
    await check('send, body not an object', base, 'PUT', `/_matrix/client/v3/rooms/${demo}/send/m.room.message/txn2`,
        { token: T, json: '[1]' }, { status: 400, errcode: 'M_BAD_JSON' });
    await check('send, body not JSON', base, 'PUT', `/_matrix/client/v3/rooms/${demo}/send/m.room.message/txn2`,
        { token: T, json: '{"body": ' }, { status: 400, errcode: 'M_NOT_JSON' });
    await check('send to a room the user is not in', base, 'PUT',
        `/_matrix/client/v3/rooms/${encodeURIComponent('!nowhere:localhost')}/send/m.room.message/txn3`,
        { token: T, json: {} }, { status: 403, errcode: 'M_FORBIDDEN', fallback: true });
    await check('send without a token', base, 'PUT', `/_matrix/client/v3/rooms/${demo}/send/m.room.message/txn4`,
        { json: {} }, { status: 401, errcode: 'M_MISSING_TOKEN', fallback: true });
    if (sent?.event_id) {
        await check('redact', base, 'PUT',
            `/_matrix/client/v3/rooms/${demo}/redact/${encodeURIComponent(sent.event_id)}/txn5`,
            { token: T, json: { reason: 'wrong file' } }, { status: 200 });
    } else {
        notOk('redact', ['send gave no event_id']);
    }
    await check('redact an unknown event', base, 'PUT',
        `/_matrix/client/v3/rooms/${demo}/redact/${encodeURIComponent('$unknown')}/txn6`,
        { token: T, json: {} }, { status: 404, errcode: 'M_NOT_FOUND', fallback: true });
    try {
        const fault = await request(base, 'POST', '/_test/faults',
            { token: T, json: { status: 429, route: 'send', retry_after: 2 } });
        if (fault.status !== 200) throw new Error(`POST /_test/faults answered ${fault.status}: ${short(fault.text)}`);
        await check('send, rate limited (fault)', base, 'PUT',
            `/_matrix/client/v3/rooms/${demo}/send/m.room.message/txn7`,
            { token: T, json: {} }, { status: 429, errcode: 'M_LIMIT_EXCEEDED', fallback: true });
    } catch (e) {
        notOk('send, rate limited (fault)', [e.message]);
    }

    // Logout ends the session.
    if (login?.access_token) {
        await check('logout', base, 'POST', '/_matrix/client/v3/logout', { token: login.access_token, json: {} },
            { status: 200 });
        await check('media config with the logged-out token', base, 'GET', '/_matrix/client/v1/media/config',
            { token: login.access_token }, { status: 401, errcode: 'M_UNKNOWN_TOKEN', fallback: true });
    } else {
        notOk('logout', ['login gave no access_token']);
    }
    await check('logout without a token', base, 'POST', '/_matrix/client/v3/logout', { json: {} },
        { status: 401, errcode: 'M_MISSING_TOKEN', fallback: true });
});

// Without upload URLs the create answer is plain MSC2246; with --max-pending 1 the second pending
// ID is refused with a real (not injected) 429.
await withServer('run 2', ['--upload-url-protocol', 'none', '--max-pending', '1'], async (base) => {
    await check('create, no upload URL', base, 'POST', '/_matrix/media/v1/create', { token: T, json: {} }, {
        status: 200,
        also: (b) =>
            ['upload_url', 'com.beeper.msc3870.upload_url'].filter((k) => b && k in b)
                .map((k) => `${k} present although --upload-url-protocol none`),
    });
    await check('create, too many pending IDs', base, 'POST', '/_matrix/media/v1/create', { token: T, json: {} },
        { status: 429, errcode: 'M_LIMIT_EXCEEDED' });
    await check('media config (legacy), run 2', base, 'GET', '/_matrix/media/v3/config', { token: T }, { status: 200 });
});

// Tokens that expire (spec v1.3): login that asks for a refresh token, /refresh, and the
// soft-logout 401 of an expired access token.
await withServer('run 3', ['--token-lifetime-ms', '3600000'], async (base) => {
    const lifetime = (b) => (b?.expires_in_ms === 3600000 ? [] : [`expires_in_ms ${b?.expires_in_ms}, expected 3600000`]);
    const hasRefresh = (b) => (typeof b?.refresh_token === 'string' && b.refresh_token ? [] : ['no refresh_token']);
    const login = await check('login with refresh_token', base, 'POST', '/_matrix/client/v3/login', {
        json: {
            type: 'm.login.password', identifier: { type: 'm.id.user', user: 'alice' }, password: 'secret',
            refresh_token: true,
        },
    }, { status: 200, also: (b) => [...lifetime(b), ...hasRefresh(b)] });
    await check('login without refresh_token', base, 'POST', '/_matrix/client/v3/login', {
        json: { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'alice' }, password: 'secret' },
    }, { status: 200, also: (b) => [...lifetime(b), ...('refresh_token' in (b ?? {}) ? ['a refresh_token not asked for'] : [])] });
    const refreshed = await check('refresh', base, 'POST', '/_matrix/client/v3/refresh',
        { json: { refresh_token: login?.refresh_token ?? '' } },
        { status: 200, also: (b) => [...lifetime(b), ...hasRefresh(b)] });
    await check('refresh with an unknown refresh token', base, 'POST', '/_matrix/client/v3/refresh',
        { json: { refresh_token: 'mur_nothing' } }, { status: 401, errcode: 'M_UNKNOWN_TOKEN' });
    await check('refresh without a refresh token', base, 'POST', '/_matrix/client/v3/refresh',
        { json: {} }, { status: 400, errcode: 'M_MISSING_PARAM', fallback: true });
    try {
        const token = refreshed?.access_token;
        if (!token) throw new Error('refresh gave no access_token');
        const fault = await request(base, 'POST', '/_test/faults', { json: { expire_token: token } });
        if (fault.status !== 200) throw new Error(`POST /_test/faults answered ${fault.status}: ${short(fault.text)}`);
        const softLogout = (b) => (b?.soft_logout === true ? [] : [`soft_logout ${JSON.stringify(b?.soft_logout)}, expected true`]);
        await check('media config with an expired token', base, 'GET', '/_matrix/client/v1/media/config',
            { token }, { status: 401, errcode: 'M_UNKNOWN_TOKEN', fallback: true, also: softLogout });
        await check('create with an expired token', base, 'POST', '/_matrix/media/v1/create',
            { token, json: {} }, { status: 401, errcode: 'M_UNKNOWN_TOKEN', fallback: true, also: softLogout });
    } catch (e) {
        notOk('an expired token (fault)', [e.message]);
    }
});

for (const w of new Set(ajvWarnings)) console.log(`# ajv: ${w}`);
console.log(`# ${((Date.now() - started) / 1000).toFixed(1)} s`);
summaryAndExit();
