import * as fs from 'node:fs';
import * as path from 'node:path';
import { FLUX_BOOTSTRAP_FOLDER } from '@aks-gitops/cluster-model';
import { FILE_UNIT } from '../output-unit';
import type { Unit } from '../output-unit';

/** Reading the output tree as it is on disk, in units (see output-unit.ts). */

/** Units are the leaf folders `clusters/<c>/<x>` and the per-cluster trees `flux/<c>`. */
export function listExistingUnits(root: string): string[] {
  const out: string[] = [];
  for (const top of ['clusters', 'flux']) {
    const dir = path.join(root, top);
    if (!fs.existsSync(dir)) continue;
    for (const c of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!c.isDirectory()) continue;
      if (top === 'flux') {
        out.push(`flux/${c.name}`);
        continue;
      }
      for (const f of fs.readdirSync(path.join(dir, c.name), { withFileTypes: true })) {
        if (f.isDirectory()) out.push(`clusters/${c.name}/${f.name}`);
      }
    }
  }
  return out.sort();
}

/** Whether `unit` is a per-cluster flux tree, `flux/<cluster>`, which may hold a `flux bootstrap` folder. */
export function isFluxClusterUnit(unit: string): boolean {
  return unit.startsWith('flux/') && unit.split('/').length === 2;
}

/**
 * `flux bootstrap --path=flux/<cluster>` writes `flux/<cluster>/flux-system/` (Flux's own install):
 * synth never writes it, never compares it and keeps it when it replaces or removes the folder.
 */
function isBootstrapFolder(unit: string, rel: string): boolean {
  return rel === FLUX_BOOTSTRAP_FOLDER && isFluxClusterUnit(unit);
}

/** The clusters whose `flux/<cluster>/` holds a `flux bootstrap` folder (its kustomization.yaml). */
export function bootstrappedClusters(root: string): Set<string> {
  const out = new Set<string>();
  const flux = path.join(root, 'flux');
  if (!fs.existsSync(flux)) return out;
  for (const c of fs.readdirSync(flux, { withFileTypes: true })) {
    if (c.isDirectory() && fs.existsSync(path.join(flux, c.name, FLUX_BOOTSTRAP_FOLDER, 'kustomization.yaml')))
      out.add(c.name);
  }
  return out;
}

/**
 * Files under `clusters/` and `flux/` outside every folder synth writes (`clusters/<file>`,
 * `clusters/<cluster>/<file>`, `flux/<file>`): nothing synth writes lives there, so each is drift.
 * Files at any depth inside a folder are compared with the folder's content instead.
 */
export function strayFiles(root: string): string[] {
  const out: string[] = [];
  const filesIn = (rel: string, descend: boolean): void => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) return;
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      if (!e.isDirectory()) out.push(`${rel}/${e.name}`);
      else if (descend) filesIn(`${rel}/${e.name}`, false);
    }
  };
  filesIn('clusters', true);
  filesIn('flux', false);
  return out.sort();
}

/** Reads a unit's files recursively (relative paths with `/`), leaving out a flux bootstrap folder. */
export function readUnit(root: string, unit: string): Unit {
  const files: Unit = new Map();
  const base = path.join(root, unit);
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(base, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && isBootstrapFolder(unit, r)) continue;
      if (e.isDirectory()) walk(r);
      else files.set(r, fs.readFileSync(path.join(base, r), 'utf8'));
    }
  };
  if (!fs.existsSync(base)) return files;
  if (fs.statSync(base).isFile()) return new Map([[FILE_UNIT, fs.readFileSync(base, 'utf8')]]);
  walk('');
  return files;
}
