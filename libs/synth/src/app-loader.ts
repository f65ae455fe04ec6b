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
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(appsDir, d.name, 'src', 'index.ts')))
    .map((d) => d.name)
    .sort();
  return names.map((folder) => loadApp(path.join(appsDir, folder), folder));
}

export function loadApp(dir: string, folder = path.basename(dir)): AppDefinition {
  const entry = path.join(dir, 'src', 'index.ts');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(entry) as { default?: unknown; app?: unknown };
  const def = isAppDefinition(mod.default) ? mod.default : isAppDefinition(mod.app) ? mod.app : undefined;
  if (!def) {
    throw new ConfigError({ app: folder, field: 'apps/' + folder + '/src/index.ts', problem: 'does not export an app definition', fix: 'end the file with `export default defineApp({ name, deploy })`' });
  }
  if (def.name !== folder) {
    throw new ConfigError({ app: folder, field: 'name', problem: `is "${def.name}" but the folder is apps/${folder}`, fix: `name the app "${folder}", or rename the folder` });
  }
  return def;
}
