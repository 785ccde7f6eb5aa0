#!/usr/bin/env node
// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Validates m.room.message contents against the Matrix spec's event schemas
// (data/event-schemas/schema/m.room.message$<msgtype>.yaml), with the same Ajv and formats as
// validate.mjs. Used by tests that post media messages (tests/auto/media/tst_mediadescriber).
//
//   node validate-events.mjs CONTENTS.json PATH/TO/spec/data/event-schemas/schema
//
// CONTENTS.json is an array of event contents. Prints `ok - ...` / `not ok - ...` per content,
// then `N passed, M failed`; exit 0 when all passed, 1 otherwise.
import fs from 'node:fs';
import path from 'node:path';

import { loadValidatorPackages, packageDir } from './packages.mjs';

const [contentsFile, schemaDir] = process.argv.slice(2);
if (!contentsFile || !schemaDir) {
    console.error('usage: validate-events.mjs CONTENTS.json SCHEMA_DIR');
    process.exit(2);
}

let $RefParser, Ajv2020, addFormats, yaml;
try {
    ({ $RefParser, Ajv2020, addFormats } = await loadValidatorPackages());
} catch (e) {
    console.log(`not ok - load the npm packages: ${e.message.split('\n')[0]}`);
    console.log(`#   run \`npm ci\` in ${packageDir}`);
    process.exit(1);
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('mx-mxc-uri', /^mxc:\/\/[0-9A-Za-z.:[\]-]+\/[A-Za-z0-9_-]+$/);

let passed = 0;
let failed = 0;
const contents = JSON.parse(fs.readFileSync(contentsFile, 'utf8'));
for (const [i, content] of contents.entries()) {
    const name = `content ${i} (${content.msgtype})`;
    const file = path.join(schemaDir, `m.room.message$${content.msgtype}.yaml`);
    if (!fs.existsSync(file)) {
        failed++;
        console.log(`not ok - ${name}: no schema ${path.basename(file)}`);
        continue;
    }
    const schema = await $RefParser.dereference(file);
    const validate = ajv.compile(schema.properties.content);
    if (validate(content)) {
        passed++;
        console.log(`ok - ${name}`);
    } else {
        failed++;
        console.log(`not ok - ${name}`);
        for (const e of validate.errors) console.log(`#   ${e.instancePath} ${e.message}`);
    }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
