import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, PLATFORM_OWNERS } from '@aks-gitops/cluster-model';
import { CODEOWNERS_FILE, checkDrift, codeownersText, recoverInterruptedWrite, runSynth } from '@aks-gitops/synth';
import { defineApp } from '@aks-gitops/workloads';
import type { AppDefinition } from '@aks-gitops/workloads';
import { EXAMPLE_APPS, REPO, scratchRoot, treeDigest } from './scratch';

/** The owner lines GitHub would apply to `file`: the last matching pattern wins. */
function ownersOf(codeowners: string, file: string): string[] {
  let owners: string[] = [];
  for (const raw of codeowners.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [pattern, ...who] = line.split(/\s+/);
    const re =
      pattern === '*'
        ? /.*/
        : new RegExp(
            '^' +
              pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*') +
              (pattern.endsWith('/') ? '' : '$'),
          );
    if (re.test(`/${file}`)) owners = who;
  }
  return owners;
}

const app = (name: string, owners?: string[]): AppDefinition => defineApp({ name, owners, deploy: () => undefined });

describe('owners: defineApp({ owners }) and the platform team produce .github/CODEOWNERS', () => {
  const text = codeownersText(
    [app('payments-api', ['@contoso/payments-team', 'oncall@contoso.com']), app('orders-api')],
    ['@contoso/platform-team'],
  );

  it("asks an app's owners for its source and for every folder synth generates for it", () => {
    expect(ownersOf(text, 'apps/payments-api/src/index.ts')).toEqual(['@contoso/payments-team', 'oncall@contoso.com']);
    expect(ownersOf(text, 'apps/payments-api/release.json')).toEqual(['@contoso/payments-team', 'oncall@contoso.com']);
    expect(ownersOf(text, 'clusters/aks-prod-weu/payments-api/manifests.yaml')).toEqual([
      '@contoso/payments-team',
      'oncall@contoso.com',
    ]);
    expect(ownersOf(text, 'clusters/aks-new-cluster/payments-api/kustomization.yaml')).toEqual([
      '@contoso/payments-team',
      'oncall@contoso.com',
    ]);
  });

  it('gives shared paths to the platform team: libraries, tools, pipelines, Flux, baselines, Azure edge', () => {
    for (const f of [
      'libs/cli/src/main.ts',
      'libs/cli/bin/aks-gitops.cjs',
      '.github/workflows/pull-request.yml',
      '.github/CODEOWNERS',
      'flux/aks-prod-weu/platform.yaml',
      'clusters/aks-prod-weu/platform/manifests.yaml',
      'clusters/aks-prod-weu/azure/firewall-dnat.json',
      'package.json',
      'renovate.json',
      'azure-pipelines.yml',
      'README.md',
    ]) {
      expect([f, ownersOf(text, f)]).toEqual([f, ['@contoso/platform-team']]);
    }
  });

  it('an app without owners is reviewed by the platform team', () => {
    expect(ownersOf(text, 'apps/orders-api/src/index.ts')).toEqual(['@contoso/platform-team']);
  });

  it('is the same whatever the order apps are loaded in', () => {
    expect(
      codeownersText(
        [app('orders-api'), app('payments-api', ['@contoso/payments-team', 'oncall@contoso.com'])],
        ['@contoso/platform-team'],
      ),
    ).toBe(text);
  });

  it.each([
    ['contoso/payments-team', 'owners[0]'],
    ['@contoso/', 'owners[0]'],
    ['@-bad', 'owners[0]'],
    ['not an email', 'owners[0]'],
  ])('rejects the owner %j, naming the app and the field', (owner, field) => {
    const define = () => app('payments-api', [owner]);
    expect(define).toThrow(ConfigError);
    expect(define).toThrow(/payments-api/);
    try {
      define();
    } catch (e) {
      expect((e as ConfigError).message).toContain(field);
      expect((e as ConfigError).message).toContain('@org/team');
    }
  });

  it('rejects an empty or invalid platform owner list', () => {
    expect(() => codeownersText([], [])).toThrow(/PLATFORM_OWNERS/);
    expect(() => codeownersText([], ['platform'])).toThrow(/PLATFORM_OWNERS/);
  });

  it('the committed file lists every example app and the fleet platform owners', () => {
    const committed = fs.readFileSync(path.join(REPO, CODEOWNERS_FILE), 'utf8');
    expect(committed).toBe(codeownersText(EXAMPLE_APPS));
    for (const a of EXAMPLE_APPS)
      expect(ownersOf(committed, `clusters/aks-prod-weu/${a.name}/manifests.yaml`)).toEqual(
        a.owners ?? [...PLATFORM_OWNERS],
      );
  });
});

describe('synth writes .github/CODEOWNERS with the rest, and drift covers it', () => {
  let root: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ root, cleanup } = scratchRoot('codeowners'));
    fs.mkdirSync(path.join(root, '.github/workflows'), { recursive: true });
    fs.writeFileSync(path.join(root, '.github/workflows/pull-request.yml'), 'on: pull_request\n');
  });
  afterEach(() => cleanup());
  const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');

  it('writes the file next to the hand-written workflows, which it never touches', async () => {
    await runSynth({ root, apps: EXAMPLE_APPS });
    expect(read(CODEOWNERS_FILE)).toBe(codeownersText(EXAMPLE_APPS));
    expect(read('.github/workflows/pull-request.yml')).toBe('on: pull_request\n');
    expect(checkDrift({ root, apps: EXAMPLE_APPS }).files).toEqual([]);
  });

  it('drift names a hand-edited or deleted CODEOWNERS', async () => {
    await runSynth({ root, apps: EXAMPLE_APPS });
    fs.appendFileSync(path.join(root, CODEOWNERS_FILE), '/apps/ @someone\n');
    expect(checkDrift({ root, apps: EXAMPLE_APPS }).files).toEqual([CODEOWNERS_FILE]);
    fs.rmSync(path.join(root, CODEOWNERS_FILE));
    expect(checkDrift({ root, apps: EXAMPLE_APPS }).files).toEqual([CODEOWNERS_FILE]);
  });

  it('changes with an owner change in the same atomic write; a synth killed after its journal is completed by the next command', async () => {
    await runSynth({ root, apps: EXAMPLE_APPS });
    const changed = EXAMPLE_APPS.map((a) =>
      a.name === 'orders-api' ? { ...a, owners: ['@contoso/new-orders-team'] } : a,
    );
    const before = treeDigest(root);
    await expect(
      runSynth({
        root,
        apps: changed,
        afterJournal: () => {
          throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    expect(treeDigest(root)).toEqual(before); // not swapped yet: the journal holds the write
    expect(recoverInterruptedWrite(root)).toBe('rolled-forward');
    expect(read(CODEOWNERS_FILE)).toBe(codeownersText(changed));
    expect(read('.github/workflows/pull-request.yml')).toBe('on: pull_request\n');
    expect(checkDrift({ root, apps: changed }).files).toEqual([]);
  });

  it('a failed synth leaves CODEOWNERS as it was', async () => {
    await runSynth({ root, apps: EXAMPLE_APPS });
    const before = read(CODEOWNERS_FILE);
    const broken = [
      ...EXAMPLE_APPS.map((a) => (a.name === 'orders-api' ? { ...a, owners: ['@contoso/other'] } : a)),
      defineApp({ name: 'orders-api', deploy: () => undefined }),
    ];
    await expect(runSynth({ root, apps: broken })).rejects.toThrow(/defined twice/);
    expect(read(CODEOWNERS_FILE)).toBe(before);
  });
});
