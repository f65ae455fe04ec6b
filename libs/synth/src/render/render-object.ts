import { ApiObject, Lazy } from 'cdk8s';
import type { Chart } from 'cdk8s';
import type { KubeObject } from '@aks-gitops/cluster-model';
import { GENERIC, apiObjectInternals, converterOf, hasDefaultResolvers } from './cdk8s-internals';

/**
 * Renders an ApiObject to exactly what its own `toJson()` returns, in one copy instead of three.
 *
 * cdk8s renders an object in three deep copies: `resolve()` walks every value (allocating a key
 * path and a resolution context per leaf, and asking each of the App's resolvers about it),
 * `sanitizeValue()` copies it again with sorted keys, and the typed L1 class converts the result
 * to Kubernetes JSON. At fleet scale the first two were a fifth of synth's CPU time, most of its
 * garbage, and the last thing keeping a 1,000-app synth from beating `helm template`
 * (BENCHMARKS.md, design fix 11). Here the first two are one pass with the same rules: lazies are
 * produced, implicit tokens resolved, number-or-string unions become `{ value }`, keys are sorted,
 * null and undefined are dropped. The L1 conversion is cdk8s-plus-28's own (`k8s.toJson_*Props`).
 *
 * Anything this pass does not know for certain goes to `o.toJson()` unchanged: JSON patches
 * (the escape hatch), an App with other resolvers, cdk8s internals not where cdk8s-internals.ts reads them, a subclass that is neither `ApiObject` nor a
 * cdk8s-plus-28 L1, a value cdk8s would refuse (it then reports the error itself). Tests render
 * every object of the example fleet, every L1 kind the constructs use and random specs both ways
 * and require identical JSON, key order included, and `npm run bench` does the same for its
 * generated fleets: a cdk8s upgrade that changes the rules fails there, not in production.
 */
export function renderObject(o: ApiObject): KubeObject {
  const convert = converterOf(o);
  if (convert === undefined || !hasDefaultResolvers(o)) return o.toJson() as KubeObject;
  const internals = apiObjectInternals(o);
  if (!internals || internals.patches.length > 0) return o.toJson() as KubeObject;
  let json: Record<string, unknown>;
  try {
    json = plain({ ...internals.props, metadata: undefined }, false) as Record<string, unknown>;
    // ApiObjectMetadataDefinition.toJson(): resolved and sanitized with empty lists and maps dropped.
    const metadata = plain(internals.metadata(), true);
    if (metadata !== undefined) json.metadata = metadata;
  } catch (e) {
    if (e === NOT_PLAIN) return o.toJson() as KubeObject;
    throw e;
  }
  // ApiObject.toJson() puts apiVersion, kind and metadata first.
  const ordered: Record<string, unknown> = {};
  for (const k of ['apiVersion', 'kind', 'metadata']) if (k in json) ordered[k] = json[k];
  for (const k in json) if (!(k in ordered)) ordered[k] = json[k];
  return (convert === GENERIC ? ordered : convert(ordered)) as KubeObject;
}

const NOT_PLAIN = new Error('not plain data');

/**
 * cdk8s' resolve() then sanitizeValue({ sortKeys: true }), fused into one copy. `dropEmpty` adds
 * sanitizeValue's filterEmptyArrays and filterEmptyObjects, as metadata is rendered.
 */
function plain(v: unknown, dropEmpty: boolean): unknown {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'object') {
    if (typeof v === 'function') throw NOT_PLAIN;
    return v;
  }
  if (v instanceof Lazy) return plain(v.produce(), dropEmpty);
  const value = v as Record<string, unknown>;
  if (typeof value.resolve === 'function') return plain((value.resolve as () => unknown)(), dropEmpty);
  if (Array.isArray(v)) {
    if (dropEmpty && v.length === 0) return undefined;
    return v.map((x) => plain(x, dropEmpty));
  }
  if (value.constructor !== Object) {
    // IntOrString, Quantity and other unions of the generated imports.
    const inner = value.value;
    if (typeof inner === 'number' || typeof inner === 'string') return { value: inner };
    throw NOT_PLAIN;
  }
  const out: Record<string, unknown> = {};
  let empty = true;
  for (const k of Object.keys(value).sort()) {
    // cdk8s assigns keys with `=`, so an own "__proto__" key changes its copy's prototype: whatever
    // that makes of the object, cdk8s shall decide it.
    if (k === '__proto__') throw NOT_PLAIN;
    const r = plain(value[k], dropEmpty);
    if (r !== undefined && r !== null) {
      out[k] = r;
      empty = false;
    }
  }
  return dropEmpty && empty ? undefined : out;
}

/**
 * The chart's objects as plain data, each rendered on its own (by renderObject, which is
 * ApiObject.toJson() in one pass instead of three copies); cdk8s' Chart.toJson() would
 * also infer dependencies and run validations across the chart, which these constructs do not use
 * (the order comes from objectOrder) and which cost a fifth of synth at fleet scale.
 */
export function renderChart(chart: Chart, render: (o: ApiObject) => KubeObject): KubeObject[] {
  return chart.node
    .findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c))
    .map((o) => render(o));
}
