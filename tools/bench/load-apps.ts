/**
 * Loads the libraries and every app of a root the way synth does (`loadApps`, under the synth
 * launcher's loader, libs/synth/register.cjs), and nothing else: prices module loading and the
 * TypeScript transform of N app files (delete `.synth-cache/compiled-ts.json` for a cold cache). Prints `load-apps: <n> apps, libraries <ms> ms, apps <ms> ms`.
 */
import * as path from 'node:path';

const started = process.hrtime.bigint();
const { loadApps } =
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../libs/synth/src/render/app-loader') as typeof import('../../libs/synth/src/render/app-loader');
const libsMs = Number(process.hrtime.bigint() - started) / 1e6;
const root = path.resolve(process.argv[2] ?? process.env.AKS_GITOPS_ROOT ?? process.cwd());
const appsStarted = process.hrtime.bigint();
const apps = loadApps(path.join(root, 'apps'));
const appsMs = Number(process.hrtime.bigint() - appsStarted) / 1e6;
process.stdout.write(
  `load-apps: ${apps.length} apps, libraries ${Math.round(libsMs)} ms, apps ${Math.round(appsMs)} ms\n`,
);
