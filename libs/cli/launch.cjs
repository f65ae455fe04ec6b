/**
 * How the aks-gitops command is launched, in one place. The bin (bin/aks-gitops.cjs, what
 * `npm run synth` and the Nx targets call) runs with these flags (its shebang; a test keeps them
 * equal) in one process; tools that spawn the CLI many times (tools/run-tests.mjs, the benchmark,
 * tests) call nodeArgs() to start it the same way.
 */
const path = require('node:path');

/**
 * A 64 MB young generation from the start: scavenges were 14-18% of a full synth's CPU, and the
 * minimum size saved another 0.3-0.6 s of CPU at 1,000 apps (BENCHMARKS.md). V8 reads these only
 * when the process starts, which is why they are on the bin's shebang line, not set at run time.
 */
const NODE_FLAGS = ['--max-semi-space-size=64', '--min-semi-space-size=64'];

/**
 * The one TypeScript loading path: every .ts file (the CLI, the libraries, the apps) is compiled by
 * esbuild through this hook, once per content (.synth-cache/compiled-ts.json). Nothing is built ahead.
 */
const REGISTER = path.join(__dirname, '..', 'synth', 'register.cjs');

/** The CLI's entry: the command table and its parser (src/commands.ts, src/parse.ts). */
const ENTRY = path.join(__dirname, 'src', 'main.ts');

/** The arguments of `node` that run `aks-gitops <args>`. */
function nodeArgs(args) {
  return [...NODE_FLAGS, '--require', REGISTER, ENTRY, ...args];
}

module.exports = { NODE_FLAGS, REGISTER, ENTRY, nodeArgs };
