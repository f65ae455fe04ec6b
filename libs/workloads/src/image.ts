/**
 * Image references: `registry/repo:tag`, `registry/repo@sha256:<64 hex>`, or both. A tag of
 * `latest` or no tag at all is rejected: the running version must be what git says.
 */
// A registry host (with an optional `:port`) is only recognised when a `/` follows it, as in the
// distribution reference grammar: otherwise `postgres:16` parsed as host `postgres` port 16 with
// no tag, and a numeric tag was rejected as "no tag".
const REFERENCE =
  /^(?<repo>(?:[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$/;

export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

export function parseImage(image: string): ImageReference | undefined {
  const m = typeof image === 'string' ? REFERENCE.exec(image) : null;
  if (!m?.groups) return undefined;
  return { repository: m.groups.repo, tag: m.groups.tag, digest: m.groups.digest };
}

export function imageProblem(image: unknown): string | undefined {
  const ref = parseImage(image as string);
  if (!ref) return `${JSON.stringify(image)} is not an image reference (registry/repository:tag or @sha256:digest)`;
  if (!ref.tag && !ref.digest) return `"${image}" has neither a tag nor a digest`;
  if (ref.tag === 'latest' && !ref.digest) return `"${image}" uses the tag "latest"`;
  return undefined;
}
