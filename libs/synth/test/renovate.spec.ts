import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { CLUSTERS } from '@aks-gitops/cluster-model';
import { diffRefs } from '@aks-gitops/diff';
import { parseImage } from '@aks-gitops/workloads';
import { gitIn } from './git';
import { EXAMPLE_APPS_DIR, REPO, scratchRoot } from './scratch';

/**
 * renovate.json, checked against Renovate's own JSON schema (vendored from the `renovate` npm
 * package 44.121.2, `renovate-schema.json`, published at https://docs.renovatebot.com/renovate-schema.json:
 * the validator itself needs the whole of Renovate installed), and its image regex run against
 * every app source the way Renovate runs it.
 */
interface CustomManager {
  customType: string;
  managerFilePatterns: string[];
  matchStrings: string[];
  datasourceTemplate: string;
}
const config = JSON.parse(fs.readFileSync(path.join(REPO, 'renovate.json'), 'utf8')) as {
  customManagers: CustomManager[];
  packageRules: Record<string, unknown>[];
  [k: string]: unknown;
};
const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'libs/synth/test/vendor/renovate-schema.json'), 'utf8')) as {
  $id: string;
  properties: Record<string, unknown>;
  definitions: Record<string, unknown>;
};
const [images] = config.customManagers;
/** Renovate's patterns are RE2; these use only syntax RE2 and JavaScript read alike (named groups, classes). */
let compiled: ReturnType<Ajv['compile']> | undefined;
/** Draft-07 as Renovate publishes it; `regex` and the other formats checked by ajv-formats. */
const schemaValidator = () => (compiled ??= addFormats(new Ajv({ strict: false, allErrors: true })).compile(schema));
const matcher = () => new RegExp(images.matchStrings[0], 'g');
const filePattern = new RegExp(images.managerFilePatterns[0].slice(1, -1));
const appSources = fs
  .readdirSync(path.join(REPO, 'apps'))
  .map((a) => `apps/${a}/src/index.ts`)
  .filter((f) => fs.existsSync(path.join(REPO, f)));

describe('renovate.json', () => {
  it("passes Renovate's JSON schema, and names only options the schema knows", () => {
    expect(schema.$id).toBe('https://docs.renovatebot.com/renovate-schema.json');
    const validate = schemaValidator();
    expect(validate(config) ? [] : validate.errors).toEqual([]);
    // The schema allows unknown keys; a misspelt option would be silently ignored by Renovate.
    const known = new Set([...Object.keys(schema.properties), ...Object.keys(schema.definitions)]);
    const keys = [
      ...Object.keys(config),
      ...config.customManagers.flatMap(Object.keys),
      ...config.packageRules.flatMap(Object.keys),
    ];
    expect(keys.filter((k) => k !== '$schema' && !known.has(k))).toEqual([]);
  });

  it('the schema check is real: it rejects a wrong type', () => {
    const validate = schemaValidator();
    expect(validate({ ...config, customManagers: 'no' })).toBe(false);
  });

  it("reads app sources only: never release.json (promotion is a person's decision) nor generated output", () => {
    expect(images).toMatchObject({ customType: 'regex', datasourceTemplate: 'docker' });
    expect(filePattern.test('apps/orders-api/src/index.ts')).toBe(true);
    for (const f of [
      'apps/orders-api/release.json',
      'clusters/aks-prod-weu/orders-api/manifests.yaml',
      'libs/workloads/src/index.ts',
      'apps/orders-api/src/lib/index.ts',
    ])
      expect([f, filePattern.test(f)]).toEqual([f, false]);
  });

  it('groups the images of one app in one branch named after the app folder', () => {
    expect(config.packageRules).toContainEqual(
      expect.objectContaining({
        matchManagers: ['custom.regex'],
        groupName: 'app images',
        additionalBranchPrefix: '{{packageFileDir}}-',
      }),
    );
  });

  it.each(appSources)('captures depName, currentValue and currentDigest of every image in %s', (file) => {
    const text = fs.readFileSync(path.join(REPO, file), 'utf8');
    const literals = [...text.matchAll(/'([^']+)'/g)]
      .map((m) => m[1])
      .filter((s) => parseImage(s)?.tag && s.includes('/'));
    expect(literals.length).toBeGreaterThan(0);
    const found = [...text.matchAll(matcher())].map((m) => m.groups!);
    expect(found.map((g) => `${g.depName}:${g.currentValue}${g.currentDigest ? `@${g.currentDigest}` : ''}`)).toEqual(
      literals,
    );
    for (const g of found) {
      const ref = parseImage(`${g.depName}:${g.currentValue}${g.currentDigest ? `@${g.currentDigest}` : ''}`)!;
      expect(g).toEqual({ depName: ref.repository, currentValue: ref.tag, currentDigest: ref.digest });
    }
  });
});

describe('a Renovate digest update, end to end', () => {
  it('is a one-file change to the app source; after synth the diff shows one image line on the non-prod clusters and nothing on prod', () => {
    const { root, cleanup } = scratchRoot('renovate');
    try {
      const app = 'orders-api';
      // Every app: the app's consent (acceptCallsFrom) must name apps that exist.
      fs.cpSync(EXAMPLE_APPS_DIR, path.join(root, 'apps'), { recursive: true });
      const git = gitIn(root);
      const synth = () => {
        const r = spawnSync(
          process.execPath,
          ['--require', path.join(REPO, 'libs/synth/register.cjs'), path.join(REPO, 'libs/cli/src/main.ts'), 'synth'],
          { cwd: root, encoding: 'utf8', env: { ...process.env, AKS_GITOPS_ROOT: root } },
        );
        expect(r.stderr).toBe('');
      };
      fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules\n.synth-cache/\n');
      synth();
      git('init', '-q', '-b', 'main');
      git('add', '-A');
      git('commit', '-q', '-m', 'main');

      // What Renovate's regex manager writes: the matched digest replaced, nothing else.
      const source = path.join(root, 'apps', app, 'src/index.ts');
      const before = fs.readFileSync(source, 'utf8');
      const [match] = [...before.matchAll(matcher())];
      const newDigest = `sha256:${'e'.repeat(64)}`;
      const after = before.replace(match[0], match[0].replace(match.groups!.currentDigest, newDigest));
      fs.writeFileSync(source, after);
      git('add', '-A');
      git('commit', '-q', '-m', 'renovate');
      expect(git('diff', '--name-only', 'HEAD~1', 'HEAD')).toBe(`apps/${app}/src/index.ts`);

      synth(); // the PR workflow's resynth job
      git('add', '-A');
      git('commit', '-q', '-m', 'synth');
      const d = diffRefs({ root, base: 'main~2', environments: new Map(CLUSTERS.map((c) => [c.name, c.environment])) });
      const nonProd = CLUSTERS.filter((c) => c.environment !== 'prod').map((c) => c.name);
      const oldImage = match[0].slice(1, -1);
      expect(d.risks).toEqual([]);
      expect(
        d.groups.map((g) => [
          g.cluster,
          g.group,
          g.added,
          g.removed,
          g.changed.map((c) => c.fields.map((f) => `${f.path}: ${String(f.old)} -> ${String(f.new)}`)),
        ]),
      ).toEqual(
        nonProd.map((c) => [
          c,
          app,
          [],
          [],
          [
            [
              `spec.template.spec.containers[name=${app}].image: ${oldImage} -> ${oldImage.replace(match.groups!.currentDigest, newDigest)}`,
            ],
          ],
        ]),
      );
    } finally {
      cleanup();
    }
  });
});
