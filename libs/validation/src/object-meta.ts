import type { KubeObject } from '@aks-gitops/cluster-model';
import { validateWithModel, type ValidatableModelClass } from './model-validation';
import { isRecord } from './object-path';
import { loadVia } from './package-loader';
import type { SchemaProblem } from './schema-problem';

/**
 * `metadata` of kinds validated from a CRD schema. A CRD's openAPIV3Schema says only
 * `metadata: {type: object}` because the API server validates ObjectMeta itself; we do what the
 * server does, with the upstream ObjectMeta model that kubernetes-models uses for built-in kinds,
 * so a `metadata.lables` typo on a SecretProviderClass is caught like on a Deployment.
 */
let ObjectMeta: ValidatableModelClass | undefined;

function objectMetaClass(): ValidatableModelClass {
  if (!ObjectMeta) {
    const mod = loadVia('kubernetes-models', '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta') as {
      ObjectMeta: ValidatableModelClass;
    };
    ObjectMeta = mod.ObjectMeta;
  }
  return ObjectMeta;
}

export function validateObjectMeta(obj: KubeObject, strict: boolean): SchemaProblem[] {
  const metadata: unknown = (obj as { metadata?: unknown }).metadata;
  if (!isRecord(metadata)) return []; // the CRD schema itself reports a non-object metadata
  return validateWithModel(objectMetaClass(), metadata, obj, { strict, prefix: ['metadata'] });
}
