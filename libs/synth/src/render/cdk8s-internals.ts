import {
  ApiObject,
  App,
  Chart,
  ImplicitTokenResolver,
  JsonPatch,
  LazyResolver,
  NumberStringUnionResolver,
} from 'cdk8s';
import type { IResolver } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';

/**
 * Everything of cdk8s that renderObject (render-object.ts) relies on beyond its public API, in one
 * place: fields that are private in cdk8s' TypeScript and may change in any release.
 *
 * - `ApiObject.props` (the object as given, rendered by toJson() with `metadata` replaced) and
 *   `ApiObject.patches` (its JSON patches, applied last);
 * - `ApiObjectMetadataDefinition._additionalAttributes` (metadata fields beyond the named ones),
 *   and its private `labels`, `annotations`, `finalizers`, `ownerReferences`;
 * - an App's default resolvers, in order: LazyResolver, ImplicitTokenResolver, NumberStringUnionResolver;
 * - cdk8s-plus-28's generated `k8s.toJson_<Class>Props` conversions and `<Class>.GVK`.
 *
 * When one of them is not where it is read, renderObject hands the object to cdk8s' own toJson()
 * (same output, slower). `cdk8sInternalsChanges` checks each against the installed cdk8s;
 * test/render/cdk8s-internals.spec.ts fails with its findings after an upgrade that changed them.
 */

/** What ApiObject.toJson() renders: props, then metadata, then patches. */
export interface ApiObjectInternals {
  readonly props: Record<string, unknown>;
  readonly patches: readonly unknown[];
  /** ApiObjectMetadataDefinition.toJson()'s input, in its order: the extra attributes, then the named fields. */
  readonly metadata: () => Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The object's internals, or undefined when this cdk8s does not hold them where they are read. */
export function apiObjectInternals(o: ApiObject): ApiObjectInternals | undefined {
  const raw = o as unknown as { props?: unknown; patches?: unknown };
  const m = o.metadata as unknown as Record<string, unknown>;
  const extra = m._additionalAttributes;
  if (!isRecord(raw.props) || !Array.isArray(raw.patches) || !isRecord(extra)) return undefined;
  return {
    props: raw.props,
    patches: raw.patches,
    metadata: () => {
      const { name, namespace, annotations, finalizers, ownerReferences, labels } = m;
      return { ...extra, name, namespace, annotations, finalizers, ownerReferences, labels };
    },
  };
}

// Checked once per App (synth makes one per chart).
const defaultResolvers = new WeakMap<App, boolean>();

/** Whether the object's App resolves with exactly cdk8s' default resolvers (what renderObject reproduces). */
export function hasDefaultResolvers(o: ApiObject): boolean {
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

/** Resolved props -> Kubernetes JSON, as the object's own toJson() converts them. */
export type Converter = (resolved: Record<string, unknown>) => Record<string, unknown>;
/** A plain ApiObject: no conversion. */
export const GENERIC: Converter = (r) => r;

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

/** The conversion of the object's exact class, or undefined for a class renderObject does not know. */
export function converterOf(o: ApiObject): Converter | undefined {
  return L1_CONVERTERS.get(Object.getPrototypeOf(o)?.constructor);
}

/**
 * What changed in the installed cdk8s against everything above, one sentence each; empty when
 * renderObject's assumptions hold. Probes a ConfigMap and a KubeDeployment.
 */
export function cdk8sInternalsChanges(): string[] {
  const changes: string[] = [];
  const chart = new Chart(new App({ outdir: '/dev/null' }), 'probe');
  const o = new ApiObject(chart, 'cm', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'n', labels: { a: '1' }, generateName: 'g-' },
    data: { k: 'v' },
  });
  const raw = o as unknown as { props?: unknown; patches?: unknown };
  const m = o.metadata as unknown as Record<string, unknown>;
  if (!isRecord(raw.props) || (raw.props.data as Record<string, unknown> | undefined)?.k !== 'v')
    changes.push('ApiObject no longer keeps the props it was given in its `props` field');
  if (!Array.isArray(raw.patches) || raw.patches.length !== 0)
    changes.push('ApiObject no longer keeps its JSON patches in a `patches` array (empty until addJsonPatch)');
  else {
    const patches: unknown[] = raw.patches;
    o.addJsonPatch(JsonPatch.add('/x', 1));
    if (patches.length !== 1) changes.push('addJsonPatch no longer appends to the `patches` array');
    patches.length = 0;
  }
  if (!isRecord(m._additionalAttributes) || m._additionalAttributes.generateName !== 'g-')
    changes.push('ApiObjectMetadataDefinition no longer keeps extra metadata fields in `_additionalAttributes`');
  if (!isRecord(m.labels) || m.labels.a !== '1' || !Array.isArray(m.finalizers) || !Array.isArray(m.ownerReferences))
    changes.push('ApiObjectMetadataDefinition no longer keeps `labels`, `finalizers`, `ownerReferences` as fields');
  if (isRecord(raw.props) && isRecord(raw.props.data)) {
    // toJson() must render from these very fields: an edit through them shows in its output.
    raw.props.data.k2 = 'w';
    const json = o.toJson() as { data?: Record<string, unknown> };
    if (json.data?.k2 !== 'w') changes.push('ApiObject.toJson() no longer renders from the `props` field');
  }
  if (!hasDefaultResolvers(o))
    changes.push('an App no longer resolves with [LazyResolver, ImplicitTokenResolver, NumberStringUnionResolver]');
  const deployment = new k8s.KubeDeployment(chart, 'd', { spec: { selector: {}, template: {} } });
  if (converterOf(deployment) === undefined)
    changes.push('cdk8s-plus-28 no longer exports `toJson_KubeDeploymentProps` and `KubeDeployment.GVK`');
  return changes;
}
