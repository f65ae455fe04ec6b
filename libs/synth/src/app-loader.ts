import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '@aks-gitops/cluster-model';
import { isAppDefinition } from '@aks-gitops/workloads';
import type { AppDefinition } from '@aks-gitops/workloads';

/**
 * Loads every app under `appsDir` in this process: `apps/<name>/src/index.ts` must export an
 * AppDefinition (default export or `app`). One process for all apps is the batch path: loading
 * cdk8s once and declaring hundreds of apps costs far less than a process per app.
 */
export function loadApps(appsDir: string): AppDefinition[] {
  if (!fs.existsSync(appsDir)) return [];
  const names = fs
    .readdirSync(appsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.readdirSync(path.join(appsDir, d.name)).length > 0)
    .map((d) => d.name)
    .sort();
  return names.map((folder) => loadApp(path.join(appsDir, folder), folder));
}

export function loadApp(dir: string, folder = path.basename(dir)): AppDefinition {
  const entry = path.join(dir, 'src', 'index.ts');
  const field = `apps/${folder}/src/index.ts`;
  // A folder without its entry file would otherwise vanish from every cluster, and Flux would
  // prune the app: refuse instead, and let the owner delete the folder on purpose.
  if (!fs.existsSync(entry)) {
    throw new ConfigError({ app: folder, field, problem: 'does not exist, but the folder apps/' + folder + ' does', fix: `restore ${field}, or delete the folder apps/${folder} to remove the app` });
  }
  let mod: { default?: unknown; app?: unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(entry) as { default?: unknown; app?: unknown };
  } catch (e) {
    if (ConfigError.is(e)) throw e;
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new ConfigError({ app: folder, field, problem: `cannot be loaded: ${message}`, fix: `fix the TypeScript in ${field} (run with --debug for the stack)`, cause: e });
  }
  const def = isAppDefinition(mod.default) ? mod.default : isAppDefinition(mod.app) ? mod.app : undefined;
  if (!def) {
    throw new ConfigError({ app: folder, field, problem: 'does not export an app definition', fix: 'end the file with `export default defineApp({ name, deploy })`' });
  }
  if (def.name !== folder) {
    throw new ConfigError({ app: folder, field: 'name', problem: `is "${def.name}" but the folder is apps/${folder}`, fix: `name the app "${folder}", or rename the folder` });
  }
  return def;
}
