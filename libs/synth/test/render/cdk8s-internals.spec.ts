import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject } from 'cdk8s';
import { cdk8sInternalsChanges } from '../../src/render/cdk8s-internals';

/**
 * renderObject reads fields that are private in cdk8s (see src/render/cdk8s-internals.ts). If a
 * cdk8s upgrade moves them, renderObject quietly hands every object to cdk8s' own toJson() (same
 * output, synth several times slower): this test is what says so.
 */
describe('the cdk8s internals renderObject relies on', () => {
  it('are where src/render/cdk8s-internals.ts reads them in the installed cdk8s', () => {
    const changes = cdk8sInternalsChanges();
    if (changes.length > 0) {
      const version = (name: string): string =>
        (
          JSON.parse(fs.readFileSync(path.join(require.resolve(name), '..', '..', 'package.json'), 'utf8')) as {
            version: string;
          }
        ).version;
      throw new Error(
        `cdk8s ${version('cdk8s')} / cdk8s-plus-28 ${version('cdk8s-plus-28')} changed what renderObject relies on:\n` +
          changes.map((c) => `  - ${c}`).join('\n') +
          '\nUpdate libs/synth/src/render/cdk8s-internals.ts to the new internals (and run test/render/render-object.spec.ts),' +
          ' or pin the previous cdk8s.',
      );
    }
  });

  it('are named when they change: an addJsonPatch that no longer fills `patches` is reported', () => {
    const spy = jest.spyOn(ApiObject.prototype, 'addJsonPatch').mockImplementation(() => undefined);
    try {
      expect(cdk8sInternalsChanges()).toEqual(['addJsonPatch no longer appends to the `patches` array']);
    } finally {
      spy.mockRestore();
    }
  });
});
