// Runs @doyensec/electronegativity offline and without its known crash.
// Under Node 24 it writes its report and then dies on got 11's p-cancelable
// error and a RequestError from its unconditional online lookups (no network
// here): ignore exactly those two, fail on anything else (electron-stack.md §10).
'use strict';
process.on('uncaughtException', (e) => {
  if (e && (e.name === 'RequestError' || /onCancel` handler was attached after the promise settled/.test(String(e.message)))) return;
  console.error(e);
  process.exit(2);
});
process.on('unhandledRejection', (e) => {
  if (e && (e.name === 'RequestError' || /onCancel` handler was attached after the promise settled/.test(String(e && e.message)))) return;
  console.error(e);
  process.exit(2);
});
// Its parser (@typescript-eslint/typescript-estree, hoisted to the top level)
// needs the classic TypeScript compiler API; the project's TypeScript 7 is the
// native compiler without it. Point `typescript` at the 4.2 copy electronegativity ships.
const Module = require('node:module');
const path = require('node:path');
const ownTypescript = require.resolve('typescript', { paths: [path.dirname(require.resolve('@doyensec/electronegativity/package.json'))] });
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'typescript' ? ownTypescript : resolve.call(this, request, ...rest);
};
process.argv.splice(1, 1, require.resolve('@doyensec/electronegativity/dist/index.js'));
require(process.argv[1]);
