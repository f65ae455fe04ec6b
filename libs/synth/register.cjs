'use strict';
/**
 * The synth CLI's TypeScript loader: `node --require ./libs/synth/register.cjs libs/synth/src/cli.ts`
 * (package.json scripts, every app's `synth` target).
 *
 * Every `.ts` file the process requires (the CLI, the libraries, the apps) is transformed to
 * CommonJS with esbuild, as tsx does, and kept by sha256 of its content in one cache file,
 * `.synth-cache/compiled-ts.json` under the repository root (AKS_GITOPS_ROOT, else the current
 * directory): a file is compiled again only when its bytes change. Why not tsx: tsx also lexes
 * every JavaScript module the process loads to tell ES modules from CommonJS (cdk8s-plus-28's
 * 1.4 MB imports file included), 0.1-0.15 s of every CLI run, a third of a small synth; this loader
 * only touches `.ts` (BENCHMARKS.md, design fix 13). Compiled code carries inline source maps;
 * Node reads them with `--debug` (stack traces then name TypeScript lines, as under tsx).
 *
 * The cache can only change speed: an absent, unreadable or foreign cache (other format, esbuild
 * or Node major) is an empty one, an entry is used only when the file's sha256 matches and its
 * integrity hash (over the source hash and the compiled code) checks out, so a corrupt or edited
 * entry is compiled again; and the file is replaced atomically (write, then rename) when the
 * process exits having compiled something. Two processes saving at once lose one's new entries,
 * compiled again next time.
 *
 * The checks never use it: `drift` and `policy` (what CI and `npm test` rely on), `--no-cache` and
 * AKS_GITOPS_NO_CACHE=1 compile every file from source and neither read nor write the cache. An
 * entry forged with a matching integrity hash could change what a local synth writes, and the drift
 * check, compiled from source, then names every file it changed.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const esbuild = require('esbuild');
const { compiledIntegrity } = require('./compiled-integrity.cjs');

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

const root = path.resolve(process.env.AKS_GITOPS_ROOT || process.cwd());
const cacheFile = path.join(root, '.synth-cache', 'compiled-ts.json');
const args = process.argv.slice(2);
/** The CLI command (argv after the script) decides: the checks compile from source. */
const CHECK_COMMANDS = ['drift', 'policy'];
const useCache = !(
  CHECK_COMMANDS.includes(args[0]) ||
  args.includes('--no-cache') ||
  process.env.AKS_GITOPS_NO_CACHE === '1'
);
const files = useCache ? readCache() : new Map();
let changed = false;

/** The integrity hash of an entry: what a stored entry must carry to be used. */
function integrityOf(key, sourceSha256, code) {
  return compiledIntegrity(FORMAT, esbuild.version, NODE_MAJOR, key, sourceSha256, code);
}

function readCache() {
  try {
    const parsed = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    if (
      parsed &&
      parsed.format === FORMAT &&
      parsed.esbuild === esbuild.version &&
      parsed.node === NODE_MAJOR &&
      parsed.files &&
      typeof parsed.files === 'object'
    ) {
      return new Map(Object.entries(parsed.files));
    }
  } catch {
    // Absent or unreadable: start empty.
  }
  return new Map();
}

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
  const sha256 = crypto.createHash('sha256').update(source).digest('hex');
  const key = path.relative(root, filename);
  const entry = files.get(key);
  const usable =
    entry &&
    entry.sha256 === sha256 &&
    typeof entry.code === 'string' &&
    entry.integrity === integrityOf(key, sha256, entry.code);
  let code = usable ? entry.code : undefined;
  if (code === undefined) {
    code = compile(source, filename);
    files.set(key, { sha256, code, integrity: integrityOf(key, sha256, code) });
    changed = true;
  }
  module._compile(code, filename);
};

// Source maps only when asked for (`--debug`, or AKS_GITOPS_SOURCE_MAPS=1): with them on, Node decodes
// the inline map of every compiled module as it loads (about 4% of a one-app synth at 1,000 apps).
// Without them stack traces name the .ts files with the compiled code's line numbers.
if (process.argv.includes('--debug') || process.env.AKS_GITOPS_SOURCE_MAPS === '1') process.setSourceMapsEnabled(true);

process.on('exit', () => {
  if (!changed || !useCache) return;
  try {
    const kept = {};
    for (const key of [...files.keys()].sort()) {
      if (fs.existsSync(path.resolve(root, key))) kept[key] = files.get(key);
    }
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ format: FORMAT, esbuild: esbuild.version, node: NODE_MAJOR, files: kept }));
    fs.renameSync(tmp, cacheFile);
  } catch {
    // A cache that cannot be written only costs the next run its compile time.
  }
});
