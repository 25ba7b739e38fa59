// `npm run openapi`: writes docs/openapi.json and docs/api.md from the zod schemas. A test fails
// when the committed files differ from what this writes.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from '../../functions/api/openapi.js';
import { renderApiReference } from './markdown.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

export const OPENAPI_FILE = resolve(ROOT, 'docs/openapi.json');
export const REFERENCE_FILE = resolve(ROOT, 'docs/api.md');

export function openApiText(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}

export function referenceText(): string {
  return renderApiReference(JSON.parse(openApiText()));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(OPENAPI_FILE, openApiText());
  writeFileSync(REFERENCE_FILE, referenceText());
  console.log(`Wrote ${OPENAPI_FILE} and ${REFERENCE_FILE}`);
}
