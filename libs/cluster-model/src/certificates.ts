import type { ClusterSpec } from './cluster-spec';

/**
 * Which hostnames a TLS certificate covers, as clients check it (RFC 6125 section 6.4): a DNS name
 * matches a host exactly (case-insensitive), and a wildcard `*.example.com` matches exactly one
 * label in its place (`a.example.com`, not `example.com` and not `a.b.example.com`).
 */
export function certificateCovers(dnsNames: readonly string[], host: string): boolean {
  const h = host.toLowerCase();
  return dnsNames.some((raw) => {
    const name = raw.toLowerCase();
    if (name === h) return true;
    if (!name.startsWith('*.')) return false;
    // A route host that is itself a wildcard is covered only by the same wildcard (handled above).
    if (h.startsWith('*.')) return false;
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === name.slice(2);
  });
}

/** The certificate a cluster's shared listener presents: its name and the DNS names it covers. */
export interface ListenerCertificate {
  /**
   * AGIC: the certificate name on the Application Gateway (`appgw-ssl-certificate`);
   * gateway-api: the Key Vault certificate name synced into the listener Secret.
   */
  readonly name: string;
  readonly dnsNames: readonly string[];
}

export function clusterListenerCertificate(spec: ClusterSpec): ListenerCertificate {
  return spec.l7.kind === 'agic'
    ? { name: spec.l7.sslCertificate, dnsNames: spec.l7.sslCertificateDnsNames }
    : { name: spec.l7.tls.certificateName, dnsNames: spec.l7.tls.dnsNames };
}
