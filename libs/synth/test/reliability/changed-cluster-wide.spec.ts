/**
 * `synth --changed` keeps a cluster's platform/, azure/ and flux/ folders as they are when no app
 * declared this run changed its claims there (a new image, replicas, config: the everyday change),
 * since those folders are made from the claims alone. Every scenario ends with the tree a full synth
 * without any cache writes, and the rendered app is still judged by the gate with its namespace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthOk, synthesizedScratch } from './support/synthesized-scratch';
import { APP_PRELUDE, FIXTURE_APPS, appSource, readTree, runSynthCli, writeApp, writeAppFile } from './support/scratch';

const { base, copy, referenceTree, edit } = synthesizedScratch('wide');
let clusterCount = 0;
beforeAll(() => {
  clusterCount = fs.readdirSync(path.join(base(), 'clusters')).length;
});

/** On how many clusters synth said it kept the cluster-wide folders (0 when it did not say). */
const keptOn = (stdout: string): number => Number(/kept as written on (\d+) cluster\(s\)/.exec(stdout)?.[1] ?? 0);

/** A cluster-wide file of the first cluster. */
function wideFile(root: string, rel: string): string {
  const cluster = fs.readdirSync(path.join(root, 'clusters')).sort()[0];
  return rel.startsWith('flux/')
    ? path.join(root, 'flux', cluster, rel.slice(5))
    : path.join(root, 'clusters', cluster, rel);
}

describe('synth --changed and the cluster-wide folders', () => {
  it('a replicas change claims nothing new: platform/, azure/ and flux/ are kept on every cluster, and the tree is a full synth', async () => {
    const root = copy('wide-replicas');
    edit(root, 'broker', 'replicas: prod ? 3 : 2', 'replicas: prod ? 4 : 2');
    const out = await synthOk(root, ['--changed']);
    expect(keptOn(out)).toBe(clusterCount);
    expect(readTree(root)).toEqual(await referenceTree(root));
  });

  it('`synth --app <app>` keeps them by the same rule', async () => {
    const root = copy('wide-app-flag');
    edit(root, 'broker', 'replicas: prod ? 3 : 2', 'replicas: prod ? 5 : 2');
    const out = await synthOk(root, ['--app', 'broker']);
    expect(keptOn(out)).toBe(clusterCount);
    expect(readTree(root)).toEqual(await referenceTree(root));
  });

  it("a callee's port change changes claims: the cluster-wide folders are rendered again where it is deployed", async () => {
    const root = copy('wide-port');
    edit(root, 'orders', 'port: 8080', 'port: 8081');
    const out = await synthOk(root, ['--changed']);
    expect(keptOn(out)).toBeLessThan(clusterCount);
    expect(readTree(root)).toEqual(await referenceTree(root));
  });

  it('a new app is rendered with its namespace, Flux objects and CODEOWNERS lines', async () => {
    const root = copy('wide-new-app');
    writeApp(
      root,
      'audit',
      `    new L7Api(scope, 'api', { image: IMG('audit'), port: 8080, routes: [{ host: 'audit.example.com' }] });`,
    );
    const out = await synthOk(root, ['--changed']);
    expect(keptOn(out)).toBe(0);
    expect(fs.readFileSync(wideFile(root, 'platform/manifests.yaml'), 'utf8')).toContain('# Namespace audit\n');
    expect(readTree(root)).toEqual(await referenceTree(root));
  });

  it.each([
    ['platform/manifests.yaml', (t: string) => t.replace('default-deny', 'default-dENY')],
    ['azure/allocations.json', (t: string) => `${t} `],
    ['flux/kustomization.yaml', (t: string) => `${t}# edited by hand\n`],
  ])('a hand edit of %s is written again, with nothing else changed', async (rel, change) => {
    const root = copy('wide-hand-edit');
    const file = wideFile(root, rel);
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, change(text));
    const out = await synthOk(root, ['--changed']);
    expect(keptOn(out)).toBe(clusterCount - 1);
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
    expect(readTree(root)).toEqual(await referenceTree(root));
  });

  it('a file added by hand to platform/ is removed again', async () => {
    const root = copy('wide-stray');
    const stray = wideFile(root, 'platform/extra.yaml');
    fs.writeFileSync(stray, 'kind: ConfigMap\n');
    await synthOk(root, ['--changed']);
    expect(fs.existsSync(stray)).toBe(false);
    expect(readTree(root)).toEqual(await referenceTree(root));
  });

  it('`flux bootstrap` adding flux/<cluster>/flux-system makes flux/<cluster>/kustomization.yaml list it', async () => {
    const root = copy('wide-bootstrap');
    const fluxSystem = wideFile(root, 'flux/flux-system');
    fs.mkdirSync(fluxSystem);
    fs.writeFileSync(path.join(fluxSystem, 'kustomization.yaml'), 'resources: [gotk-components.yaml]\n');
    await synthOk(root, ['--changed']);
    expect(fs.readFileSync(wideFile(root, 'flux/kustomization.yaml'), 'utf8')).toContain('- flux-system');
    expect(readTree(root)).toEqual(await referenceTree(root));
  });

  it("an app's new owners rewrite .github/CODEOWNERS, and a hand edit of it is written again", async () => {
    const root = copy('wide-owners');
    const source = appSource('broker', FIXTURE_APPS.broker as string).replace(
      'name: "broker",',
      `name: "broker",\n  owners: ['@contoso/broker-team'],`,
    );
    writeAppFile(root, 'broker', source);
    await synthOk(root, ['--changed']);
    const codeowners = path.join(root, '.github', 'CODEOWNERS');
    expect(fs.readFileSync(codeowners, 'utf8')).toContain('@contoso/broker-team');
    expect(readTree(root)).toEqual(await referenceTree(root));

    const text = fs.readFileSync(codeowners, 'utf8');
    fs.writeFileSync(codeowners, text.replace('@contoso/broker-team', '@contoso/someone-else'));
    await synthOk(root, ['--changed']);
    expect(fs.readFileSync(codeowners, 'utf8')).toBe(text);
  });

  it("the gate still judges the rendered app with its namespace's platform objects: a second default-deny is refused", async () => {
    const root = copy('wide-gate');
    const before = readTree(root);
    const body = `${FIXTURE_APPS.broker as string}
    new ApiObject(scope, 'dup', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'broker' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });`;
    writeAppFile(
      root,
      'broker',
      appSource('broker', body).replace(APP_PRELUDE, `import { ApiObject } from 'cdk8s';\n${APP_PRELUDE}`),
    );
    const changed = await runSynthCli(root, ['--changed'], { direct: true });
    const full = await runSynthCli(root, ['--no-cache'], { direct: true });
    // Only the platform's own default-deny in platform/ makes this one a second copy.
    const refusal = /object-single-owner +NetworkPolicy broker\/default-deny/;
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(refusal);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(refusal);
    expect(changed.stderr).not.toContain('namespace-declared');
    expect(readTree(root)).toEqual(before);
  });
});
