import * as fc from 'fast-check';
import { parse, parseAllDocuments } from 'yaml';
import { CLUSTERS } from '@aks-gitops/cluster-model';
import { synthesizeFleet, toYaml, toYamlWithLibrary } from '@aks-gitops/synth';
import { EXAMPLE_APPS } from '../scratch';

/**
 * synth serializes with a specialised emitter for speed; these tests hold it to the `yaml`
 * library's exact bytes, so the emitter can never write something the library would not.
 */
const tricky = fc.constantFrom(
  'a\n\nb\n\n',
  ' a\nb',
  'a\r\nb',
  '\ta\n  b\n',
  'x\n\n\n',
  '- a\n- b\n',
  '---\nx',
  'a \nb ',
  'yes',
  'on',
  'off',
  'N',
  'y',
  '8443',
  '',
  ' x',
  'a: b',
  '- x',
  'x\ny\n',
  'l1\n  l2',
  '\n',
  '#x',
  'x #y',
  'True',
  '~',
  'null',
  '0x1F',
  '1e3',
  '1:20',
  '2001-12-14',
  'ghcr.io/x:1.2',
  'x:',
  '@x',
  '%x',
  '*',
  '&a',
  '!t',
  '|',
  '>',
  '[a]',
  '{a}',
  'a,b',
  '"q"',
  "'q'",
  'é',
  'a\tb',
  '200-399',
  '25%',
  '10.0.0.0/8',
);
const str = fc.oneof(fc.string(), tricky, fc.stringMatching(/^[A-Za-z0-9 :#\-_./@%~=+,'"\n]{0,12}$/));
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    str,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(str, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('the YAML emitter', () => {
  it('prints exactly what the yaml library prints, for random documents', () => {
    fc.assert(
      fc.property(fc.dictionary(str, json, { maxKeys: 6 }), (doc) => toYaml(doc) === toYamlWithLibrary(doc)),
      { numRuns: 3000, seed: 20261126 },
    );
  });

  it('prints exactly what the yaml library prints, for every object of the example fleet', () => {
    let count = 0;
    for (const unit of synthesizeFleet({ clusters: CLUSTERS, apps: EXAMPLE_APPS }).units.values()) {
      for (const [file, text] of unit) {
        if (!file.endsWith('.yaml')) continue;
        for (const doc of parseAllDocuments(text)) {
          const obj = doc.toJS();
          expect(toYaml(obj)).toBe(toYamlWithLibrary(obj));
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(100);
  });

  it('indents multi-line strings as block scalars wherever they stand, as the library does', () => {
    const texts = ['a\nb', 'a\nb\n', 'a\n\nb\n\n', ' a\nb', '\n', 'x\n\n', 'a\r\nb', 'l1\n  l2\n'];
    for (const t of texts) {
      const doc = { spec: { parameters: { objects: t }, list: [t, { deeper: [t, [t]] }] }, top: t };
      expect(toYaml(doc)).toBe(toYamlWithLibrary(doc));
    }
    expect(toYaml({ spec: { objects: 'array:\n  - a\n' } })).toBe('spec:\n  objects: |\n    array:\n      - a\n');
  });

  it('quotes YAML 1.1 booleans, so Kubernetes reads a ConfigMap value "on" as a string', () => {
    const text = toYaml({ data: { FEATURE: 'on', LEGACY: 'yes', PORT: '8080' } });
    expect(text).toBe('data:\n  FEATURE: "on"\n  LEGACY: "yes"\n  PORT: "8080"\n');
    expect(parse(text, { version: '1.1' })).toEqual({ data: { FEATURE: 'on', LEGACY: 'yes', PORT: '8080' } });
  });
});
