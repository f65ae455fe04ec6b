import type { KubeObject } from '@aks-gitops/cluster-model';
import { formatPath, isRecord, segmentsForPointer, type PathSegment } from './object-path';

/** One way an object breaks its upstream schema. `path` is kubectl-style; `''` is the object itself. */
export interface SchemaProblem {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  path: string;
  message: string;
}

/**
 * The part of an ajv `ErrorObject` we read. Every validator we drive is ajv-generated (precompiled
 * standalone code in kubernetes-models 4.x and flux-cd, runtime-compiled in gateway-api 0.5 and for
 * our CRD files), so all of them throw or return this shape; declaring it here keeps ajv's own
 * types out of our public surface.
 */
export interface AjvLikeError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** What a problem is reported against; tolerant of malformed input, which is what we validate. */
export function problemFor(obj: KubeObject, path: string, message: string): SchemaProblem {
  const metadata: unknown = (obj as { metadata?: unknown }).metadata;
  const meta = isRecord(metadata) ? metadata : {};
  return {
    apiVersion: String(obj.apiVersion ?? ''),
    kind: String(obj.kind ?? ''),
    name: typeof meta.name === 'string' ? meta.name : '',
    ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
    path,
    message,
  };
}

/** Builds an "unknown field" problem the way `kubectl apply --validate=strict` words it. */
export function unknownFieldProblem(obj: KubeObject, segments: readonly PathSegment[]): SchemaProblem {
  const key = segments[segments.length - 1];
  return problemFor(obj, formatPath(segments), `unknown field ${JSON.stringify(String(key))}`);
}

/**
 * Turns ajv errors into problems. `root` is the data the validator saw (for typing pointer tokens);
 * `prefix` places errors from a sub-validator (metadata of CRD kinds) inside the object.
 *
 * Where a oneOf/anyOf failed at a path, the value errors at that same path are its alternatives
 * (IntOrString: "must be string", "must be integer"): they become one problem, "must be string or
 * integer", instead of two that each look wrong on their own. The oneOf/anyOf error itself only
 * restates its branches and is dropped when they are reported.
 */
export function problemsFromAjvErrors(
  obj: KubeObject,
  errors: readonly AjvLikeError[],
  root: unknown,
  prefix: readonly PathSegment[] = [],
): SchemaProblem[] {
  const unionPaths = new Set(errors.filter(isUnion).map((e) => e.instancePath));
  const pathOf = (error: AjvLikeError, extra: readonly PathSegment[] = []): PathSegment[] => [
    ...prefix,
    ...segmentsForPointer(root, error.instancePath),
    ...extra,
  ];
  // Problems in error order; alternatives of one union are collected into the slot of the first.
  const slots: (SchemaProblem | AjvLikeError[])[] = [];
  const alternatives = new Map<string, AjvLikeError[]>();

  for (const error of errors) {
    const { missingProperty, additionalProperty } = error.params;
    if (isUnion(error)) {
      const at = error.instancePath;
      const restated = errors.some(
        (other) => other !== error && (other.instancePath === at || other.instancePath.startsWith(`${at}/`)),
      );
      if (!restated) slots.push(problemFor(obj, formatPath(pathOf(error)), error.message ?? `fails ${error.keyword}`));
    } else if (error.keyword === 'required' && typeof missingProperty === 'string') {
      slots.push(problemFor(obj, formatPath(pathOf(error, [missingProperty])), 'required field is missing'));
    } else if (error.keyword === 'additionalProperties' && typeof additionalProperty === 'string') {
      slots.push(unknownFieldProblem(obj, pathOf(error, [additionalProperty])));
    } else if (unionPaths.has(error.instancePath)) {
      const group = alternatives.get(error.instancePath);
      if (group) group.push(error);
      else {
        const created = [error];
        alternatives.set(error.instancePath, created);
        slots.push(created);
      }
    } else {
      slots.push(problemFor(obj, formatPath(pathOf(error)), describeValueError(error)));
    }
  }
  return slots.map((slot) =>
    Array.isArray(slot)
      ? problemFor(obj, formatPath(pathOf(slot[0] as AjvLikeError)), describeAlternatives(slot))
      : slot,
  );
}

function isUnion(error: AjvLikeError): boolean {
  return error.keyword === 'oneOf' || error.keyword === 'anyOf';
}

function describeValueError(error: AjvLikeError): string {
  const { allowedValues } = error.params;
  if (error.keyword === 'enum' && Array.isArray(allowedValues)) {
    return `must be one of ${allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return error.message ?? `fails ${error.keyword} ${JSON.stringify(error.params)}`;
}

function describeAlternatives(group: readonly AjvLikeError[]): string {
  const types = group.map((e) => e.params.type);
  if (group.every((e) => e.keyword === 'type') && types.every((t) => typeof t === 'string')) {
    return `must be ${[...new Set(types)].join(' or ')}`;
  }
  return [...new Set(group.map(describeValueError))].join(' or ');
}

/** Drops exact repeats (oneOf branches can report the same thing twice). Keeps first-seen order. */
export function dedupeProblems(problems: readonly SchemaProblem[]): SchemaProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
