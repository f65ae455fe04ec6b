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
 */
export function problemsFromAjvErrors(
  obj: KubeObject,
  errors: readonly AjvLikeError[],
  root: unknown,
  prefix: readonly PathSegment[] = [],
): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const error of errors) {
    // "must match exactly one schema in oneOf" only restates the branch errors reported beside it.
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf') {
      const at = error.instancePath;
      const restated = errors.some(
        (other) => other !== error && (other.instancePath === at || other.instancePath.startsWith(`${at}/`)),
      );
      if (restated) continue;
    }
    const segments = [...prefix, ...segmentsForPointer(root, error.instancePath)];
    const { missingProperty, additionalProperty, allowedValues } = error.params;
    if (error.keyword === 'required' && typeof missingProperty === 'string') {
      problems.push(problemFor(obj, formatPath([...segments, missingProperty]), 'required field is missing'));
    } else if (error.keyword === 'additionalProperties' && typeof additionalProperty === 'string') {
      problems.push(unknownFieldProblem(obj, [...segments, additionalProperty]));
    } else if (error.keyword === 'enum' && Array.isArray(allowedValues)) {
      const allowed = allowedValues.map((v) => JSON.stringify(v)).join(', ');
      problems.push(problemFor(obj, formatPath(segments), `must be one of ${allowed}`));
    } else {
      const message = error.message ?? `fails ${error.keyword} ${JSON.stringify(error.params)}`;
      problems.push(problemFor(obj, formatPath(segments), message));
    }
  }
  return problems;
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
