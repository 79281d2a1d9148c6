// The one Node version check: the npm scripts and `npm ci` run this file, and
// the CLI bundle carries the same test in its banner (build/bundle.mjs), so
// that Node 20 gets one line that says what to do instead of a stack trace from
// execa or vitest (both need Node >= 22). CommonJS and old syntax on purpose: it
// must run on any Node.
'use strict';

var MIN = [22, 12];

function tooOld(version) {
  var parts = String(version).split('.').map(Number);
  return parts[0] < MIN[0] || (parts[0] === MIN[0] && parts[1] < MIN[1]);
}

function message(version) {
  return 'colima-k8s-nix needs Node >= ' + MIN.join('.') + ', found ' + version +
    ': install Node 24 (nvm install 24, fnm install 24, or https://nodejs.org), or run the command under it with npx -y -p node@24 -- <command>, e.g. npx -y -p node@24 -- npm ci';
}

/** Exits 1 with the one line when this Node is too old. */
function guard() {
  if (!tooOld(process.versions.node)) return;
  console.error(message(process.versions.node));
  process.exit(1);
}

module.exports = { MIN: MIN, tooOld: tooOld, message: message, guard: guard };

if (require.main === module) guard();
