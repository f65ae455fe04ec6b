/**
 * Trusted registries: which images a cluster may run. An entry of `ClusterSpec.allowedRegistries`
 * is a registry host (with an optional `:port`), optionally followed by a repository path prefix:
 *
 *   contoso.azurecr.io            every repository on that registry
 *   ghcr.io/contoso               ghcr.io/contoso/... only (not ghcr.io/contoso-evil/...)
 *   docker.io/library/nginx       that one repository (Docker Hub official images live under library/)
 *
 * Matching is never by substring: the host must be equal (so `contoso.azurecr.io.evil.com` and
 * `evil.io/contoso.azurecr.io/x` do not match `contoso.azurecr.io`), and a path prefix matches
 * whole path segments. Images are normalized the way the container runtime resolves them first
 * (distribution/reference `ParseNormalizedNamed`): no registry host means Docker Hub, and a
 * one-segment Docker Hub name lives under `library/`, so `nginx:1.27` is `docker.io/library/nginx`.
 */

/** Where an image is pulled from, after normalization. */
export interface ImageLocation {
  /** Lowercase registry host with its port, e.g. `contoso.azurecr.io`, `localhost:5000`. */
  readonly host: string;
  /** Repository path on that registry, e.g. `library/nginx`. */
  readonly path: string;
}

export interface RegistryPattern {
  readonly host: string;
  /** Repository path prefix; empty for the whole registry. */
  readonly pathPrefix: string;
}

export const DOCKER_HUB = 'docker.io';
/** Hosts that are Docker Hub under another name; images written with them normalize to docker.io. */
const DOCKER_HUB_ALIASES: ReadonlySet<string> = new Set(['index.docker.io', 'registry-1.docker.io']);

const HOST = /^(?:localhost|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+)(?::[0-9]{1,5})?$/;
const PATH_SEGMENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/** A problem with one allowedRegistries entry, or undefined when it is a valid pattern. */
export function registryPatternProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'string' || entry === '')
    return `${JSON.stringify(entry)} is not a registry (host, or host/path-prefix)`;
  if (/^[a-z]+:\/\//i.test(entry)) return `"${entry}" has a URL scheme; registries are written without one`;
  if (entry.includes('*')) return `"${entry}" has a wildcard; list each registry (or registry/path prefix) explicitly`;
  if (entry.includes('@') || /\/[^/]*:/.test(entry))
    return `"${entry}" names a tag or digest; allowedRegistries name registries and path prefixes, not images`;
  if (entry.endsWith('/')) return `"${entry}" ends with "/"; write the prefix without it`;
  const [host, ...path] = entry.split('/');
  if (!HOST.test(host))
    return `"${entry}" does not start with a lowercase registry host (a dotted DNS name or localhost, optional :port)`;
  const bad = path.find((segment) => !PATH_SEGMENT.test(segment));
  if (bad !== undefined)
    return `"${entry}" has the path segment ${JSON.stringify(bad)}, which is not a repository path component`;
  return undefined;
}

export function parseRegistryPattern(entry: string): RegistryPattern {
  const slash = entry.indexOf('/');
  const host = normalizeHost(slash < 0 ? entry : entry.slice(0, slash));
  return { host, pathPrefix: slash < 0 ? '' : entry.slice(slash + 1) };
}

function normalizeHost(host: string): string {
  const lower = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}

/** The registry host and repository path an image reference pulls from. */
export function imageLocation(image: string): ImageLocation {
  const at = image.indexOf('@');
  const withoutDigest = at < 0 ? image : image.slice(0, at);
  const lastSlash = withoutDigest.lastIndexOf('/');
  const tagColon = withoutDigest.indexOf(':', lastSlash + 1);
  const name = tagColon < 0 ? withoutDigest : withoutDigest.slice(0, tagColon);
  const firstSlash = name.indexOf('/');
  const first = firstSlash < 0 ? '' : name.slice(0, firstSlash);
  // distribution/reference: the first component is a registry only if it looks like a host.
  if (first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    const host = normalizeHost(first);
    const path = name.slice(firstSlash + 1);
    return { host, path: host === DOCKER_HUB && !path.includes('/') ? `library/${path}` : path };
  }
  return { host: DOCKER_HUB, path: firstSlash < 0 ? `library/${name}` : name };
}

/** True when the image is pulled from the pattern's registry, inside its path prefix (whole segments). */
export function registryAllows(pattern: RegistryPattern, location: ImageLocation): boolean {
  if (pattern.host !== location.host) return false;
  if (pattern.pathPrefix === '') return true;
  return location.path === pattern.pathPrefix || location.path.startsWith(`${pattern.pathPrefix}/`);
}

/** The first entry of `allowed` that admits the image, or undefined. */
export function allowingRegistry(image: string, allowed: readonly string[]): string | undefined {
  const location = imageLocation(image);
  return allowed.find((entry) => registryAllows(parseRegistryPattern(entry), location));
}
