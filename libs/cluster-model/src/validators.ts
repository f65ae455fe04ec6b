/**
 * Field checks shared by the cluster model and the workload constructs. Each returns a problem
 * sentence or undefined, so callers decide how to attach app/cluster/field context.
 */

/** RFC 1123 label, as Kubernetes requires for names of namespaces, Services, ... */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function dnsLabelProblem(value: unknown, maxLength = 63): string | undefined {
  if (typeof value !== 'string' || value.length === 0)
    return `must be a non-empty string, got ${JSON.stringify(value)}`;
  if (value.length > maxLength) return `"${value}" is ${value.length} characters, longer than ${maxLength}`;
  if (!DNS_LABEL.test(value))
    return `"${value}" is not a DNS label (lowercase letters, digits and '-', starting and ending alphanumeric)`;
  return undefined;
}

/** A hostname as App Gateway and Gateway API accept it (lowercase, dotted labels, optional leading `*.`). */
export function hostnameProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0)
    return `must be a non-empty hostname, got ${JSON.stringify(value)}`;
  if (value.length > 253) return `"${value}" is longer than 253 characters`;
  const labels = value.startsWith('*.') ? value.slice(2).split('.') : value.split('.');
  if (labels.length < 2) return `"${value}" is not a fully qualified hostname`;
  if (!labels.every((l) => l.length <= 63 && DNS_LABEL.test(l))) {
    return `"${value}" is not a valid hostname (lowercase RFC 1123 labels separated by dots; a wildcard only as a leading "*.")`;
  }
  return undefined;
}

export function portProblem(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    return `${JSON.stringify(value)} is not a port number (an integer from 1 to 65535)`;
  }
  return undefined;
}

export function intRangeProblem(value: unknown, min: number, max: number): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return `${JSON.stringify(value)} is not an integer from ${min} to ${max}`;
  }
  return undefined;
}

export function oneOfProblem<T extends string>(value: unknown, allowed: readonly T[]): string | undefined {
  if (!allowed.includes(value as T))
    return `${JSON.stringify(value)} is not one of ${allowed.map((a) => `"${a}"`).join(', ')}`;
  return undefined;
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function guidProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !GUID.test(value)) return `${JSON.stringify(value)} is not a lowercase GUID`;
  return undefined;
}

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** A label key: optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  const name = parts.pop() as string;
  const prefix = parts.join('/');
  if (parts.length > 1 || !LABEL_NAME.test(name) || (prefix && !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(prefix)))
    return `"${key}" is not a valid label key`;
  return undefined;
}

export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || (value !== '' && !LABEL_NAME.test(value)))
    return `${JSON.stringify(value)} is not a valid label value`;
  return undefined;
}

/** An absolute https URL without credentials, query or fragment (an OIDC issuer, for instance). */
export function httpsUrlProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `${JSON.stringify(value)} is not a URL`;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return `"${value}" is not a URL`;
  }
  if (u.protocol !== 'https:') return `"${value}" is not an https URL`;
  if (u.username || u.password || u.search || u.hash || /\s/.test(value))
    return `"${value}" must not carry credentials, a query or a fragment`;
  return undefined;
}

/** Records a problem of a spec field, with its fix. */
export type Fail = (field: string, problem: string, fix: string) => void;
/** Records `problem` of a spec field when there is one. */
export type Check = (field: string, problem: string | undefined, fix: string) => void;

/** Problems of a certificate's DNS-name list: non-empty, each a hostname or single-label wildcard. */
export function dnsNamesProblem(names: unknown): string | undefined {
  if (!Array.isArray(names) || names.length === 0)
    return `${JSON.stringify(names)} is not a non-empty list of DNS names`;
  for (const n of names) {
    const p = hostnameProblem(n);
    if (p) return p;
  }
  return undefined;
}
