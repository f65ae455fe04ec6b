import { allowingRegistry, imageLocation, registryPatternProblem } from '@aks-gitops/cluster-model';

/*
 * allowedRegistries entries: a registry host, optionally with a repository path prefix. Images are
 * normalized the way the container runtime resolves them, then matched by equal host and whole
 * path segments, never by substring.
 */

describe('where an image is pulled from', () => {
  const cases: [string, string, string][] = [
    ['contoso.azurecr.io/orders-api:1.4.2', 'contoso.azurecr.io', 'orders-api'],
    ['ghcr.io/contoso/orders-api:1.4.2@sha256:' + 'a'.repeat(64), 'ghcr.io', 'contoso/orders-api'],
    ['registry.local:5000/team/app', 'registry.local:5000', 'team/app'],
    ['localhost/app:1', 'localhost', 'app'],
    ['nginx:1.27', 'docker.io', 'library/nginx'],
    ['bitnami/redis:7', 'docker.io', 'bitnami/redis'],
    ['docker.io/eclipse-mosquitto:2.0.20', 'docker.io', 'library/eclipse-mosquitto'],
    ['index.docker.io/library/nginx:1.27', 'docker.io', 'library/nginx'],
    ['MCR.Microsoft.com/oss/nginx:1.27', 'mcr.microsoft.com', 'oss/nginx'],
  ];
  it.each(cases)('%s is %s / %s', (image, host, path) => {
    expect(imageLocation(image)).toEqual({ host, path });
  });
});

describe('matching allowedRegistries', () => {
  const allowed = ['contoso.azurecr.io', 'ghcr.io/contoso', 'docker.io/library/nginx', 'mcr.microsoft.com'];
  const admitted: [string, string][] = [
    ['contoso.azurecr.io/any/depth/app:1', 'contoso.azurecr.io'],
    ['ghcr.io/contoso/orders-api:1.4.2', 'ghcr.io/contoso'],
    ['ghcr.io/contoso/team/tool:2', 'ghcr.io/contoso'],
    ['nginx:1.27', 'docker.io/library/nginx'],
    ['mcr.microsoft.com/oss/kubernetes/pause:3.10', 'mcr.microsoft.com'],
  ];
  it.each(admitted)('%s is admitted by %s', (image, entry) => {
    expect(allowingRegistry(image, allowed)).toBe(entry);
  });

  const refused: [string, string][] = [
    ['contoso.azurecr.io.evil.example/app:1', 'a longer host that starts with the allowed one'],
    ['evil.azurecr.io/app:1', 'another registry of the same service'],
    ['evil.example/contoso.azurecr.io/app:1', 'the allowed host as a path'],
    ['ghcr.io/contoso-evil/app:1', 'a path that starts with the prefix but is another segment'],
    ['ghcr.io/app:1', 'the host of a path-prefixed entry without the prefix'],
    ['nginx-evil:1', 'a Docker Hub name that starts with an allowed one'],
    ['docker.io/nginxinc/nginx-unprivileged:1.27', 'another Docker Hub namespace'],
    ['contoso.azurecr.io:5000/app:1', 'the same host on another port'],
  ];
  it.each(refused)('%s is refused (%s)', (image) => {
    expect(allowingRegistry(image, allowed)).toBeUndefined();
  });
});

describe('allowedRegistries entries', () => {
  it.each([
    'contoso.azurecr.io',
    'ghcr.io/contoso',
    'registry.local:5000/team',
    'localhost:5000',
    'docker.io/library/nginx',
  ])('%s is a valid entry', (entry) => {
    expect(registryPatternProblem(entry)).toBeUndefined();
  });
  it.each([
    ['', 'is not a registry'],
    ['https://ghcr.io', 'has a URL scheme'],
    ['*.azurecr.io', 'has a wildcard'],
    ['ghcr.io/contoso/', 'ends with "/"'],
    ['ghcr.io/contoso/app:1', 'names a tag or digest'],
    ['ghcr.io/contoso@sha256:abc', 'names a tag or digest'],
    ['Contoso.azurecr.io', 'does not start with a lowercase registry host'],
    ['contoso', 'does not start with a lowercase registry host'],
    ['ghcr.io/Contoso', 'is not a repository path component'],
  ])('%s: %s', (entry, problem) => {
    expect(registryPatternProblem(entry)).toContain(problem);
  });
});
