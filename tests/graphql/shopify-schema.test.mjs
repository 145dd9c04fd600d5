// Validates every Shopify Admin GraphQL document we ship against Shopify's real
// Admin schema for the API version we target. The schema is the introspection
// result bundled in the npm package @shopify/dev-mcp (offline, no network).
//
// Run: cd tests/graphql && npm install && npm test

// MUST match `SHOPIFY_API_VERSION` in src-tauri/crates/channels/src/shopify/mod.rs.
const SHOPIFY_API_VERSION = '2025-10';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildClientSchema, parse, validate } from 'graphql';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const documentsDir = join(repoRoot, 'src-tauri', 'crates', 'channels', 'src', 'shopify');
const schemaFile = join(
  here,
  'node_modules',
  '@shopify',
  'dev-mcp',
  'dist',
  'data',
  `admin_${SHOPIFY_API_VERSION}.json.gz`,
);

function loadSchema() {
  assert.ok(
    existsSync(schemaFile),
    `No bundled Admin schema for API version ${SHOPIFY_API_VERSION} at ${schemaFile}. ` +
      'Run `npm install`, or bump @shopify/dev-mcp to a release that ships this version.',
  );
  const json = JSON.parse(gunzipSync(readFileSync(schemaFile)).toString('utf8'));
  const introspection = json.data ?? json;
  assert.ok(introspection.__schema, `${schemaFile} is not a GraphQL introspection result`);
  return buildClientSchema(introspection);
}

const schema = loadSchema();

/** Parse + validate a document; returns a list of human-readable error strings. */
function check(source, name) {
  let ast;
  try {
    ast = parse(source, { noLocation: false });
  } catch (err) {
    return [`${name}: syntax error: ${err.message}`];
  }
  return validate(schema, ast).map((err) => {
    const where = (err.locations ?? []).map((l) => `${name}:${l.line}:${l.column}`).join(', ');
    return `${where || name}: ${err.message}`;
  });
}

const documents = readdirSync(documentsDir)
  .filter((f) => f.endsWith('.graphql'))
  .sort();

test('there are Shopify GraphQL documents to validate', () => {
  assert.ok(documents.length > 0, `no *.graphql files found in ${documentsDir}`);
});

for (const file of documents) {
  const path = join(documentsDir, file);
  const name = relative(repoRoot, path);
  test(`${name} is valid against the Shopify Admin ${SHOPIFY_API_VERSION} schema`, () => {
    const errors = check(readFileSync(path, 'utf8'), name);
    assert.equal(
      errors.length,
      0,
      `${errors.length} validation error(s) against Admin ${SHOPIFY_API_VERSION}:\n  ` +
        errors.join('\n  '),
    );
  });
}

test('the validator rejects a field that does not exist (Order.financialStatus)', () => {
  const bad = /* GraphQL */ `
    query Bad {
      orders(first: 1) {
        nodes {
          id
          financialStatus
        }
      }
    }
  `;
  const errors = check(bad, 'negative-test');
  assert.equal(errors.length, 1, `expected exactly one error, got:\n  ${errors.join('\n  ')}`);
  assert.match(errors[0], /Cannot query field "financialStatus" on type "Order"/);

  // And the real field name passes, so the rejection is about the field, not the query shape.
  const good = bad.replace('financialStatus', 'displayFinancialStatus');
  assert.deepEqual(check(good, 'positive-control'), []);
});
