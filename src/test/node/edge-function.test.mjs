// Runs the site's CloudFront function (cloudfront-js-2.0), as template.yaml holds it, against the
// table of cases that dev's EdgeRules also passes. EdgeFunctionTest extracts the code from the
// template and runs this script with Node.js:
//   node src/test/node/edge-function.test.mjs FUNCTION.js src/test/resources/edge/cases.tsv
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const [code, table] = process.argv.slice(2).map((file) => readFileSync(file, 'utf8'));
// the runtime evaluates the code and calls handler(event); so does this
const handler = new Function(code + '\nreturn handler;')();

function querystring(raw) {
  const fields = {};
  for (const pair of raw ? raw.split('&') : []) {
    const [name, value = ''] = pair.split('=');
    if (fields[name]) {
      fields[name].multiValue = fields[name].multiValue || [{ value: fields[name].value }];
      fields[name].multiValue.push({ value });
    } else {
      fields[name] = { value };
    }
  }
  return fields;
}

function outcome(result) {
  if (result.statusCode === 301) {
    return 'redirect ' + result.headers.location.value;
  }
  if (result.statusCode === 404) {
    return 'notfound';
  }
  assert.equal(result.statusCode, undefined, 'a request or a 301/404 response');
  return 'origin ' + result.uri;
}

let passed = 0;
for (const line of table.split('\n')) {
  if (!line || line.startsWith('#') || line.startsWith('uri\t')) {
    continue;
  }
  const [uri, query, expected] = line.split('\t');
  const event = {
    version: '1.0',
    context: { eventType: 'viewer-request' },
    viewer: { ip: '192.0.2.1' },
    request: { method: 'GET', uri, querystring: querystring(query), headers: { host: { value: 'd111111abcdef8.cloudfront.net' } }, cookies: {} },
  };
  assert.equal(outcome(handler(event)), expected, `${uri}${query ? '?' + query : ''}`);
  passed++;
}
if (passed < 10) {
  throw new Error(`only ${passed} cases ran`);
}
console.log(`edge function: ${passed} cases passed`);
