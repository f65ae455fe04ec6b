import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { findKubectls, kustomizeBuild, kustomizeBuildMany } from './libs/validation/src';
import * as fx from './libs/validation/test/fixtures';
const root = mkdtempSync(join(tmpdir(), 'kb-'));
const dirs = Array.from({ length: 10 }, (_, i) => { const d = join(root, `d${i}`); mkdirSync(d); const objs = [fx.deployment(`a${i}`), fx.service(`a${i}`), fx.networkPolicy(`a${i}`), fx.pdb(`a${i}`)]; const files = objs.map((o, j) => { const f = `${j}.yaml`; writeFileSync(join(d, f), stringify(o)); return f; }); writeFileSync(join(d, 'kustomization.yaml'), stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: files })); return d; });
(async () => {
  let t = performance.now(); console.log(findKubectls()); console.log('findKubectls', (performance.now() - t).toFixed(0));
  t = performance.now(); for (const d of dirs) kustomizeBuild(d); console.log('sequential 10', (performance.now() - t).toFixed(0));
  for (const c of [1, 2, 4]) { t = performance.now(); await kustomizeBuildMany(dirs, { concurrency: c }); console.log('many c=' + c, (performance.now() - t).toFixed(0)); }
  const bad = join(root, 'bad'); mkdirSync(bad); writeFileSync(join(bad, 'kustomization.yaml'), 'resources: [missing.yaml]\n');
  for (const k of findKubectls()) { try { kustomizeBuild(bad, { kubectl: k.path }); } catch (e) { console.log((e as Error).message); } }
  const empty = join(root, 'empty'); mkdirSync(empty); writeFileSync(join(empty, 'kustomization.yaml'), 'resources: []\n');
  console.log('empty', kustomizeBuild(empty));
})();
