import { ConfigError } from '@aks-gitops/cluster-model';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { imageProblem, parseImage } from './image';

/** The file an app commits to say which image prod runs: `apps/<app>/release.json`. */
export const RELEASE_FILE = 'release.json';

/** `apps/<app>/release.json`, written by `npm run promote -- --app <app>`. */
export interface Release {
  /** The image, pinned by digest, exactly as it ran on `verifiedOn`. */
  readonly image: string;
  /** The non-prod cluster it was promoted from. */
  readonly verifiedOn?: string;
}

/**
 * Promotion from dev to prod in one place. An app declares its image once (the constant Renovate
 * updates, pinned by digest); non-prod clusters run it as soon as it merges, prod clusters run the
 * image recorded in `apps/<app>/release.json`, which `npm run promote` copies from what dev runs.
 * So prod runs exactly the bytes dev ran, and promoting is a one-file pull request the app's owners
 * review. The release must be the same repository, pinned by digest.
 */
export function promotedImage(
  ctx: { readonly cluster: ClusterSpec; readonly app: string },
  image: string,
  release: unknown,
): string {
  if (ctx.cluster.environment !== 'prod') return image;
  const field = `apps/${ctx.app}/${RELEASE_FILE} image`;
  const fix = `run \`npm run promote -- --app ${ctx.app}\` after dev runs the image, and commit ${RELEASE_FILE}`;
  const released = (release as Partial<Release> | undefined)?.image;
  const problem = imageProblem(released);
  if (problem) throw new ConfigError({ cluster: ctx.cluster.name, app: ctx.app, field, problem, fix });
  const ref = parseImage(released as string)!;
  if (!ref.digest)
    throw new ConfigError({
      cluster: ctx.cluster.name,
      app: ctx.app,
      field,
      problem: `"${released}" is not pinned by digest`,
      fix,
    });
  const current = parseImage(image);
  if (current && current.repository !== ref.repository) {
    throw new ConfigError({
      cluster: ctx.cluster.name,
      app: ctx.app,
      field,
      problem: `names ${ref.repository}, but the app's image is ${current.repository}`,
      fix,
    });
  }
  return released as string;
}
