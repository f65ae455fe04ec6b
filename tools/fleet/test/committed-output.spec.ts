import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { CLUSTERS } from '@aks-gitops/cluster-model';
import type { KubeObject } from '@aks-gitops/cluster-model';
import { checkDrift, listAppFolders, toYaml, toYamlWithLibrary } from '@aks-gitops/synth';
import {
  FLUX_SCHEMA_VERSION,
  GATEWAY_API_SCHEMA_VERSION,
  findKubectls,
  kubernetesValidationLabel,
  kustomizeBuild,
  validateObjects,
} from '@aks-gitops/validation';

/**
 * The repository's own fleet (whatever apps/ holds today) and its committed output, as Flux's
 * kustomize-controller would see it: the tree is what the code produces, every folder under
 * clusters/ and flux/ builds with the real kustomize, and every object it yields validates against
 * the upstream schemas (Kubernetes, Flux, Gateway API, Secrets Store CSI). Nothing here names an
 * app: users add and remove them (the fleet project depends on every app, so this runs whenever
 * one changes).
 */
const REPO = path.resolve(__dirname, '../../..');
const kustomizationDirs = (): string[] => {
  const out: string[] = [];
  for (const top of ['clusters', 'flux']) {
    const walk = (dir: string) => {
      if (fs.existsSync(path.join(dir, 'kustomization.yaml'))) out.push(dir);
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(dir, e.name));
    };
    walk(path.join(REPO, top));
  }
  return out.sort();
};

const dirs = kustomizationDirs();
const kubectls = findKubectls();
// Application Gateway for Containers kinds are validated from vendored CRD schemas; Cilium's
// CiliumNetworkPolicy (the LocalDNS egress rule on Cilium clusters) has none here and is allowed by name.
const SCHEMALESS = ['alb.networking.azure.io/v1/WebApplicationFirewallPolicy', 'cilium.io/v2/CiliumNetworkPolicy'];

describe('the committed clusters/ and flux/ trees', () => {
  it('are exactly what the code produces from apps/ (the drift check, with apps loaded by the test runner)', () => {
    expect(checkDrift({ root: REPO }).files).toEqual([]);
  });

  it('has a kustomization in every cluster baseline, every app folder and every flux folder', () => {
    const rel = dirs.map((d) => path.relative(REPO, d));
    const apps = new Set(listAppFolders(path.join(REPO, 'apps')));
    for (const c of CLUSTERS) {
      expect(rel).toEqual(expect.arrayContaining([`clusters/${c.name}/platform`, `flux/${c.name}`]));
      const folders = fs
        .readdirSync(path.join(REPO, 'clusters', c.name))
        .filter((f) => f !== 'platform' && f !== 'azure');
      for (const f of folders) {
        expect(apps.has(f)).toBe(true);
        expect(rel).toContain(`clusters/${c.name}/${f}`);
      }
    }
  });

  it('finds kubectl 1.32 (and 1.28 where installed) to build with', () => {
    expect(kubectls.length).toBeGreaterThan(0);
  });

  describe.each(kubectls.map((k) => [k.version, k.path] as const))('kubectl %s kustomize', (_version, kubectl) => {
    it.each(dirs.map((d) => [path.relative(REPO, d)]))(
      'builds %s to exactly the listed objects, all schema-valid',
      (rel) => {
        const dir = path.join(REPO, rel);
        const built = kustomizeBuild(dir, { kubectl });
        const listed = (parse(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] })
          .resources;
        const files = listed.flatMap((f) =>
          parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS() as KubeObject),
        );
        expect(built.length).toBe(files.length);
        expect(validateObjects(built, { allowSchemaless: SCHEMALESS })).toEqual([]);
      },
    );
  });

  // Each cluster against the API versions its own minor serves, the Kubernetes field schemas closest
  // to it (the title says which), and the Flux and Gateway API CRD schemas.
  it.each(CLUSTERS.map((c) => [c.name, kubernetesValidationLabel(c.kubernetesVersion), c.kubernetesVersion] as const))(
    `validates every committed file of %s against %s, ${FLUX_SCHEMA_VERSION} and ${GATEWAY_API_SCHEMA_VERSION}, independently of kustomize`,
    (cluster, _label, kubernetesVersion) => {
      const objects: KubeObject[] = [];
      for (const d of dirs.filter((dir) =>
        [`clusters/${cluster}`, `flux/${cluster}`].some(
          (p) => path.relative(REPO, dir) === p || path.relative(REPO, dir).startsWith(`${p}/`),
        ),
      )) {
        for (const f of fs.readdirSync(d)) {
          if (!f.endsWith('.yaml') || f === 'kustomization.yaml') continue;
          objects.push(
            ...parseAllDocuments(fs.readFileSync(path.join(d, f), 'utf8')).map((doc) => doc.toJS() as KubeObject),
          );
        }
      }
      expect(objects.length).toBeGreaterThan(0);
      expect(validateObjects(objects, { allowSchemaless: SCHEMALESS, kubernetesVersion })).toEqual([]);
    },
  );

  it("prints every committed object exactly as the yaml library would (synth's emitter is held to it)", () => {
    let count = 0;
    for (const d of dirs) {
      for (const f of fs.readdirSync(d)) {
        if (!f.endsWith('.yaml')) continue;
        for (const doc of parseAllDocuments(fs.readFileSync(path.join(d, f), 'utf8'))) {
          const obj = doc.toJS();
          expect(toYaml(obj)).toBe(toYamlWithLibrary(obj));
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(0);
  });
});
