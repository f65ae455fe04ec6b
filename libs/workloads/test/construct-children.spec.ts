import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AppChart, ClusterRegistry } from '../src';
import { useDictionaryChildren } from '../src/construct-children';
import { DEV } from './support/harness';

const REGISTER = path.resolve(__dirname, '..', '..', 'synth', 'register.cjs');
const PROBE = path.join(__dirname, 'support', 'empty-object-map-probe.cjs');

function probe(kind: 'charts' | 'plain-charts'): string {
  return execFileSync(process.execPath, ['--allow-natives-syntax', '--require', REGISTER, PROBE, kind], {
    encoding: 'utf8',
  }).trim();
}

const childrenOf = (c: Construct): unknown => (c.node as unknown as { _children?: unknown })._children;

describe('AppChart keeps construct children in dictionary-mode objects (speed only)', () => {
  it("an AppChart's children and its App's have no prototype, set before the first child", () => {
    const app = new App({ outdir: '/dev/null' });
    const chart = new AppChart(app, { cluster: DEV, app: 'orders', registry: new ClusterRegistry(DEV) });
    expect(Object.getPrototypeOf(childrenOf(app))).toBeNull();
    expect(Object.getPrototypeOf(childrenOf(chart))).toBeNull();
    expect(app.node.children).toEqual([chart]);
  });

  it('children keep the order and lookups of an ordinary construct', () => {
    const ids = ['web', 'api', '10', '2', 'db-headless', 'CallerIngress-a-b'];
    const plain = new Construct(new App({ outdir: '/dev/null' }), 'plain');
    const dict = new Construct(new App({ outdir: '/dev/null' }), 'dict');
    expect(useDictionaryChildren(dict)).toBe(true);
    for (const id of ids) {
      new Construct(plain, id);
      new Construct(dict, id);
    }
    expect(dict.node.children.map((c) => c.node.id)).toEqual(plain.node.children.map((c) => c.node.id));
    expect(dict.node.tryFindChild('api')?.node.id).toBe('api');
    expect(() => new Construct(dict, 'api')).toThrow(/There is already a Construct with name 'api'/);
    expect(dict.node.tryRemoveChild('api')).toBe(true);
    expect(dict.node.children.map((c) => c.node.id)).not.toContain('api');
  });

  it('does nothing once a construct has children (constructs still decides)', () => {
    const chart = new Chart(new App({ outdir: '/dev/null' }), 'c');
    new Construct(chart, 'first');
    expect(useDictionaryChildren(chart)).toBe(false);
    expect(Object.getPrototypeOf(childrenOf(chart))).toBe(Object.prototype);
  });

  // V8's map for empty objects takes at most 1,536 transitions; a per-app first key in a per-app
  // object spends one each (see construct-children.ts). This is what made a full synth at 2,000 apps
  // a third slower per object than at 1,000.
  it("2,000 AppCharts leave V8's empty-object map able to share maps; 2,000 plain Charts do not", () => {
    expect(probe('charts')).toBe('takes transitions after 2000 charts');
    expect(probe('plain-charts')).toBe('full after 2000 charts');
  }, 60_000);
});
