'use strict';
/**
 * The one switch of the speed kit: whether this process may use the machine-local caches under
 * `.synth-cache/` (compiled TypeScript, register.cjs; the claims cache; the rendered record).
 *
 * Caches change speed, never output, but only the checks can prove that, so the checks never use
 * one: `drift` and `policy` (what CI and `npm test` rely on) compile and declare everything from
 * source. `--no-cache` and AKS_GITOPS_NO_CACHE=1 turn every cache off for any command.
 *
 * Plain CommonJS, because register.cjs decides with it before any TypeScript can be loaded; the
 * TypeScript side imports it with its types from cache-switch.d.cts.
 */

/** Where the caches live, under the repository root (git-ignored, machine-local). */
const CACHE_DIR = '.synth-cache';

/** The commands that check what synth wrote: they never read or write a cache. */
const CHECK_COMMANDS = Object.freeze(['drift', 'policy']);

/** Whether `command` may use the caches, given its `--no-cache` flag and the environment. */
function cachesEnabled({ command, noCache = false, env = process.env }) {
  return !(CHECK_COMMANDS.includes(command) || noCache || env.AKS_GITOPS_NO_CACHE === '1');
}

/** The same decision from the command line after the script (`synth --app x`): what register.cjs sees. */
function cachesEnabledForArgv(argv, env = process.env) {
  return cachesEnabled({ command: argv[0], noCache: argv.includes('--no-cache'), env });
}

module.exports = { CACHE_DIR, CHECK_COMMANDS, cachesEnabled, cachesEnabledForArgv };
