/**
 * The shared Gateway's listener for a host that brings its own certificate: the host itself (a
 * valid listener name, which is a DNS subdomain), with `*.` spelled `wildcard.`. Stable whatever
 * the app or construct is called. The baseline creates the listener, the HTTPRoute names it.
 */
export function hostListenerName(host: string): string {
  return host.startsWith('*.') ? `wildcard.${host.slice(2)}` : host;
}

/** Name of the synced Secret (and its SecretProviderClass object) for an API's own certificate. */
export function hostCertificateSecretName(gatewayName: string, certificate: string): string {
  const name = `${gatewayName}-cert-${certificate.toLowerCase()}`;
  return name.length <= 253 ? name : name.slice(0, 253).replace(/-+$/, '');
}
