import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ManifestDocument } from '@aks-gitops/cluster-model';
import { checkKustomizationFile, isKustomizationFileName } from './kustomization-file';
import { placeOfFile, unexpectedFileReason } from './generated-layout';
import { expandLists } from './list-expansion';
import { yamlDocuments } from './yaml-documents';
import type { UnreadableFile } from './model';
import { isKubeObject, isKustomizeConfig } from './object-identity';

/** The generated trees the gate reads; everything else in the repository is source, not output. */
const MANIFEST_ROOTS = ['clusters', 'flux'] as const;
/** Parallel reads: enough to hide disk latency, few enough to stay clear of the open-file limit. */
const READ_CONCURRENCY = 32;

export interface LoadedTree {
  documents: ManifestDocument[];
  /** Every folder under clusters/ and flux/ (repo-relative, `/`-separated), for the Flux path rule. */
  existingPaths: Set<string>;
  /** Cluster folder names found under clusters/ and flux/. Environments are not on disk; the caller supplies them. */
  clusterNames: string[];
  /**
   * Files that did not parse into Kubernetes objects, files synth did not write and kustomize
   * build files that would render more than their folder's own files; pass them to evaluate() so
   * they fail the gate.
   */
  unreadableFiles: UnreadableFile[];
}

interface WalkedTree {
  /** YAML files to read as manifests (Azure config excluded). */
  files: string[];
  folders: Set<string>;
  /** Every file and link found, for the layout check; `other` means not a regular file. */
  entries: Array<{ file: string; regular: boolean }>;
  /** Folder -> the names directly inside it (`name/` for a folder), for the kustomization check. */
  names: Map<string, Set<string>>;
}

/** Walks a folder, returning repo-relative YAML files, every entry and folders in sorted (deterministic) order. */
async function walk(rootDir: string, relativeDir: string, tree: WalkedTree): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(path.join(rootDir, relativeDir), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  tree.folders.add(relativeDir);
  const names = new Set<string>();
  tree.names.set(relativeDir, names);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const relative = path.posix.join(relativeDir, entry.name);
    if (entry.isDirectory()) {
      await walk(rootDir, relative, tree);
      if (tree.folders.has(relative)) names.add(`${entry.name}/`);
      continue;
    }
    names.add(entry.name);
    tree.entries.push({ file: relative, regular: entry.isFile() });
    // `Kustomization` (no extension) is a name kustomize reads too.
    if (
      entry.isFile() &&
      (/\.ya?ml$/.test(entry.name) || isKustomizationFileName(entry.name)) &&
      !isAzureFolder(relativeDir)
    ) {
      tree.files.push(relative);
    }
  }
}

/** `clusters/<cluster>/azure` holds Azure JSON, never manifests. */
function isAzureFolder(relativeDir: string): boolean {
  const parts = relativeDir.split('/');
  return parts[0] === 'clusters' && parts[2] === 'azure';
}

interface ParsedFile {
  documents: ManifestDocument[];
  problems: UnreadableFile[];
}

export function parseManifestFile(file: string, text: string): ParsedFile {
  const documents: ManifestDocument[] = [];
  const problems: UnreadableFile[] = [];
  const values = yamlDocuments(text);
  const starts = documentStartLines(text);
  // Lines are only attached when the scan agrees with the parser on the number of documents.
  const lines = starts.length === values.length ? starts : undefined;
  values.forEach((parsed, index) => {
    const where = `document #${index + 1}`;
    if ('problem' in parsed) {
      problems.push({ file, message: `${where}: ${parsed.problem}` });
      return;
    }
    const value = parsed.value;
    if (value === null || value === undefined) return; // an empty document between `---` separators
    if (isKustomizeConfig(value, file)) return;
    // kustomize applies a List's items, so the gate judges the items.
    const expanded = expandLists(value);
    for (const problem of expanded.problems) problems.push({ file, message: `${where}: ${problem}` });
    for (const item of expanded.values) {
      if (!isKubeObject(item)) {
        problems.push({
          file,
          message: `${where}${item === value ? '' : ' (a List item)'} is not a Kubernetes object (needs apiVersion, kind and metadata.name)`,
        });
        continue;
      }
      const document: ManifestDocument = { file, object: item };
      if (lines) document.line = lines[index];
      documents.push(document);
    }
  });
  return { documents, problems };
}

/** `---` or `...` in column 0, followed by a blank, a line end or the end of the text. */
const MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;

/**
 * The 1-based line each YAML document of a stream starts at: its first line that is not blank, a
 * comment or a directive (so a finding points at `apiVersion:`, not at the `# Kind ns/name` comment
 * synth writes above it), or its `---` marker when the document is empty. A `---` or `...` in
 * column 0 always delimits documents (block scalar content is indented), which makes a scan for
 * markers enough; the caller checks that it found as many documents as the parser did and
 * otherwise uses no lines at all. Only the few lines at the start of each document are looked at,
 * so this costs a fraction of the parse (26 MB: about a tenth).
 */
export function documentStartLines(text: string): number[] {
  const starts: number[] = [];
  let line = 1;
  let counted = 0;
  const lineAt = (offset: number): number => {
    for (
      let position = text.indexOf('\n', counted);
      position !== -1 && position < offset;
      position = text.indexOf('\n', position + 1)
    )
      line++;
    counted = offset;
    return line;
  };
  /** First content line at or after `offset` and before `end`, as a 1-based number. */
  const contentLine = (offset: number, end: number, allowDirectives: boolean): number | undefined => {
    let position = offset;
    while (position < end) {
      const lineEnd = text.indexOf('\n', position);
      const stop = lineEnd === -1 || lineEnd > end ? end : lineEnd;
      const trimmed = text.slice(position, stop).trim();
      if (trimmed !== '' && !trimmed.startsWith('#') && !(allowDirectives && text[position] === '%'))
        return lineAt(position);
      if (lineEnd === -1) break;
      position = lineEnd + 1;
    }
    return undefined;
  };
  const markers = [...text.matchAll(MARKER)];
  // Text before the first marker is a document only if it has content (comments alone are none).
  const first = contentLine(0, markers[0]?.index ?? text.length, true);
  if (first !== undefined) starts.push(first);
  markers.forEach((marker, position) => {
    if (marker[0] === '...') return;
    const markerLine = lineAt(marker.index);
    const lineEnd = text.indexOf('\n', marker.index);
    const rest = text.slice(marker.index + 3, lineEnd === -1 ? text.length : lineEnd).trim();
    // `--- value` or `--- |` puts content on the marker line itself.
    if (rest !== '' && !rest.startsWith('#')) {
      starts.push(markerLine);
      return;
    }
    const end = markers[position + 1]?.index ?? text.length;
    starts.push(lineEnd === -1 ? markerLine : (contentLine(lineEnd + 1, end, false) ?? markerLine));
  });
  return starts;
}

/**
 * Reads the generated manifests under `rootDir`: `clusters/**` and `flux/**` YAML, multi-document
 * files included, skipping kustomize build files and Azure config. Order is deterministic.
 */
export interface LoadTreeOptions {
  /** The apps synth knows (folders under apps/): a folder under clusters/<cluster>/ for any other name was not written by synth. */
  knownApps?: ReadonlySet<string>;
  /** The fleet's clusters: a folder under clusters/ or flux/ for any other cluster was not written by synth. */
  knownClusters?: ReadonlySet<string>;
}

export async function loadTree(rootDir: string, options: LoadTreeOptions = {}): Promise<LoadedTree> {
  const tree: WalkedTree = { files: [], folders: new Set(), entries: [], names: new Map() };
  for (const root of MANIFEST_ROOTS) await walk(rootDir, root, tree);
  const { files, folders } = tree;

  const parsed: ParsedFile[] = new Array<ParsedFile>(files.length);
  let next = 0;
  const readNext = async (): Promise<void> => {
    while (next < files.length) {
      const position = next++;
      const text = await fs.readFile(path.join(rootDir, files[position]), 'utf8');
      parsed[position] = parseManifestFile(files[position], text);
      if (isKustomizationFileName(path.posix.basename(files[position]))) {
        parsed[position].problems.push(
          ...checkKustomizationFile(files[position], text, fileNamesIn(tree, path.posix.dirname(files[position]))),
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, readNext));

  const clusterNames = new Set<string>();
  for (const folder of folders) {
    const [root, cluster, ...rest] = folder.split('/');
    if (cluster !== undefined && rest.length === 0 && (MANIFEST_ROOTS as readonly string[]).includes(root))
      clusterNames.add(cluster);
  }
  return {
    documents: parsed.flatMap((file) => file.documents),
    existingPaths: folders,
    clusterNames: [...clusterNames].sort(),
    unreadableFiles: [...checkGeneratedLayout(tree.entries, options), ...parsed.flatMap((file) => file.problems)],
  };
}

/**
 * Every file under clusters/ and flux/ that synth (or flux bootstrap) did not write. `entries` are
 * repo-relative files; `regular: false` for links and other non-regular files.
 */
export function checkGeneratedLayout(
  entries: ReadonlyArray<{ file: string; regular?: boolean }>,
  options: LoadTreeOptions = {},
): UnreadableFile[] {
  const problems: UnreadableFile[] = [];
  for (const entry of entries) {
    const reason =
      entry.regular !== false
        ? (unexpectedFileReason(entry.file) ?? unknownOwnerReason(entry.file, options))
        : 'not a regular file (a link or device); synth writes only regular files';
    if (reason === undefined) continue;
    problems.push({
      file: entry.file,
      ruleId: 'file-generated',
      message: `${entry.file} was not written by synth: ${reason}; Flux would apply it without review`,
      fix: 'Delete the file and change the app or the constructs instead, then run npm run synth (clusters/ and flux/ are generated).',
    });
  }
  return problems;
}

/** Why a file in the generated layout still cannot be synth's: its cluster or app does not exist. */
function unknownOwnerReason(file: string, options: LoadTreeOptions): string | undefined {
  const place = placeOfFile(file);
  if (place.kind === 'elsewhere') return undefined;
  if (options.knownClusters && !options.knownClusters.has(place.cluster))
    return `cluster ${place.cluster} is not in the fleet`;
  if (place.kind === 'app' && options.knownApps && !options.knownApps.has(place.app))
    return `there is no app ${place.app} (apps/${place.app}/)`;
  return undefined;
}

/** Names of the files and folders directly inside one folder of the walked tree. */
function fileNamesIn(tree: WalkedTree, folder: string): ReadonlySet<string> {
  return tree.names.get(folder) ?? new Set();
}
