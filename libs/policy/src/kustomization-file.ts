import { CORE_SCHEMA, load } from 'js-yaml';
import { FLUX_BOOTSTRAP_FOLDER } from '@aks-gitops/cluster-model';
import { KUSTOMIZATION_FILE, placeOfFile } from './generated-layout';
import type { UnreadableFile } from './model';
import { isRecord, show } from './unknown-value';

/*
 * The gate judges files; Flux applies what `kustomize build` renders from them. The two agree only
 * while every kustomization.yaml merely lists files next to it: a generator, a patch, a name
 * prefix, a namespace transform, a component, a Helm chart or a remote or parent-folder resource
 * would make kustomize render objects the gate never saw. So anything else is refused.
 */

const FILE_NAMES: ReadonlySet<string> = new Set([KUSTOMIZATION_FILE, 'kustomization.yml', 'Kustomization']);
const API_VERSION = 'kustomize.config.k8s.io/v1beta1';
const ALLOWED_FIELDS: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'resources']);
const FIX =
  'List only files of this folder under resources (as synth writes it: manifests.yaml); delete everything else and run npm run synth.';

export function isKustomizationFileName(name: string): boolean {
  return FILE_NAMES.has(name);
}

/**
 * Problems with one kustomization file. `folderEntries` names what sits beside it: files by
 * name, folders with a trailing `/`.
 */
export function checkKustomizationFile(
  file: string,
  text: string,
  folderEntries: ReadonlySet<string>,
): UnreadableFile[] {
  const place = placeOfFile(file);
  // flux bootstrap owns its folder and what its kustomization lists.
  if (place.kind === 'flux-bootstrap') return [];
  const problem = (field: string, message: string): UnreadableFile => ({
    file,
    ruleId: 'kustomization-local-resources',
    message: `${file}: ${field} ${message}`,
    fix: FIX,
  });
  let value: unknown;
  try {
    value = load(text, { schema: CORE_SCHEMA });
  } catch (error) {
    return [problem('(file)', `is not readable YAML: ${(error as Error).message.split('\n')[0]}`)];
  }
  if (!isRecord(value)) return [problem('(file)', 'is not a mapping, so kustomize cannot read it')];
  const problems: UnreadableFile[] = [];
  for (const field of Object.keys(value).sort()) {
    if (!ALLOWED_FIELDS.has(field))
      problems.push(
        problem(
          field,
          `is set: kustomize would render objects the policy gate does not see (only resources: is allowed)`,
        ),
      );
  }
  if (value.apiVersion !== undefined && value.apiVersion !== API_VERSION)
    problems.push(problem('apiVersion', `is ${show(value.apiVersion)}, not ${API_VERSION}`));
  if (value.kind !== undefined && value.kind !== 'Kustomization')
    problems.push(problem('kind', `is ${show(value.kind)}, not Kustomization`));
  const resources = value.resources;
  if (resources === undefined || resources === null) return problems;
  if (!Array.isArray(resources)) return [...problems, problem('resources', 'is not a list of file names')];
  resources.forEach((resource, index) => {
    const field = `resources[${index}]`;
    if (typeof resource !== 'string') {
      problems.push(problem(field, `is ${show(resource)}, not a file name`));
    } else if (
      place.kind === 'flux' &&
      resource.replace(/\/+$/, '') === FLUX_BOOTSTRAP_FOLDER &&
      folderEntries.has(`${FLUX_BOOTSTRAP_FOLDER}/`)
    ) {
      // The bootstrap folder: Flux's own install, as `flux bootstrap` wires it.
    } else if (
      /^[a-z][a-z0-9+.-]*:/i.test(resource) ||
      /^[\w.-]+@[\w.-]+:/.test(resource) ||
      resource.startsWith('//')
    ) {
      problems.push(problem(field, `${show(resource)} is a remote resource`));
    } else if (resource.includes('/') || resource.includes('\\') || resource === '.' || resource === '..') {
      problems.push(problem(field, `${show(resource)} is not a file in this folder`));
    } else if (isKustomizationFileName(resource)) {
      problems.push(problem(field, `${show(resource)} names a kustomization file`));
    } else if (!folderEntries.has(resource)) {
      problems.push(
        problem(
          field,
          `${show(resource)} ${folderEntries.has(`${resource}/`) ? 'is a folder, which kustomize would build as another kustomization' : 'does not exist in this folder'}`,
        ),
      );
    }
  });
  return problems;
}
