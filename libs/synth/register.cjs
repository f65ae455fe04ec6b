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
 * only touches `.ts` (BENCHMARKS.md, design fix 13). Source maps stay on, so stack traces name
 * TypeScript lines as under tsx.
 *
 * The cache can only change speed: an absent, unreadable or foreign cache (other format, esbuild
 * or Node major) is an empty one, an entry is used only when the file's sha256 matches, and the
 * file is replaced atomically (write, then rename) when the process exits having compiled
 * something. Two processes saving at once lose one's new entries, compiled again next time.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const esbuild = require('esbuild');

/** Bump when the transform options below change. */
const FORMAT = 1;
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
const files = readCache();
let changed = false;

function readCache() {
  try {
    const parsed = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    if (parsed && parsed.format === FORMAT && parsed.esbuild === esbuild.version && parsed.node === NODE_MAJOR && parsed.files && typeof parsed.files === 'object') {
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
  let code = entry && entry.sha256 === sha256 ? entry.code : undefined;
  if (code === undefined) {
    code = compile(source, filename);
    files.set(key, { sha256, code });
    changed = true;
  }
  module._compile(code, filename);
};

process.setSourceMapsEnabled(true);

process.on('exit', () => {
  if (!changed) return;
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
