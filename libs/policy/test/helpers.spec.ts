import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import {
  clusterOfFile,
  describeObject,
  normalizeRepoPath,
  parseImageReference,
  parseManifestFile,
  RULES,
  selectorMatches,
} from '@aks-gitops/policy';
import { SelectorIndex } from '../src/label-selector';

describe('selectorMatches', () => {
  const labels = { app: 'orders', tier: 'api' };
  it.each([
    ['empty selector selects everything', {}, true],
    ['missing selector selects nothing', undefined, false],
    ['matchLabels subset', { matchLabels: { app: 'orders' } }, true],
    ['matchLabels mismatch', { matchLabels: { app: 'payments' } }, false],
    ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['api', 'web'] }] }, true],
    ['NotIn', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['api'] }] }, false],
    ['Exists', { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [
      'unknown operator selects nothing',
      { matchExpressions: [{ key: 'app', operator: 'Matches', values: ['o.*'] }] },
      false,
    ],
  ])('%s', (_name, selector, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected);
  });
});

describe('SelectorIndex', () => {
  it('returns every selector that can match, filing by the rarest label pair', () => {
    const index = new SelectorIndex<string>();
    for (let position = 0; position < 100; position++)
      index.add({ matchLabels: { 'a/shared': 'yes', app: `app-${position}` } }, `policy-${position}`);
    index.add({}, 'namespace-wide');
    index.add({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, 'expressions-only');
    const candidates = index.candidates({ 'a/shared': 'yes', app: 'app-7' });
    expect(candidates.sort()).toEqual(['expressions-only', 'namespace-wide', 'policy-7']);
  });

  it('re-files after more selectors are added', () => {
    const index = new SelectorIndex<string>();
    index.add({ matchLabels: { app: 'a' } }, 'first');
    expect(index.candidates({ app: 'a' })).toEqual(['first']);
    index.add({ matchLabels: { app: 'a', tier: 'x' } }, 'second');
    expect(index.candidates({ app: 'a', tier: 'x' }).sort()).toEqual(['first', 'second']);
  });
});

describe('parseImageReference', () => {
  it.each([
    ['nginx', { repository: 'nginx', tag: undefined, digest: undefined }],
    ['nginx:1.27', { repository: 'nginx', tag: '1.27', digest: undefined }],
    ['registry.local:5000/team/app', { repository: 'registry.local:5000/team/app', tag: undefined, digest: undefined }],
    [
      'registry.local:5000/team/app:2.0@sha256:abc',
      { repository: 'registry.local:5000/team/app', tag: '2.0', digest: 'sha256:abc' },
    ],
    ['acr.azurecr.io/app@sha256:abc', { repository: 'acr.azurecr.io/app', tag: undefined, digest: 'sha256:abc' }],
  ])('%s', (image, expected) => {
    expect(parseImageReference(image)).toEqual(expected);
  });
});

describe('paths and names', () => {
  it('normalizes Flux paths to repo-relative folders', () => {
    expect(normalizeRepoPath('./clusters/aks-dev-weu/orders-api/')).toBe('clusters/aks-dev-weu/orders-api');
    expect(normalizeRepoPath('clusters/aks-dev-weu/orders-api')).toBe('clusters/aks-dev-weu/orders-api');
    expect(normalizeRepoPath('./')).toBe('');
  });

  it('finds the cluster of a generated file', () => {
    expect(clusterOfFile('clusters/aks-dev-weu/orders-api/deployment.yaml')).toBe('aks-dev-weu');
    expect(clusterOfFile('flux/aks-prod-weu/apps/orders-api.yaml')).toBe('aks-prod-weu');
    expect(clusterOfFile('docs/readme.yaml')).toBeUndefined();
    expect(clusterOfFile('clusters/stray.yaml')).toBeUndefined();
  });

  it('describes namespaced and cluster-scoped objects', () => {
    expect(
      describeObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } }),
    ).toBe('Deployment shop/web');
    expect(
      describeObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', namespace: 'ignored' } }),
    ).toBe('Namespace shop');
  });
});

describe('parseManifestFile', () => {
  it('reads every document, skipping empty ones and kustomize build files', () => {
    const text =
      '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: x}\n';
    const parsed = parseManifestFile('clusters/c/app/configmaps.yaml', text);
    expect(parsed.documents.map((document) => document.object.metadata.name)).toEqual(['a', 'b']);
    expect(parsed.problems).toEqual([]);
    expect(parseManifestFile('clusters/c/app/kustomization.yaml', 'resources: [a.yaml]\n')).toEqual({
      documents: [],
      problems: [],
    });
    expect(parseManifestFile('clusters/c/app/empty.yaml', '')).toEqual({ documents: [], problems: [] });
  });

  it('reports syntax errors and non-objects with the document number', () => {
    const parsed = parseManifestFile(
      'clusters/c/app/bad.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkey: [unclosed\n---\nplain string\n',
    );
    expect(parsed.documents).toHaveLength(1);
    expect(parsed.problems.map((problem) => problem.message.slice(0, 12))).toEqual(['document #2:', 'document #3 ']);
  });

  it('rejects alias bombs instead of expanding them', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, level) =>
          `${String.fromCharCode(98 + level)}: &${String.fromCharCode(98 + level)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + level)}`)
            .join(', ')}]`,
      ),
    ].join('\n');
    const parsed = parseManifestFile('clusters/c/app/bomb.yaml', `${bomb}\n`);
    expect(parsed.documents).toEqual([]);
    expect(parsed.problems).toHaveLength(1);
  });
});

describe('parseManifestFile reads what the yaml library reads', () => {
  /** The reference: the `yaml` library's documents, as parseManifestFile classifies them. */
  const reference = (text: string): unknown[] =>
    parseAllDocuments(text)
      .map((d) => d.toJS())
      .filter((v) => v !== null && v !== undefined);

  it('every committed manifest, document for document', () => {
    const repo = join(__dirname, '..', '..', '..');
    const files: string[] = [];
    const walk = (rel: string): void => {
      for (const e of readdirSync(join(repo, rel), { withFileTypes: true })) {
        if (e.isDirectory()) walk(`${rel}/${e.name}`);
        else if (e.name === 'manifests.yaml' || rel.startsWith('flux/')) files.push(`${rel}/${e.name}`);
      }
    };
    walk('clusters');
    walk('flux');
    expect(files.length).toBeGreaterThan(10);
    for (const file of files.filter((f) => f.endsWith('.yaml') && !f.endsWith('kustomization.yaml'))) {
      const text = readFileSync(join(repo, file), 'utf8');
      expect(parseManifestFile(file, text).documents.map((d) => d.object)).toEqual(reference(text));
    }
  });

  it('random objects in every scalar style the yaml library writes (200 runs)', () => {
    const scalar = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom(
        'on',
        'yes',
        'No',
        '0o17',
        '017',
        '0x1F',
        '1e3',
        '.inf',
        '~',
        'null',
        '2001-12-14',
        '12:30',
        '- x',
        '#x',
        'a: b',
        "'q'",
        '"dq"',
        '',
      ),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    const object = fc
      .record({
        name: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
        data: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), value, { maxKeys: 5 }),
      })
      .map(({ name, data }) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'x' }, data }));
    const options = fc.constantFrom(
      {},
      { version: '1.1' as const },
      { lineWidth: 0 },
      { collectionStyle: 'flow' as const },
      { defaultStringType: 'QUOTE_DOUBLE' as const },
      { defaultStringType: 'BLOCK_LITERAL' as const },
    );
    fc.assert(
      fc.property(fc.array(object, { minLength: 1, maxLength: 3 }), options, (objects, opts) => {
        const text = objects.map((o) => `---\n${stringify(o, { aliasDuplicateObjects: false, ...opts })}`).join('');
        const parsed = parseManifestFile('clusters/c/app/manifests.yaml', text);
        expect(parsed.problems).toEqual([]);
        expect(parsed.documents.map((d) => d.object)).toEqual(reference(text));
      }),
      { seed: 1207, numRuns: 200 },
    );
  });
});

describe('README', () => {
  it('documents every rule with its severity', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    for (const definition of RULES) {
      expect(readme).toContain(`| \`${definition.id}\` | ${definition.severity} |`);
      if (definition.severityOutsideProd)
        expect(readme).toContain(
          `| \`${definition.id}\` | ${definition.severity} | ${definition.severityOutsideProd[0].toUpperCase()}${definition.severityOutsideProd.slice(1)} outside prod.`,
        );
    }
  });
});
