import type { KubeObject } from '@aks-gitops/cluster-model';
import { trackFieldAccess } from './field-access-tracker';
import type { PathSegment } from './object-path';
import { problemsFromAjvErrors, unknownFieldProblem, type AjvLikeError, type SchemaProblem } from './schema-problem';

/**
 * Runs a kubernetes-models model's own `.validate()` and, optionally, the strict unknown-field
 * check on the same pass (see field-access-tracker.ts).
 */
export interface ValidatableModelClass {
  new (data: object): object;
  readonly prototype: { validate(): void };
}

export interface ModelValidationOptions {
  strict: boolean;
  /** Where `data` sits inside `obj` (`['metadata']` for ObjectMeta of CRD kinds). */
  prefix?: readonly PathSegment[];
  /** Declared-but-unchecked fields (free-form-fields.ts), relative to `data`. */
  isFreeForm?: (segments: readonly PathSegment[]) => boolean;
}

function ajvErrorsOf(error: unknown): AjvLikeError[] | undefined {
  const errors = (error as { errors?: unknown } | null)?.errors;
  return error instanceof Error && Array.isArray(errors) ? (errors as AjvLikeError[]) : undefined;
}

export function validateWithModel(
  Model: ValidatableModelClass,
  data: object,
  obj: KubeObject,
  options: ModelValidationOptions,
): SchemaProblem[] {
  const prefix = options.prefix ?? [];
  // The constructor deep-copies (dropping undefined values, as serialization would): the proxies
  // wrap objects we own, and the caller's object is never touched.
  const model = new Model(data);
  // Non-strict needs no read tracking: validate the model as is.
  const tracker = options.strict ? trackFieldAccess(model) : undefined;
  let errors: AjvLikeError[] = [];
  try {
    // The model's own validate(), with the tracking proxy as `this`: one pass yields both the
    // schema errors and the record of which fields the schema declares.
    Reflect.apply(Model.prototype.validate, tracker ? tracker.proxy : model, []);
  } catch (error) {
    const thrown = ajvErrorsOf(error);
    if (!thrown) throw error; // a crash in the validator is a bug, not a schema problem
    errors = thrown;
  }
  const problems = problemsFromAjvErrors(obj, errors, model, prefix);
  if (tracker) {
    for (const segments of tracker.unknownFields(options.isFreeForm)) {
      problems.push(unknownFieldProblem(obj, [...prefix, ...segments]));
    }
  }
  return problems;
}
