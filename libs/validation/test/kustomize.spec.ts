import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject } from '@aks-gitops/cluster-model';
import { findKubectls, kustomizeBuild, kustomizeBuildMany, validateObjects } from '@aks-gitops/validation';
import * as fx from './fixtures';

const root = mkdtempSync(join(tmpdir(), 'validation-kustomize-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** A kustomization dir with one file per object and a kustomization.yaml listing them. */
function kustomizationDir(objects: KubeObject[], kustomization?: Record<string, unknown>): string {
  const dir = join(root, `k${counter++}`);
  mkdirSync(dir);
  const files = objects.map((obj) => `${obj.kind.toLowerCase()}-${obj.metadata.name}.yaml`);
  objects.forEach((obj, i) => writeFileSync(join(dir, files[i] as string), stringify(obj)));
  const body = kustomization ?? {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: files,
  };
  writeFileSync(join(dir, 'kustomization.yaml'), stringify(body));
  return dir;
}

const kubectls = findKubectls();

test('kubectl is available (a documented prerequisite)', () => {
  expect(kubectls.length).toBeGreaterThan(0);
  for (const k of kubectls)
    expect(k).toEqual({
      version: expect.stringMatching(/^1\.\d+\.\d+$/),
      path: expect.any(String),
      kustomizeVersion: expect.any(String),
    });
});

test('kubectl.1.28 is found next to the Cloud SDK kubectl when it exists', () => {
  const sdk128 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.28';
  if (!existsSync(sdk128)) return; // not every machine has it: findKubectls just lists fewer
  expect(kubectls.map((k) => k.version)).toContainEqual(expect.stringMatching(/^1\.28\./));
});

test('findKubectls skips what is not there', () => {
  expect(findKubectls({ names: ['kubectl-no-such-binary'], extraDirs: ['/nonexistent'] })).toEqual([]);
});

describe.each(kubectls.map((k) => [`${k.version} (kustomize ${k.kustomizeVersion})`, k.path] as const))(
  'kubectl %s',
  (_label, kubectl) => {
    test('builds a kustomization listing two files into both objects', () => {
      const dir = kustomizationDir([fx.deployment(), fx.service()]);
      const objects = kustomizeBuild(dir, { kubectl });
      expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
        'Deployment/orders-api',
        'Service/orders-api',
      ]);
      // What kustomize emits still passes the upstream schemas.
      expect(validateObjects(objects)).toEqual([]);
    });

    test('a kustomization listing a missing file throws with kustomize’s message', () => {
      const dir = kustomizationDir([fx.service()], {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: ['service-orders-api.yaml', 'missing.yaml'],
      });
      expect(() => kustomizeBuild(dir, { kubectl })).toThrow(/kustomize .* failed \(exit \d+\):\n[^]*missing\.yaml/);
    });

    test('an unknown kustomization field throws with kustomize’s message', () => {
      const dir = kustomizationDir([fx.service()], {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resource: ['service-orders-api.yaml'],
      });
      expect(() => kustomizeBuild(dir, { kubectl })).toThrow(/unknown field \\?"resource\\?"/);
    });
  },
);

test('a missing kubectl is a clear error', () => {
  const dir = kustomizationDir([fx.service()]);
  expect(() => kustomizeBuild(dir, { kubectl: '/nonexistent/kubectl' })).toThrow(/\/nonexistent\/kubectl not found/);
});

describe('kustomizeBuildMany', () => {
  test('builds several dirs with limited concurrency, results in input order', async () => {
    const dirs = ['a', 'b', 'c', 'd', 'e'].map((n) =>
      kustomizationDir([fx.configMap(`cm-${n}`), fx.service(`svc-${n}`)]),
    );
    const results = await kustomizeBuildMany(dirs, { concurrency: 2 });
    expect(results.map((objs) => objs.map((o) => o.metadata.name).sort())).toEqual(
      ['a', 'b', 'c', 'd', 'e'].map((n) => [`cm-${n}`, `svc-${n}`]),
    );
  });

  test('rejects with the failing directory’s error', async () => {
    const good = kustomizationDir([fx.service()]);
    const bad = kustomizationDir([fx.service()], {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['nope.yaml'],
    });
    await expect(kustomizeBuildMany([good, bad])).rejects.toThrow(new RegExp(`kustomize ${bad} failed[^]*nope\\.yaml`));
  });
});
