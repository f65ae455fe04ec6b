import { ApiObject, App, ImplicitTokenResolver, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import type { IResolver } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { KubeObject } from '@aks-gitops/cluster-model';

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
 * (the escape hatch), an App with other resolvers, a subclass that is neither `ApiObject` nor a
 * cdk8s-plus-28 L1, a value cdk8s would refuse (it then reports the error itself). Tests render
 * every object of the example fleet, every L1 kind the constructs use and random specs both ways
 * and require identical JSON, key order included, and `npm run bench` does the same for its
 * generated fleets: a cdk8s upgrade that changes the rules fails there, not in production.
 */
export function renderObject(o: ApiObject): KubeObject {
  const convert = converterOf(o);
  if (convert === undefined || !hasDefaultResolvers(o)) return o.toJson() as KubeObject;
  const internals = o as unknown as { props?: Record<string, unknown>; patches?: unknown[] };
  if (!internals.props || !Array.isArray(internals.patches) || internals.patches.length > 0)
    return o.toJson() as KubeObject;
  let json: Record<string, unknown>;
  try {
    json = plain({ ...internals.props, metadata: undefined }, false) as Record<string, unknown>;
    const metadata = metadataOf(o);
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

type Converter = (resolved: Record<string, unknown>) => Record<string, unknown>;
const GENERIC: Converter = (r) => r;
const NOT_PLAIN = new Error('not plain data');

/** Every cdk8s-plus-28 L1 class (`k8s.KubeDeployment`...) and its JSON conversion, as its toJson() applies it. */
const L1_CONVERTERS: ReadonlyMap<unknown, Converter> = (() => {
  const map = new Map<unknown, Converter>([[ApiObject, GENERIC]]);
  const mod = k8s as unknown as Record<string, unknown>;
  for (const [name, cls] of Object.entries(mod)) {
    const toJsonProps = mod[`toJson_${name}Props`];
    const gvk = (cls as { GVK?: { apiVersion: string; kind: string } } | undefined)?.GVK;
    if (typeof cls !== 'function' || typeof toJsonProps !== 'function' || !gvk) continue;
    const fn = toJsonProps as (obj: unknown) => Record<string, unknown>;
    map.set(cls, (resolved) => ({ apiVersion: gvk.apiVersion, kind: gvk.kind, ...fn(resolved) }));
  }
  return map;
})();

function converterOf(o: ApiObject): Converter | undefined {
  return L1_CONVERTERS.get(Object.getPrototypeOf(o)?.constructor);
}

// Checked once per App (synth makes one per chart).
const defaultResolvers = new WeakMap<App, boolean>();
function hasDefaultResolvers(o: ApiObject): boolean {
  const app = App.of(o);
  let ok = defaultResolvers.get(app);
  if (ok === undefined) {
    const r: readonly IResolver[] = app.resolvers;
    ok =
      r.length === 3 &&
      r[0] instanceof LazyResolver &&
      r[1] instanceof ImplicitTokenResolver &&
      r[2] instanceof NumberStringUnionResolver;
    defaultResolvers.set(app, ok);
  }
  return ok;
}

/**
 * ApiObjectMetadataDefinition.toJson(): the same fields in the same order, resolved and sanitized
 * with empty lists and maps dropped.
 */
function metadataOf(o: ApiObject): unknown {
  const m = o.metadata as unknown as Record<string, unknown>;
  const extra = m._additionalAttributes;
  if (typeof extra !== 'object' || extra === null) throw NOT_PLAIN;
  const { name, namespace, annotations, finalizers, ownerReferences, labels } = m;
  return plain({ ...extra, name, namespace, annotations, finalizers, ownerReferences, labels }, true);
}

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
