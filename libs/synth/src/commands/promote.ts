import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ConfigError } from '@aks-gitops/cluster-model';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { RELEASE_FILE, parseImage } from '@aks-gitops/workloads';
import type { Release } from '@aks-gitops/workloads';
import { MANIFEST_FILE } from '../render/manifest-file';

export interface PromoteOptions {
  readonly root: string;
  readonly app: string;
  /** The validated fleet. */
  readonly clusters: readonly ClusterSpec[];
  /** @default the first non-prod cluster (by name) the app is deployed to */
  readonly from?: string;
}

/**
 * `npm run promote -- --app <app> [--from <cluster>]`: records the image the app runs on a
 * non-prod cluster, as committed in `clusters/<from>/<app>/manifests.yaml` (what Flux applied
 * there), in `apps/<app>/release.json`, which prod clusters pin (see `promotedImage`). Written
 * with write + rename, so a crash leaves the old file or the new one. Returns the release.
 */
export function promote(opts: PromoteOptions): Release {
  const nonProd = opts.clusters
    .filter((c) => c.environment !== 'prod')
    .map((c) => c.name)
    .sort();
  const deployedOn = (c: string) => fs.existsSync(path.join(opts.root, 'clusters', c, opts.app, MANIFEST_FILE));
  if (!fs.existsSync(path.join(opts.root, 'apps', opts.app))) {
    throw new ConfigError({
      app: opts.app,
      field: '--app',
      problem: `no app named "${opts.app}" under apps/`,
      fix: 'name an app folder under apps/',
    });
  }
  const from = opts.from ?? nonProd.find(deployedOn);
  if (!from || !nonProd.includes(from)) {
    const problem = opts.from
      ? `"${opts.from}" is not a non-prod cluster of the fleet`
      : 'is deployed to no non-prod cluster';
    throw new ConfigError({
      app: opts.app,
      field: '--from',
      problem,
      fix: `promote from one of ${nonProd.join(', ') || '(none)'} after the app runs there`,
    });
  }
  const file = path.join(opts.root, 'clusters', from, opts.app, MANIFEST_FILE);
  if (!deployedOn(from)) {
    throw new ConfigError({
      cluster: from,
      app: opts.app,
      field: '--from',
      problem: `clusters/${from}/${opts.app}/ does not exist`,
      fix: 'run npm run synth, merge, and let Flux apply it on that cluster first',
    });
  }
  const images = new Set<string>();
  for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    const obj = doc.toJS() as {
      spec?: { template?: { spec?: { containers?: { image?: string }[]; initContainers?: { image?: string }[] } } };
    } | null;
    const pod = obj?.spec?.template?.spec;
    for (const c of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) if (c.image) images.add(c.image);
  }
  if (images.size !== 1) {
    throw new ConfigError({
      cluster: from,
      app: opts.app,
      field: 'image',
      problem: `runs ${images.size} images (${[...images].join(', ') || 'none'}), and release.json records one`,
      fix: 'give the app one image, or pin prod images in its source',
    });
  }
  const [image] = images;
  if (!parseImage(image)?.digest) {
    throw new ConfigError({
      cluster: from,
      app: opts.app,
      field: 'image',
      problem: `"${image}" is not pinned by digest, so prod could not run the same bytes`,
      fix: `pin the image in apps/${opts.app}/src/index.ts as registry/repo:tag@sha256:<digest> (Renovate keeps it current)`,
    });
  }
  const release: Release = { image, verifiedOn: from };
  const target = path.join(opts.root, 'apps', opts.app, RELEASE_FILE);
  const text =
    JSON.stringify(
      {
        $comment: `Written by npm run promote -- --app ${opts.app}: prod clusters run this image, as it ran on ${from}.`,
        ...release,
      },
      null,
      2,
    ) + '\n';
  fs.writeFileSync(`${target}.tmp`, text);
  fs.renameSync(`${target}.tmp`, target);
  return release;
}
