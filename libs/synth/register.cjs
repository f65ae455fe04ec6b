'use strict';
/**
 * The CLI's TypeScript loader: the `aks-gitops` bin requires it before the CLI (libs/cli/launch.cjs
 * says how the command is launched; tools that start the CLI directly pass it with --require).
 *
 * Every `.ts` file the process requires (the CLI, the libraries, the apps) is transformed to
 * CommonJS with esbuild, as tsx does, and kept by content in the compiled-code cache
 * (src/cache/compiled-code.cjs, `.synth-cache/compiled-ts.json` under the repository root:
 * AKS_GITOPS_ROOT, else the current directory): a file is compiled again only when its bytes
 * change. Why not tsx: tsx also lexes every JavaScript module the process loads to tell ES modules
 * from CommonJS (cdk8s-plus-28's 1.4 MB imports file included), 0.1-0.15 s of every CLI run, a
 * third of a small synth; this loader only touches `.ts` (BENCHMARKS.md, design fix 13). Compiled
 * code carries inline source maps; Node reads them with `--debug` (stack traces then name
 * TypeScript lines, as under tsx; BENCHMARKS.md, fix 16).
 *
 * Whether the cache is used is decided by the speed kit's one switch (src/cache/cache-switch.cjs)
 * from the command line: never for `drift` and `policy`, `--no-cache` or AKS_GITOPS_NO_CACHE=1.
 */
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const esbuild = require('esbuild');
const { cachesEnabledForArgv } = require('./src/cache/cache-switch.cjs');
const { openCompiledCode } = require('./src/cache/compiled-code.cjs');

/** Bump when the transform options below change. */
const FORMAT = 2;
const NODE_MAJOR = process.versions.node.split('.')[0];
const TRANSFORM = {
  loader: 'ts',
  format: 'cjs',
  target: `node${NODE_MAJOR}`,
  sourcemap: 'inline',
  // What tsconfig.base.json implies for emitted code (target ES2022: class fields are defined, not assigned).
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, verbatimModuleSyntax: false } },
};

const compiled = openCompiledCode({
  root: path.resolve(process.env.AKS_GITOPS_ROOT || process.cwd()),
  enabled: cachesEnabledForArgv(process.argv.slice(2)),
  format: FORMAT,
  esbuildVersion: esbuild.version,
  nodeMajor: NODE_MAJOR,
});

function compile(source, filename) {
  try {
    return esbuild.transformSync(source, { ...TRANSFORM, sourcefile: filename }).code;
  } catch (e) {
    // A syntax error reads like the compiler's own message, with its position.
    const first = e && Array.isArray(e.errors) ? e.errors[0] : undefined;
    if (!first) throw e;
    const where = first.location ? `line ${first.location.line}, column ${first.location.column + 1}: ` : '';
    throw new SyntaxError(`${where}${first.text}`, { cause: e });
  }
}

Module._extensions['.ts'] = function loadTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  module._compile(
    compiled(filename, source, () => compile(source, filename)),
    filename,
  );
};

// Source maps only when asked for (`--debug`, or AKS_GITOPS_SOURCE_MAPS=1): with them on, Node decodes
// the inline map of every compiled module as it loads (about 4% of a one-app synth at 1,000 apps).
// Without them stack traces name the .ts files with the compiled code's line numbers.
if (process.argv.includes('--debug') || process.env.AKS_GITOPS_SOURCE_MAPS === '1') process.setSourceMapsEnabled(true);
