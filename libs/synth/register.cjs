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
 * third of a small synth; this loader only touches `.ts` (BENCHMARKS.md, design fix 13). With
 * `--debug` (or AKS_GITOPS_SOURCE_MAPS=1) compiled code carries inline source maps and Node reads
 * them, so stack traces name TypeScript lines as under tsx (BENCHMARKS.md, fix 16); those are kept
 * in their own cache file (`compiled-ts-maps.json`). Without it there are no maps: they were more
 * than half of every compiled file, so of the cache read, hashed and parsed on every run.
 *
 * Whether the cache is used is decided by the speed kit's one switch (src/cache/cache-switch.cjs)
 * from the command line: never for `drift` and `policy`, `--no-cache` or AKS_GITOPS_NO_CACHE=1.
 */
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const esbuild = require('esbuild');
const { cachesEnabledForArgv } = require('./src/cache/cache-switch.cjs');
const {
  openCompiledCode,
  setAsyncCompiler,
  setBatchCompiler,
  typeScriptFilesUnder,
} = require('./src/cache/compiled-code.cjs');

/** Bump when the transform options below change. */
const FORMAT = 3;
const NODE_MAJOR = process.versions.node.split('.')[0];
const SOURCE_MAPS = process.argv.includes('--debug') || process.env.AKS_GITOPS_SOURCE_MAPS === '1';
const TRANSFORM = {
  loader: 'ts',
  format: 'cjs',
  target: `node${NODE_MAJOR}`,
  sourcemap: SOURCE_MAPS ? 'inline' : false,
  // What tsconfig.base.json implies for emitted code (target ES2022: class fields are defined, not assigned).
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, verbatimModuleSyntax: false } },
};

const cache = openCompiledCode({
  root: path.resolve(process.env.AKS_GITOPS_ROOT || process.cwd()),
  enabled: cachesEnabledForArgv(process.argv.slice(2)),
  format: FORMAT,
  esbuildVersion: esbuild.version,
  nodeMajor: NODE_MAJOR,
  variant: SOURCE_MAPS ? 'maps' : undefined,
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
    cache.compiled(filename, source, () => compile(source, filename)),
    filename,
  );
};

/**
 * Compiles the files that miss the cache in one esbuild build (parallel workers; the same code as
 * transformSync gives, but the source map names the file relative to it), and records them, so the
 * loader finds them compiled. Only when the cache is cold or off (see below): with a warm cache the
 * few misses are cheaper one by one than reading every file twice. A file esbuild rejects fails the whole
 * batch: then nothing is recorded and the loader compiles each file and reports the error itself.
 */
function compileAhead(filenames) {
  buildAhead(misses(filenames));
}

function buildAhead(todo) {
  if (todo.length < 2) return;
  let built;
  try {
    const { root } = path.parse(todo[0].filename);
    built = esbuild.buildSync({
      format: TRANSFORM.format,
      target: TRANSFORM.target,
      sourcemap: TRANSFORM.sourcemap,
      tsconfigRaw: TRANSFORM.tsconfigRaw,
      entryPoints: todo.map((t) => t.filename),
      outbase: root,
      outdir: root,
      write: false,
      bundle: false,
      logLevel: 'silent',
    });
  } catch {
    return;
  }
  const byOutput = new Map(built.outputFiles.map((o) => [o.path, o.text]));
  for (const { filename, source } of todo) {
    const code = byOutput.get(filename.replace(/\.ts$/, '.js'));
    if (code !== undefined) cache.put(filename, source, code);
  }
}

/** From how many misses one esbuild build beats separate asynchronous transforms. */
const ONE_BUILD_FROM = 64;

/** The files (with their sources) the cache does not hold compiled. */
function misses(filenames) {
  const todo = [];
  for (const filename of filenames) {
    let source;
    try {
      source = fs.readFileSync(filename, 'utf8');
    } catch {
      continue;
    }
    if (!cache.has(filename, source)) todo.push({ filename, source });
  }
  return todo;
}

/**
 * The same through esbuild's asynchronous API, for synth to await before it loads the apps it
 * declares (see precompileFoldersAsync): the same code as the loader's transformSync (same options),
 * recorded by content. A file esbuild rejects is left to the loader, which reports the error.
 */
async function compileAheadAsync(filenames) {
  const todo = misses(filenames);
  // Many misses (a cold cache): one build, as the synchronous batch does (measured at 1,000 apps:
  // 3-8% less CPU than a thousand asynchronous transforms).
  if (todo.length >= ONE_BUILD_FROM) return buildAhead(todo);
  await Promise.all(
    todo.map(({ filename, source }) =>
      esbuild.transform(source, { ...TRANSFORM, sourcefile: filename }).then(
        (out) => cache.put(filename, source, out.code),
        () => undefined,
      ),
    ),
  );
}
setAsyncCompiler(compileAheadAsync);

// Only a cold or switched-off cache asks for batches: the libraries every command loads now, the
// apps when synth is about to load them.
if (cache.cold) {
  setBatchCompiler(compileAhead);
  const libs = path.join(__dirname, '..');
  compileAhead(typeScriptFilesUnder(fs.readdirSync(libs).map((lib) => path.join(libs, lib, 'src'))));
}

// Source maps only when asked for: with them on, Node decodes the inline map of every compiled
// module as it loads (about 4% of a one-app synth at 1,000 apps). Without them stack traces name
// the .ts files with the compiled code's line numbers.
if (SOURCE_MAPS) process.setSourceMapsEnabled(true);
