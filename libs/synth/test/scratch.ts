import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadApps } from '@aks-gitops/synth';

/** The repository root (tests run from anywhere). */
export const REPO = path.resolve(__dirname, '../../..');

/**
 * The example fleet these tests know by name: a copy of the four example apps as the README shows
 * them, kept under test/fixtures so users can add, change and remove apps under apps/ without
 * breaking a test. Tests of the repository's own apps/ and clusters/ live in the fleet project
 * (tools/fleet/test) and assume nothing about which apps exist.
 */
export const EXAMPLE_APPS_DIR = path.join(__dirname, 'fixtures', 'example-apps');
export const EXAMPLE_APPS = loadApps(EXAMPLE_APPS_DIR);

/**
 * A scratch repository root in the OS temp dir, with a `node_modules` link back to this
 * repository so app files there can import '@aks-gitops/*'. Removed by `cleanup()`.
 */
export function scratchRoot(label: string): { root: string; cleanup: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `aks-gitops-${label}-`));
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return { root, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** Every file under clusters/ and flux/ with its sha256: the "tree unchanged" witness. */
export function treeDigest(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else
        out[r] = createHash('sha256')
          .update(fs.readFileSync(path.join(root, r)))
          .digest('hex');
    }
  };
  walk('clusters');
  walk('flux');
  return out;
}

export function readYaml(root: string, file: string): string {
  return fs.readFileSync(path.join(root, file), 'utf8');
}
