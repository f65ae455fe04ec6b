'use strict';
/**
 * The compiled-code cache of register.cjs (the CLI's TypeScript loader): every `.ts` file's
 * CommonJS output, kept by sha256 of its source in one file, `.synth-cache/compiled-ts.json`.
 *
 * It can only change speed: an absent, unreadable or foreign cache (other format, esbuild or Node
 * major) is an empty one; an entry is used only when the file's sha256 matches and its integrity
 * hash (over the source hash and the compiled code) checks out, so a corrupt or edited entry is
 * compiled again; and the file is replaced atomically (write, then rename) when the process exits
 * having compiled something. Two processes saving at once lose one's new entries, compiled again
 * next time. With the caches off (cache-switch.cjs) it neither reads nor writes the file. An entry
 * forged with a matching integrity hash could change what a local synth writes; the drift check,
 * which compiles from source, then names every file it changed.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { CACHE_DIR } = require('./cache-switch.cjs');

const COMPILED_CODE_FILE = `${CACHE_DIR}/compiled-ts.json`;
/** Code compiled with inline source maps (`--debug`) is kept apart, so neither kind evicts the other. */
const COMPILED_CODE_WITH_MAPS_FILE = `${CACHE_DIR}/compiled-ts-maps.json`;

/**
 * The integrity hash every entry carries: over the loader's format, the esbuild version, the Node
 * major, the file, the sha256 of its source and the compiled code.
 */
function compiledIntegrity(format, esbuildVersion, nodeMajor, key, sourceSha256, code) {
  return crypto
    .createHash('sha256')
    .update(`${format}\n${esbuildVersion}\n${nodeMajor}\n${key}\n${sourceSha256}\n`)
    .update(code)
    .digest('hex');
}

/**
 * Opens the cache under `root` for this loader format, esbuild version and Node major (`variant`
 * 'maps': the file of code with source maps). Returns
 * - `compiled(filename, source, compile)`: the cached code for this content, else `compile()`'s
 *   (recorded, and saved at exit when `enabled`);
 * - `has(filename, source)`: whether the cache holds usable code for this content;
 * - `put(filename, source, code)`: records code compiled ahead (see precompile below);
 * - `cold`: nothing was read (caches off, no file yet, or a foreign one), so most files will miss.
 */
function openCompiledCode({ root, enabled, format, esbuildVersion, nodeMajor, variant }) {
  const cacheFile = path.join(root, variant === 'maps' ? COMPILED_CODE_WITH_MAPS_FILE : COMPILED_CODE_FILE);
  const files = enabled ? readCache(cacheFile, format, esbuildVersion, nodeMajor) : new Map();
  const cold = files.size === 0;
  const integrityOf = (key, sha256, code) => compiledIntegrity(format, esbuildVersion, nodeMajor, key, sha256, code);
  let changed = false;

  process.on('exit', () => {
    if (!changed || !enabled) return;
    try {
      const kept = {};
      for (const key of [...files.keys()].sort()) {
        if (fs.existsSync(path.resolve(root, key))) kept[key] = files.get(key);
      }
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ format, esbuild: esbuildVersion, node: nodeMajor, files: kept }));
      fs.renameSync(tmp, cacheFile);
    } catch {
      // A cache that cannot be written only costs the next run its compile time.
    }
  });

  const usableCode = (filename, source) => {
    const sha256 = crypto.createHash('sha256').update(source).digest('hex');
    const key = path.relative(root, filename);
    const entry = files.get(key);
    const usable =
      entry &&
      entry.sha256 === sha256 &&
      typeof entry.code === 'string' &&
      entry.integrity === integrityOf(key, sha256, entry.code);
    return { key, sha256, code: usable ? entry.code : undefined };
  };
  const put = (filename, source, code) => {
    const { key, sha256 } = usableCode(filename, source);
    files.set(key, { sha256, code, integrity: integrityOf(key, sha256, code) });
    changed = true;
  };
  return {
    cold,
    has: (filename, source) => usableCode(filename, source).code !== undefined,
    put,
    compiled(filename, source, compile) {
      const { key, sha256, code: cached } = usableCode(filename, source);
      if (cached !== undefined) return cached;
      const code = compile();
      files.set(key, { sha256, code, integrity: integrityOf(key, sha256, code) });
      changed = true;
      return code;
    },
  };
}

/**
 * Compiling ahead, in one batch: the loader (register.cjs) compiles a file when it is required,
 * one synchronous esbuild call each, about 1-2 ms apiece. When many files will miss the cache (a
 * cold cache, or caches off as in drift, which compiles every app on every run), one batch call
 * lets esbuild's workers compile them in parallel first. register.cjs installs the batch compiler;
 * without it (Jest's own transform, another loader) `precompile` does nothing. It only changes
 * speed: what it compiles is recorded by content, as the loader would record it.
 */
let batchCompiler;

function setBatchCompiler(fn) {
  batchCompiler = fn;
}

/**
 * Compiles ahead every `.ts` file under these folders (their `src/`, say), when the loader wants
 * batches; otherwise the folders are not even listed.
 */
function precompileFolders(dirs) {
  if (batchCompiler) batchCompiler(typeScriptFilesUnder(dirs));
}

/**
 * Compiling ahead through esbuild's asynchronous API, for a caller that can wait (synth, before it
 * loads the apps it declares): its service starts in about 8 ms, where the synchronous API first
 * starts a worker thread (about 40-80 ms), which a one-app change would otherwise pay for one file;
 * and a cold cache's thousand files compile in parallel. Installed by register.cjs whatever the
 * cache's state: it compiles only the files that miss the cache. Without it, the synchronous batch.
 */
let asyncCompiler;

function setAsyncCompiler(fn) {
  asyncCompiler = fn;
}

/** `precompileFolders`, waiting on esbuild's asynchronous API when the loader offers it. */
async function precompileFoldersAsync(dirs) {
  if (asyncCompiler) await asyncCompiler(typeScriptFilesUnder(dirs));
  else precompileFolders(dirs);
}

/** Every `.ts` file (not `.d.ts`) under these folders, at any depth; a missing folder has none. */
function typeScriptFilesUnder(dirs) {
  const files = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) files.push(p);
    }
  };
  for (const dir of dirs) walk(dir);
  return files;
}

function readCache(cacheFile, format, esbuildVersion, nodeMajor) {
  try {
    const parsed = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    if (
      parsed &&
      parsed.format === format &&
      parsed.esbuild === esbuildVersion &&
      parsed.node === nodeMajor &&
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

module.exports = {
  COMPILED_CODE_FILE,
  COMPILED_CODE_WITH_MAPS_FILE,
  compiledIntegrity,
  openCompiledCode,
  precompileFolders,
  precompileFoldersAsync,
  setAsyncCompiler,
  setBatchCompiler,
  typeScriptFilesUnder,
};
