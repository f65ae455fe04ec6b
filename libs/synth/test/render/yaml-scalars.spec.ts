import * as fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import {
  kustomizationYaml,
  manifestText,
  mustDoubleQuote,
  plainNeedsQuotes,
  synthesizeFleet,
  toYaml,
} from '@aks-gitops/synth';
import { CLUSTERS, ConfigError, loadFleet } from '@aks-gitops/cluster-model';
import type { KubeObject } from '@aks-gitops/cluster-model';
import { L7Api, defineApp } from '@aks-gitops/workloads';
import { findKubectls, kustomizeBuild } from '@aks-gitops/validation';

/*
 * A string value means the same string to every reader on the way to the cluster: the API server
 * and kubectl (YAML 1.1), kustomize and the policy gate (YAML 1.2). Strings a reader could take
 * for a number, boolean or null are double-quoted; control and line-break characters are escaped.
 */

/** Strings that some YAML 1.1 or 1.2 reader would not read as the same string if written plain. */
const MISREADABLE = [
  'on',
  'Off',
  'YES',
  'n',
  'y',
  'True',
  'nuLL',
  'Null',
  '~',
  '',
  '017',
  '-017',
  '08',
  '0o17',
  '0O17',
  '+0o17',
  '0x1F',
  '0X1F',
  '+0x1F',
  '-0x1f',
  '0b101',
  '0B101',
  '-0B1',
  '+0b1',
  '1_000',
  '+12',
  '-3',
  '1e3',
  '-1.5E-3',
  'e3',
  '.e1',
  'E+7',
  '.5',
  '+.5',
  '1.',
  '1:20',
  '-1:20:30',
  '190:20:30.15',
  '.inf',
  '-.Inf',
  '+.INF',
  '.nan',
  '.NaN',
  'inf',
  'Infinity',
  'NaN',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '<<',
  '=',
];
const CONTROL = ['a\u0000b', '\u0007', 'a\u001bb', '\ufeffbom', 'a\rb', 'line\nbreak\u0007', '\u000b\u000c\u0008'];
/** Multi-line strings kustomize misreads as block scalars (a line starting with a tab, a whitespace-only line). */
const BLOCK_UNSAFE = ['a\n\tb', '\tx\ny', 'a\n  \tb', ' \n', 'x\n \ny', 'a\n\t\n'];
/** Characters kustomize's YAML library refuses even escaped: synth refuses them, naming the object. */
const UNREPRESENTABLE = ['x\u007fy', 'c1\u0090', 'x\u009f', 'x\u0085y', 'x\u2028y', 'x\u2029y', 'x\ufffey', 'x\uffff'];

describe('strings every reader reads as the same string', () => {
  it.each(MISREADABLE)('%j is double-quoted, and YAML 1.1 and 1.2 readers read it back as the string', (s) => {
    const text = toYaml({ data: { K: s } });
    expect(text).toBe(`data:\n  K: ${JSON.stringify(s)}\n`);
    // 1.2 core is also what the standalone policy gate reads (js-yaml CORE_SCHEMA).
    for (const version of ['1.1', '1.2'] as const) expect(parse(text, { version })).toEqual({ data: { K: s } });
  });

  it.each(BLOCK_UNSAFE)('%j is double-quoted rather than a block scalar kustomize misreads', (s) => {
    const text = toYaml({ data: { K: s } });
    expect(text).toBe(`data:\n  K: ${JSON.stringify(s)}\n`);
    for (const version of ['1.1', '1.2'] as const) expect(parse(text, { version })).toEqual({ data: { K: s } });
  });

  it.each(CONTROL)('%j is written with its control and line-break characters escaped', (s) => {
    const text = toYaml({ data: { K: s } });
    const value = text.slice('data:\n  K: '.length, -1);
    expect(value.startsWith('"')).toBe(true);
    // Only printable characters (tab excepted) remain raw.
    // eslint-disable-next-line no-control-regex -- looking for raw control characters is the point
    expect(value).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\ufeff]/);
    for (const version of ['1.1', '1.2'] as const) expect(parse(text, { version })).toEqual({ data: { K: s } });
  });

  it("the emitter's fast path for plain-looking strings decides exactly as the full rule", () => {
    const safePlain = /^[A-Za-z/_][A-Za-z0-9_./@=+%~-]*(?::[A-Za-z0-9_./@=+%~-]+)*$/;
    const words = fc.oneof(
      fc.constantFrom(
        'y',
        'Yes',
        'NO',
        'oN',
        'off',
        'nuLL',
        'e3',
        'E+7',
        'inf',
        'Infinity',
        'nan',
        'NaN',
        'e0.5',
        'n',
        'x',
      ),
      fc.string({
        unit: fc.constantFrom('e', 'E', 'i', 'n', 'N', 'f', 'a', 'y', 's', 'o', '0', '1', '.', '+', '-', '_', 'l', 'u'),
        maxLength: 6,
      }),
    );
    fc.assert(
      fc.property(words, (s) => !safePlain.test(s) || plainNeedsQuotes(s) === mustDoubleQuote(s)),
      { numRuns: 5000, seed: 7 },
    );
  });

  it('keys are held to the same rules', () => {
    const text = toYaml({ data: { '0o17': 'a', on: 'b', '<<': 'c', 'x\u001b': 'd' } });
    expect(text).toBe('data:\n  "0o17": a\n  "on": b\n  "<<": c\n  "x\\e": d\n');
    for (const version of ['1.1', '1.2'] as const)
      expect(parse(text, { version, merge: true })).toEqual({
        data: { '0o17': 'a', on: 'b', '<<': 'c', 'x\u001b': 'd' },
      });
  });

  it.each(UNREPRESENTABLE)(
    '%j, which kustomize cannot read even escaped, fails synth naming the app, cluster and object',
    (s) => {
      const app = defineApp({
        name: 'odd-api',
        deploy: ({ scope }) => {
          new L7Api(scope, 'api', {
            image: `ghcr.io/contoso/odd-api:1.0.0@sha256:${'c'.repeat(64)}`,
            port: 8080,
            routes: [{ host: 'odd.contoso.com' }],
            config: { ODD: s },
          });
        },
      });
      const fleet = loadFleet(CLUSTERS);
      let err: unknown;
      try {
        synthesizeFleet({ clusters: fleet, apps: [app] });
      } catch (e) {
        err = e;
      }
      expect(ConfigError.is(err)).toBe(true);
      expect((err as Error).message).toContain(
        `cluster ${fleet[0]?.name}, app odd-api, field object ConfigMap odd-api/odd-api-config: holds a string with character U+`,
      );
      expect((err as Error).message).toContain('Fix: remove the control character');
    },
  );
});

const UNREPRESENTABLE_RE = /[\u007f-\u009f\u2028\u2029\ufffe\uffff]/;

describe('property: random strings in a ConfigMap survive the real kubectl kustomize', () => {
  const kubectl = findKubectls()[0];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-gitops-yaml-scalars-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  // Valid UTF-8 only (a lone surrogate cannot be written to a file), any code point otherwise.
  const value = fc
    .oneof(
      fc.constantFrom(...MISREADABLE, ...CONTROL, ...BLOCK_UNSAFE),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.string({
        unit: fc.constantFrom(
          '0',
          '1',
          '7',
          '9',
          'x',
          'X',
          'o',
          'O',
          'b',
          'e',
          '.',
          '_',
          ':',
          '-',
          '+',
          'n',
          'a',
          'i',
          'f',
          'N',
          'I',
          '~',
          ' ',
          '\n',
          '\t',
        ),
        maxLength: 8,
      }),
    )
    .filter(
      (s) =>
        !UNREPRESENTABLE_RE.test(s) &&
        !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s),
    );

  it('every value read back from the built folder equals the value written (15 folders of 40 values)', () => {
    if (!kubectl) throw new Error('kubectl not found on PATH: the README lists it as a prerequisite');
    fc.assert(
      fc.property(fc.array(value, { minLength: 40, maxLength: 40 }), (values) => {
        const data = Object.fromEntries(values.map((v, i) => [`k${String(i).padStart(2, '0')}`, v]));
        const cm: KubeObject = {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'values', namespace: 'yaml-test' },
          data,
        };
        fs.writeFileSync(path.join(dir, 'manifests.yaml'), manifestText('property test', [cm]));
        fs.writeFileSync(path.join(dir, 'kustomization.yaml'), kustomizationYaml(['manifests.yaml'], 'property test'));
        const [built] = kustomizeBuild(dir, { kubectl: kubectl.path });
        expect(built?.data).toEqual(data);
        // The committed text itself, as a 1.1 reader (the API server) and a 1.2 reader (the policy gate) see it.
        const text = fs.readFileSync(path.join(dir, 'manifests.yaml'), 'utf8');
        const doc = text.slice(text.indexOf('\n---\n') + 5);
        for (const version of ['1.1', '1.2'] as const)
          expect((parse(doc, { version }) as KubeObject).data).toEqual(data);
      }),
      { numRuns: 15, seed: 20261128 },
    );
  });
});
