'use strict';
/**
 * The integrity hash every entry of `.synth-cache/compiled-ts.json` carries (see register.cjs): over
 * the loader's format, the esbuild version, the Node major, the file, the sha256 of its source and
 * the compiled code. An entry whose hash does not match is compiled again.
 */
const crypto = require('node:crypto');

function compiledIntegrity(format, esbuildVersion, nodeMajor, key, sourceSha256, code) {
  return crypto
    .createHash('sha256')
    .update(`${format}\n${esbuildVersion}\n${nodeMajor}\n${key}\n${sourceSha256}\n`)
    .update(code)
    .digest('hex');
}

module.exports = { compiledIntegrity };
