import type { PathSegment } from './object-path';

/**
 * Declared fields whose upstream schema accepts any value (`{}`, or only
 * `x-kubernetes-preserve-unknown-fields` without a type). ajv never emits a read for such a
 * property, so the read-tracking strict check (field-access-tracker.ts) cannot tell them from
 * typos; they are listed here instead. Everything below a listed path is free-form too.
 *
 * The list is exactly the properties typed `any` in the .d.ts files of kubernetes-models 4.5.1,
 * @kubernetes-models/flux-cd 2.3.4 and @kubernetes-models/gateway-api 0.5.1 (the generators emit
 * `any` for precisely these schemas). test/free-form-fields.spec.ts recounts those declarations,
 * so a package upgrade that adds one fails loudly instead of producing false "unknown field"s.
 *
 * Keys: `<apiVersion>/<kind>`. Paths: dot-separated keys, `[]` for "any array element".
 */
export const FREE_FORM_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'helm.toolkit.fluxcd.io/v2beta1/HelmRelease': [
    'spec.values',
    'spec.postRenderers[].kustomize.patchesJson6902[].patch[].value',
  ],
  'helm.toolkit.fluxcd.io/v2beta2/HelmRelease': [
    'spec.values',
    'spec.postRenderers[].kustomize.patchesJson6902[].patch[].value',
  ],
  'kustomize.toolkit.fluxcd.io/v1beta1/Kustomization': ['spec.patchesJson6902[].patch[].value'],
  'kustomize.toolkit.fluxcd.io/v1beta2/Kustomization': ['spec.patchesJson6902[].patch[].value'],
};

/** `spec.containers[0].env` → `spec.containers[].env`: the shape FREE_FORM_FIELDS is written in. */
export function pathPattern(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += '[]';
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** Matcher for one kind, for FieldAccessTracker.unknownFields. */
export function freeFormMatcher(apiVersion: string, kind: string): (segments: readonly PathSegment[]) => boolean {
  const patterns = FREE_FORM_FIELDS[`${apiVersion}/${kind}`];
  if (!patterns || patterns.length === 0) return () => false;
  const set = new Set(patterns);
  return (segments) => set.has(pathPattern(segments));
}
