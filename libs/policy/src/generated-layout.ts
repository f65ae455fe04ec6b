import { FLUX_BOOTSTRAP_FOLDER, FLUX_SOURCE_NAME, type ManifestDocument } from '@aks-gitops/cluster-model';

/*
 * The shape of the tree synth writes, which is all Flux may apply. The standalone gate reads the
 * committed tree, so anything in it that synth could not have written (a stray file, a hand-made
 * folder, a kustomization.yaml that pulls in more than its own files) is refused: otherwise it
 * would reach the cluster without ever being judged. Synth's own output is tested against this
 * layout, so the two cannot drift apart.
 */

/** `clusters/<cluster>/platform/`: the cluster baseline (namespaces, default deny, Flux RBAC). */
export const PLATFORM_FOLDER = 'platform';
/** `clusters/<cluster>/azure/`: Azure edge configuration, never applied by Flux. */
export const AZURE_FOLDER = 'azure';
/** The namespace every generated Flux object lives in. */
export const FLUX_NAMESPACE = 'flux-system';
/** The generated GitRepository every generated Kustomization reads from (named in cluster-model, as synth names it). */
export { FLUX_SOURCE_NAME };

export const MANIFEST_FILE = 'manifests.yaml';
export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/** Files synth writes into each `clusters/<cluster>/<folder>/` that Flux applies. */
const APPLIED_FOLDER_FILES: ReadonlySet<string> = new Set([MANIFEST_FILE, KUSTOMIZATION_FILE]);
const AZURE_FILES: ReadonlySet<string> = new Set([
  'allocations.json',
  'firewall-dnat.json',
  'front-door.json',
  'prerequisites.json',
  'prerequisites.md',
  'topology.md',
  'traffic.md',
]);
/** At scale the traffic map is an index (traffic.md) with pages traffic-01.md, traffic-02.md, ... (libs/synth traffic-diagram.ts). */
const TRAFFIC_PAGE = /^traffic-\d{2,}\.md$/;
const FLUX_FILES: ReadonlySet<string> = new Set([
  'source.yaml',
  `${PLATFORM_FOLDER}.yaml`,
  'notifications.yaml',
  KUSTOMIZATION_FILE,
]);
/** The files `flux bootstrap` commits into its folder. */
const FLUX_BOOTSTRAP_FILES: ReadonlySet<string> = new Set([
  'gotk-components.yaml',
  'gotk-sync.yaml',
  KUSTOMIZATION_FILE,
]);

/** What a repo-relative file under `clusters/` or `flux/` is, by where it sits. */
export type FilePlace =
  | { kind: 'app'; cluster: string; app: string }
  | { kind: 'platform'; cluster: string }
  | { kind: 'flux'; cluster: string }
  | { kind: 'azure'; cluster: string }
  | { kind: 'flux-bootstrap'; cluster: string }
  | { kind: 'elsewhere' };

function segments(file: string): string[] {
  return file.replace(/\\/g, '/').replace(/^\.\//, '').split('/');
}

/**
 * The folder a file belongs to. Deeper files count for the folder they sit under (their own
 * presence is reported by the layout check), so an object hidden in a subfolder is still judged
 * as the app's.
 */
export function placeOfFile(file: string): FilePlace {
  // Asked for every document and by several rules: a folder's thousands of documents share one
  // file name (the platform folder holds 7 objects per app), so each name is split once.
  let place = placeCache.get(file);
  if (!place) {
    if (placeCache.size >= PLACE_CACHE_MAX) placeCache.clear();
    place = Object.freeze(computePlace(file));
    placeCache.set(file, place);
  }
  return place;
}
const PLACE_CACHE_MAX = 100_000;
const placeCache = new Map<string, FilePlace>();

function computePlace(file: string): FilePlace {
  const parts = segments(file);
  if (parts.length < 3 || parts[1] === '') return { kind: 'elsewhere' };
  const cluster = parts[1];
  if (parts[0] === 'flux') {
    return parts.length >= 4 && parts[2] === FLUX_BOOTSTRAP_FOLDER
      ? { kind: 'flux-bootstrap', cluster }
      : { kind: 'flux', cluster };
  }
  if (parts[0] !== 'clusters' || parts.length < 4) return { kind: 'elsewhere' };
  if (parts[2] === PLATFORM_FOLDER) return { kind: 'platform', cluster };
  if (parts[2] === AZURE_FOLDER) return { kind: 'azure', cluster };
  return { kind: 'app', cluster, app: parts[2] };
}

/** The app whose folder holds this file, if it is in an app folder. */
export function appOfFile(file: string): string | undefined {
  const place = placeOfFile(file);
  return place.kind === 'app' ? place.app : undefined;
}

/** The folder of a file as findings name it: `clusters/<cluster>/<folder>` or `flux/<cluster>`. */
export function folderOfFile(file: string): string {
  const parts = segments(file);
  const place = placeOfFile(file);
  if (place.kind === 'flux') return `flux/${place.cluster}`;
  if (place.kind === 'flux-bootstrap') return `flux/${place.cluster}/${FLUX_BOOTSTRAP_FOLDER}`;
  if (place.kind === 'elsewhere') return parts.slice(0, -1).join('/');
  return parts.slice(0, 3).join('/');
}

/**
 * Why synth could not have written this repo-relative file under `clusters/` or `flux/`, or
 * undefined when it is one of the files synth (or `flux bootstrap`) writes.
 */
export function unexpectedFileReason(file: string): string | undefined {
  const parts = segments(file);
  const name = parts[parts.length - 1];
  const root = parts[0];
  if (parts.length === 2) return `synth writes no file directly in ${root}/, only per-cluster folders`;
  if (root === 'flux') {
    if (parts.length === 3)
      return FLUX_FILES.has(name) ? undefined : `synth writes only ${[...FLUX_FILES].join(', ')} in flux/<cluster>/`;
    if (parts.length === 4 && parts[2] === FLUX_BOOTSTRAP_FOLDER) {
      return FLUX_BOOTSTRAP_FILES.has(name)
        ? undefined
        : `flux bootstrap writes only ${[...FLUX_BOOTSTRAP_FILES].join(', ')} in flux/<cluster>/${FLUX_BOOTSTRAP_FOLDER}/`;
    }
    return `synth writes no subfolders in flux/<cluster>/ (only ${FLUX_BOOTSTRAP_FOLDER}/, written by flux bootstrap)`;
  }
  if (parts.length === 3) return 'synth writes no file directly in clusters/<cluster>/, only per-folder files';
  if (parts.length > 4) return 'synth writes no subfolders inside clusters/<cluster>/<folder>/';
  if (parts[2] === AZURE_FOLDER)
    return AZURE_FILES.has(name) || TRAFFIC_PAGE.test(name)
      ? undefined
      : `synth writes only ${[...AZURE_FILES].join(', ')} and traffic-NN.md pages in clusters/<cluster>/${AZURE_FOLDER}/`;
  return APPLIED_FOLDER_FILES.has(name)
    ? undefined
    : `synth writes only ${[...APPLIED_FOLDER_FILES].join(' and ')} in clusters/<cluster>/<folder>/`;
}

/** The apps of this cluster: every folder under clusters/<cluster>/ other than platform and azure. */
export function appsOf(documents: readonly ManifestDocument[]): Set<string> {
  const apps = new Set<string>();
  for (const document of documents) {
    const app = appOfFile(document.file);
    if (app !== undefined) apps.add(app);
  }
  return apps;
}
