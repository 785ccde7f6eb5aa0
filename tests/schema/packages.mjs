// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// The npm packages both schema validators use (validate.mjs, validate-events.mjs): Ajv for JSON
// Schema 2020-12, ajv-formats and the $ref resolver. Imported on demand, so that a caller can
// report a missing `npm ci` in its own format instead of failing on a bare import.

// The folder of these scripts, where `npm ci` installs the packages.
export const packageDir = new URL('.', import.meta.url).pathname;

// Loads the packages; throws (the import's error) when one is missing.
export async function loadValidatorPackages() {
    const $RefParser = (await import('@apidevtools/json-schema-ref-parser')).default;
    const ajvModule = (await import('ajv/dist/2020.js')).default;
    const formatsModule = (await import('ajv-formats')).default;
    return {
        $RefParser,
        Ajv2020: ajvModule.default ?? ajvModule,
        addFormats: formatsModule.default ?? formatsModule,
    };
}
