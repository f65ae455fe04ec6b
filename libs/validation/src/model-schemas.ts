import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KubeObject } from '@aks-gitops/cluster-model';
import { freeFormMatcher } from './free-form-fields';
import type { GroupVersion, KindSchema } from './kind-schema';
import { loadOptional, resolvePath } from './package-loader';
import { validateWithModel } from './model-validation';
import type { SchemaProblem } from './schema-problem';

/**
 * Kinds validated by the npm model packages: construct the model class for apiVersion/kind and run
 * its own `.validate()`. Those packages are generated from the upstream OpenAPI (Kubernetes 1.33
 * for kubernetes-models 4.5.1) and CRDs (Flux 2.2 controllers for flux-cd 2.3.4, Gateway API
 * v1.0.0 for gateway-api 0.5.1), so this is the upstream schema, not a hand-written one.
 */
interface ModelPackage {
  name: string;
  /** Which API groups live in this package. Routing avoids probing every package per kind. */
  serves(group: string): boolean;
}

const MODEL_PACKAGES: readonly ModelPackage[] = [
  { name: '@kubernetes-models/flux-cd', serves: (group) => group.endsWith('.toolkit.fluxcd.io') },
  { name: '@kubernetes-models/gateway-api', serves: (group) => group === 'gateway.networking.k8s.io' },
  // Built-in groups: core (''), dotless (apps, batch, autoscaling, policy) and *.k8s.io.
  { name: 'kubernetes-models', serves: (group) => !group.includes('.') || group.endsWith('.k8s.io') },
];

/** The static side of a generated model class (both the 4.x and the older base Model). */
interface ModelClass {
  new (data: object): object;
  readonly apiVersion: string;
  readonly kind: string;
  readonly prototype: { validate(): void };
}

function isModelClass(value: unknown, apiVersion: string, kind: string): value is ModelClass {
  if (typeof value !== 'function') return false;
  const candidate = value as Partial<ModelClass>;
  // Spec/Status helper types are model classes too but carry no apiVersion/kind: not top-level.
  return (
    candidate.apiVersion === apiVersion &&
    candidate.kind === kind &&
    typeof candidate.prototype?.validate === 'function'
  );
}

const versions = new Map<string, string>();

/** `name@version` read from the installed package.json (the package may not export it). */
function packageLabel(name: string, entry: string): string {
  let label = versions.get(name);
  if (label === undefined) {
    label = name;
    for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
      try {
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (manifest.name === name) {
          label = `${name}@${manifest.version ?? '?'}`;
          break;
        }
      } catch {
        // no package.json at this level: keep walking up
      }
    }
    versions.set(name, label);
  }
  return label;
}

export function findModelSchema(apiVersion: string, kind: string, gv: GroupVersion): KindSchema | undefined {
  for (const pkg of MODEL_PACKAGES) {
    if (!pkg.serves(gv.group)) continue;
    const groupPath = gv.group === '' ? gv.version : `${gv.group}/${gv.version}`;
    const specifier = `${pkg.name}/${groupPath}/${kind}`;
    const mod = loadOptional(specifier) as Record<string, unknown> | undefined;
    const Model = mod?.[kind];
    if (!isModelClass(Model, apiVersion, kind)) continue;
    return modelSchema(Model, packageLabel(pkg.name, resolvePath(specifier)));
  }
  return undefined;
}

function modelSchema(Model: ModelClass, source: string): KindSchema {
  const { apiVersion, kind } = Model;
  const isFreeForm = freeFormMatcher(apiVersion, kind);
  return {
    apiVersion,
    kind,
    source,
    validate: (obj: KubeObject, strict: boolean): SchemaProblem[] =>
      validateWithModel(Model, obj, obj, { strict, isFreeForm }),
  };
}
