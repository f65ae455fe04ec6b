import { ConfigError } from '@aks-gitops/cluster-model';
import type { LoadBalancerClaim, PrivateLinkClaim, RouteClaim } from './cluster-claims';
import { describeFrontend } from './shared-frontend';

/** A host and path is routed to one workload; one host is served with one certificate. */
export function checkRouteClaims(cluster: string, routes: readonly RouteClaim[]): void {
  const routeOwners = new Map<string, RouteClaim>();
  for (const r of routes) {
    const key = `${r.host}${r.path}`;
    const other = routeOwners.get(key);
    if (other && (other.app !== r.app || other.workload !== r.workload)) {
      throw new ConfigError({
        cluster,
        app: r.app,
        field: r.field,
        problem: `host ${r.host} path ${r.path} is already routed to ${other.app}/${other.workload}`,
        fix: 'give each API its own host or path prefix',
      });
    }
    routeOwners.set(key, r);
  }
  // One host has one listener, so one certificate: two APIs sharing a host (different paths)
  // must agree on it, or one of them would be served with the other's certificate.
  const hostCertificates = new Map<string, RouteClaim>();
  for (const r of routes) {
    const other = hostCertificates.get(r.host);
    if (other && other.certificate?.name !== r.certificate?.name) {
      const show = (c: RouteClaim) =>
        c.certificate ? `its own certificate "${c.certificate.name}"` : "the cluster's listener certificate";
      throw new ConfigError({
        cluster,
        app: r.app,
        field: r.field,
        problem: `host ${r.host} is served with ${show(r)}, but ${other.app}/${other.workload} serves the same host with ${show(other)}; one host has one listener and one certificate`,
        fix: 'use the same certificate for every API on this host, or give this API its own host',
      });
    }
    if (!other) hostCertificates.set(r.host, r);
  }
}

/** A frontend port (IP, port, protocol) belongs to one service; a frontend gets at most one Private Link Service. */
export function checkFrontendClaims(
  cluster: string,
  loadBalancers: readonly LoadBalancerClaim[],
  privateLinks: readonly PrivateLinkClaim[],
): void {
  const lbOwners = new Map<string, LoadBalancerClaim>();
  for (const lb of loadBalancers) {
    const key = `${lb.ip}:${lb.port}/${lb.protocol}`;
    const other = lbOwners.get(key);
    if (other) {
      const shared = other.frontend ? other : lb.frontend ? lb : undefined;
      const where = shared
        ? `${lb.port}/${lb.protocol} on ${describeFrontend(shared)}`
        : `${lb.ip}:${lb.port}/${lb.protocol}`;
      throw new ConfigError({
        cluster,
        app: lb.app,
        field: lb.field,
        problem: `${where} is already claimed by ${other.app}/${other.workload}`,
        fix:
          lb.frontend || other.frontend
            ? `give ${lb.app} another port, or move one of the two apps to another frontend (frontendAssignments in the cluster spec)`
            : 'use another internal IP, or another port on the shared IP',
      });
    }
    lbOwners.set(key, lb);
  }
  const plsOwners = new Map<string, { app: string; workload: string }>();
  for (const pl of privateLinks) {
    const other = plsOwners.get(pl.ip);
    if (other) {
      throw new ConfigError({
        cluster,
        app: pl.app,
        field: pl.field,
        problem: `frontend ${pl.ip} already gets a Private Link Service from ${other.app}/${other.workload}; services sharing a frontend share its PLS`,
        fix: 'declare privateLink on one of the services only',
      });
    }
    plsOwners.set(pl.ip, pl);
  }
}
