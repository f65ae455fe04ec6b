import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '@aks-gitops/cluster-model';
import { isAppDefinition } from '@aks-gitops/workloads';
import type { AppDefinition } from '@aks-gitops/workloads';
import { precompileFolders, precompileFoldersAsync } from '../cache/compiled-code.cjs';

/**
 * Loads every app under `appsDir` in this process: `apps/<name>/src/index.ts` must export an
 * AppDefinition (default export or `app`). One process for all apps is the batch path: loading
 * cdk8s once and declaring hundreds of apps costs far less than a process per app.
 */
export function loadApps(appsDir: string): AppDefinition[] {
  const folders = listAppFolders(appsDir);
  precompileApps(appsDir, folders);
  return folders.map((folder) => loadApp(path.join(appsDir, folder), folder));
}

/**
 * Hands every TypeScript file under these apps' `src/` to the loader to compile in one batch
 * before they are required (src/cache/compiled-code.cjs: it does so only when most would miss the
 * compiled-code cache, as in drift or on a fresh clone). Speed only: loading is the same after.
 */
export function precompileApps(appsDir: string, folders: readonly string[]): void {
  precompileFolders(folders.map((folder) => path.join(appsDir, folder, 'src')));
}

/** `precompileApps` for a caller that can wait: esbuild's asynchronous API (see precompileFoldersAsync). */
export function precompileAppsAsync(appsDir: string, folders: readonly string[]): Promise<void> {
  return precompileFoldersAsync(folders.map((folder) => path.join(appsDir, folder, 'src')));
}

/** The app folders under `appsDir` (non-empty directories), sorted. */
export function listAppFolders(appsDir: string): string[] {
  if (!fs.existsSync(appsDir)) return [];
  // An app has its entry file (one stat); only a folder without it is listed, to tell an empty
  // leftover (git keeps no empty folders) from a broken app, which loadApp then refuses.
  const isApp = (name: string): boolean =>
    fs.existsSync(path.join(appsDir, name, 'src', 'index.ts')) || fs.readdirSync(path.join(appsDir, name)).length > 0;
  return fs
    .readdirSync(appsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && isApp(d.name))
    .map((d) => d.name)
    .sort();
}

/**
 * The files a loaded app's module ran, outside node_modules and `excludeDir` (the workspace
 * libraries): its entry and whatever it imports from the repository, transitively. Node lists a
 * module under every parent that requires it, cached or not, so the set does not depend on the
 * order apps were loaded in.
 */
export function appSourceFiles(dir: string, excludeDir: string): string[] | undefined {
  const entry = require.cache[require.resolve(path.join(dir, 'src', 'index.ts'))];
  // Not loaded through require (e.g. an ESM loader): unknown sources, so never cache the app.
  if (!entry) return undefined;
  const seen = new Set<string>();
  const walk = (m: NodeJS.Module | undefined): void => {
    if (
      !m ||
      seen.has(m.filename) ||
      m.filename.includes(`${path.sep}node_modules${path.sep}`) ||
      m.filename.startsWith(excludeDir + path.sep)
    )
      return;
    seen.add(m.filename);
    for (const child of m.children) walk(child);
  };
  walk(entry);
  return [...seen].sort();
}

/**
 * Loads one app through whatever TypeScript loader the process runs: the CLI's register.cjs
 * (compiled once per content, cached in `.synth-cache/compiled-ts.json`), the test runner's
 * transform in tests.
 */
export function loadApp(dir: string, folder = path.basename(dir)): AppDefinition {
  const entry = path.join(dir, 'src', 'index.ts');
  const field = `apps/${folder}/src/index.ts`;
  // A folder without its entry file would otherwise vanish from every cluster, and Flux would
  // prune the app: refuse instead, and let the owner delete the folder on purpose.
  if (!fs.existsSync(entry)) {
    throw new ConfigError({
      app: folder,
      field,
      problem: 'does not exist, but the folder apps/' + folder + ' does',
      fix: `restore ${field}, or delete the folder apps/${folder} to remove the app`,
    });
  }
  let mod: { default?: unknown; app?: unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(entry) as { default?: unknown; app?: unknown };
  } catch (e) {
    if (ConfigError.is(e)) throw e;
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new ConfigError({
      app: folder,
      field,
      problem: `cannot be loaded: ${message}`,
      fix: `fix the TypeScript in ${field} (run with --debug for the stack)`,
      cause: e,
    });
  }
  const def = isAppDefinition(mod.default) ? mod.default : isAppDefinition(mod.app) ? mod.app : undefined;
  if (!def) {
    throw new ConfigError({
      app: folder,
      field,
      problem: 'does not export an app definition',
      fix: 'end the file with `export default defineApp({ name, deploy })`',
    });
  }
  if (def.name !== folder) {
    throw new ConfigError({
      app: folder,
      field: 'name',
      problem: `is "${def.name}" but the folder is apps/${folder}`,
      fix: `name the app "${folder}", or rename the folder`,
    });
  }
  return def;
}
