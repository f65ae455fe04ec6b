import type { WorkloadProps } from './workload-props';

export interface L7Route {
  /** Fully qualified hostname, e.g. `orders.contoso.com`. */
  readonly host: string;
  /**
   * Path prefixes routed to this API.
   * @default ['/']
   */
  readonly paths?: readonly string[];
}

export interface L7Health {
  /**
   * Readiness endpoint; also the App Gateway health probe path.
   * @default "/readyz"
   */
  readonly readinessPath?: string;
  /**
   * Liveness endpoint.
   * @default "/livez"
   */
  readonly livenessPath?: string;
  /**
   * Startup endpoint for slow starters.
   * @default none (no startup probe)
   */
  readonly startupPath?: string;
}

export interface L7ApiProps extends WorkloadProps {
  /** The container port the API listens on. */
  readonly port: number;
  /** Hostnames and path prefixes. A host+path may belong to only one API per cluster. */
  readonly routes: readonly L7Route[];
  /**
   * Health endpoints of the pod (probes, and the gateway health probe).
   * @default see L7Health ("/readyz", "/livez")
   */
  readonly health?: L7Health;
  /**
   * `https` re-encrypts from the gateway to the pod (end-to-end TLS) and verifies the pod's
   * certificate: AGIC against the cluster's `l7.trustedRootCertificate`, AGC against the CA of
   * `l7.backendCa` (synced into the Secret `<api>-backend-ca`).
   * @default "http"
   */
  readonly backendProtocol?: 'http' | 'https';
  /**
   * WAF policy resource ID for this API's paths.
   * @default the cluster's WAF policy
   */
  readonly wafPolicyId?: string;
  /**
   * This API's own listener certificate instead of the cluster's, for hosts the cluster certificate
   * does not cover. AGIC: `name` is the certificate installed on the App Gateway from Key Vault
   * (`appgw-ssl-certificate`). Gateway API: `name` is a certificate in the cluster's Key Vault; the
   * baseline syncs it (with the gateway TLS identity, which needs read access to it) into a Secret
   * beside the shared Gateway and adds an HTTPS listener per host that presents it.
   * @default the cluster's listener certificate
   */
  readonly certificate?: L7Certificate;
  /**
   * `backendProtocol: 'https'` on Application Gateway for Containers: the server name (SNI) the
   * gateway sends to the pod and the name its certificate must carry (BackendTLSPolicy `sni` and
   * `verify.subjectAltName`).
   * @default the first route host that is not a wildcard
   */
  readonly backendServerName?: string;
}

export interface L7Certificate {
  readonly name: string;
  /** The DNS names it covers (exact, or single-label `*.` wildcards); every route host must be one of them. */
  readonly dnsNames: readonly string[];
}
