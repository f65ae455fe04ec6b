import type { RuleContext } from '../rule-context';
import { show } from '../unknown-value';

/*
 * A tag is a moving pointer: `latest` (or no tag) means two nodes may run different code and a
 * rollback restores nothing. Prod goes further and pins the digest, so what was reviewed and
 * scanned is byte-for-byte what runs.
 */

export const PROD_ENVIRONMENT = 'prod';
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

export interface ImageReference {
  /** Repository including registry, without tag or digest. */
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

/** Splits `registry:5000/team/app:1.2@sha256:…`; the tag is only looked for after the last `/`. */
export function parseImageReference(image: string): ImageReference {
  const at = image.indexOf('@');
  const named = at === -1 ? image : image.slice(0, at);
  const digest = at === -1 ? undefined : image.slice(at + 1);
  const lastSlash = named.lastIndexOf('/');
  const colon = named.indexOf(':', lastSlash + 1);
  return colon === -1
    ? { repository: named, tag: undefined, digest }
    : { repository: named.slice(0, colon), tag: named.slice(colon + 1), digest };
}

export function hasSha256Digest(reference: ImageReference): boolean {
  return reference.digest !== undefined && SHA256_DIGEST.test(reference.digest);
}

export function checkImages({ cluster, report }: RuleContext): void {
  const requireDigest = cluster.environment === PROD_ENVIRONMENT;
  for (const { document, pod } of cluster.workloads) {
    for (const container of pod.containers) {
      const image = container.spec.image;
      if (typeof image !== 'string' || image.trim() === '') {
        report(
          'image-tag',
          document,
          `${container.label}: image is ${show(image)}`,
          `Set an image with a version tag or digest on ${container.label}.`,
        );
        continue;
      }
      const reference = parseImageReference(image);
      if (reference.digest === undefined && (reference.tag === undefined || reference.tag === 'latest')) {
        report(
          'image-tag',
          document,
          `${container.label}: image ${show(image)} ${reference.tag === undefined ? 'has no tag (means latest)' : 'uses the latest tag'}`,
          'Pin a version tag (for example :1.4.2) or a digest (@sha256:…).',
        );
      }
      if (requireDigest && !hasSha256Digest(reference)) {
        report(
          'image-digest-in-prod',
          document,
          `${container.label}: image ${show(image)} is not pinned by @sha256 digest in a prod cluster`,
          `Reference the image as ${reference.repository}${reference.tag ? `:${reference.tag}` : ''}@sha256:<digest> (resolve it in the release pipeline).`,
        );
      }
    }
  }
}
