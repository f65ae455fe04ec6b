import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FREE_FORM_FIELDS } from '@aks-gitops/validation';

/**
 * Tripwire for the one blind spot of read-tracking strictness: a declared property whose schema
 * accepts anything is never read by ajv, so it must be listed in FREE_FORM_FIELDS. The generators
 * type exactly those properties `any` in the .d.ts files; if an upgrade of the model packages adds
 * one, this count changes and the list must be reviewed.
 */
const PACKAGES = ['kubernetes-models', '@kubernetes-models/flux-cd', '@kubernetes-models/gateway-api'];

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`, { paths: [__dirname] }));
}

function dtsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules') continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...dtsFiles(full));
    else if (entry.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

test('every any-typed property in the model packages is listed as free-form', () => {
  const declarations: string[] = [];
  for (const pkg of PACKAGES) {
    const dir = packageDir(pkg);
    for (const file of dtsFiles(dir)) {
      const text = readFileSync(file, 'utf8');
      // Only the exported interface of a kind, not its re-declarations in the same file.
      for (const match of text.matchAll(/^\s*"([A-Za-z0-9]+)"\??: any;$/gm)) {
        declarations.push(`${file.slice(dir.length + 1)}:${match[1]}`);
      }
    }
  }
  const listed = Object.values(FREE_FORM_FIELDS).flat();
  expect(declarations.sort()).toEqual([
    'helm.toolkit.fluxcd.io/v2beta1/HelmRelease.d.ts:value',
    'helm.toolkit.fluxcd.io/v2beta1/HelmRelease.d.ts:values',
    'helm.toolkit.fluxcd.io/v2beta2/HelmRelease.d.ts:value',
    'helm.toolkit.fluxcd.io/v2beta2/HelmRelease.d.ts:values',
    'kustomize.toolkit.fluxcd.io/v1beta1/Kustomization.d.ts:value',
    'kustomize.toolkit.fluxcd.io/v1beta2/Kustomization.d.ts:value',
  ]);
  expect(listed).toHaveLength(declarations.length);
});
