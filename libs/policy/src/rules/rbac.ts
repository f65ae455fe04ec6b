import { apiGroupOf, APP_ALLOWED_KINDS, type ManifestDocument } from '@aks-gitops/cluster-model';
import { appOfFile } from '../generated-layout';
import type { RuleContext } from '../rule-context';
import { asRecord, asRecords, asString, asStringList, show } from '../unknown-value';

/*
 * RBAC is where one object can hand out the whole cluster: a wildcard, a binding to cluster-admin,
 * a subject that means "everyone", or the verbs that bypass RBAC's own escalation checks. The
 * platform's Flux RBAC (ClusterRole aks-gitops-app-applier, bound per app namespace) names its
 * resources one by one and passes; any of these shortcuts fails, wherever it comes from.
 */

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const PRIVILEGED_ROLES: ReadonlySet<string> = new Set(['cluster-admin', 'admin', 'edit']);
const BROAD_GROUPS: ReadonlySet<string> = new Set([
  'system:anonymous',
  'system:unauthenticated',
  'system:authenticated',
  'system:serviceaccounts',
  'system:masters',
]);
const BROAD_USERS: ReadonlySet<string> = new Set(['system:anonymous']);
const ESCALATION_VERBS: ReadonlySet<string> = new Set(['escalate', 'bind', 'impersonate']);
/** `resource` names an app may grant on: exactly the resources of its allowed kinds, per group. */
const APP_RESOURCES: ReadonlySet<string> = new Set(APP_ALLOWED_KINDS.map((kind) => `${kind.group}/${kind.resource}`));

function isRole(document: ManifestDocument): boolean {
  return (
    apiGroupOf(document.object.apiVersion) === RBAC_GROUP &&
    (document.object.kind === 'Role' || document.object.kind === 'ClusterRole')
  );
}

function isBinding(document: ManifestDocument): boolean {
  return (
    apiGroupOf(document.object.apiVersion) === RBAC_GROUP &&
    (document.object.kind === 'RoleBinding' || document.object.kind === 'ClusterRoleBinding')
  );
}

export function checkRbac(context: RuleContext): void {
  for (const document of context.cluster.documents) {
    if (isRole(document)) checkRole(document, context);
    else if (isBinding(document)) checkBinding(document, context);
  }
}

function checkRole(document: ManifestDocument, { report }: RuleContext): void {
  const { object } = document;
  if (object.kind === 'ClusterRole' && object.aggregationRule !== undefined) {
    report(
      'rbac-no-wildcards',
      document,
      'aggregationRule makes this role grant whatever any matching ClusterRole grants, now or later',
      'List the rules explicitly instead of aggregating.',
    );
  }
  const app = appOfFile(document.file);
  asRecords(object.rules).forEach((rule, index) => {
    const where = `rules[${index}]`;
    for (const field of ['verbs', 'apiGroups', 'resources', 'nonResourceURLs'] as const) {
      const values = asStringList(rule[field]);
      if (values.some((value) => value === '*' || value.includes('*'))) {
        report(
          'rbac-no-wildcards',
          document,
          `${where}.${field} is ${show(rule[field])}: a wildcard also grants everything added to the cluster later`,
          `Name the ${field} one by one.`,
        );
      }
    }
    const escalation = asStringList(rule.verbs).filter((verb) => ESCALATION_VERBS.has(verb.toLowerCase()));
    if (escalation.length > 0) {
      report(
        'rbac-no-escalation-verbs',
        document,
        `${where}.verbs grants ${escalation.join(', ')}, which lets the holder grant itself or act as more than it holds`,
        'Remove escalate, bind and impersonate; grant the needed permissions directly.',
      );
    }
    if (app !== undefined && object.kind === 'Role') checkAppRule(document, rule, where, report);
  });
}

/** An app's Role may grant only what the app could already create in its own namespace. */
function checkAppRule(
  document: ManifestDocument,
  rule: Record<string, unknown>,
  where: string,
  report: RuleContext['report'],
): void {
  const fix =
    'Grant only the resources of APP_ALLOWED_KINDS (libs/cluster-model/src/tenancy.ts), by name; no secrets and no subresources such as pods/exec.';
  if (asStringList(rule.nonResourceURLs).length > 0)
    report(
      'rbac-app-role-scope',
      document,
      `${where}.nonResourceURLs is set; an app's Role grants only namespaced resources`,
      fix,
    );
  const resources = asStringList(rule.resources);
  const beyond: string[] = [];
  for (const group of asStringList(rule.apiGroups)) {
    for (const resource of resources) {
      if (resource === '*' || group === '*') continue; // reported as a wildcard
      if (!APP_RESOURCES.has(`${group}/${resource}`)) beyond.push(group === '' ? resource : `${group}/${resource}`);
    }
  }
  if (beyond.length > 0)
    report(
      'rbac-app-role-scope',
      document,
      `${where} grants ${beyond.join(', ')}, beyond what the app may create itself`,
      fix,
    );
}

function checkBinding(document: ManifestDocument, { report }: RuleContext): void {
  const { object } = document;
  const roleRef = asRecord(object.roleRef);
  const roleKind = asString(roleRef?.kind);
  const roleName = asString(roleRef?.name);
  if (roleKind === 'ClusterRole' && roleName !== undefined && PRIVILEGED_ROLES.has(roleName)) {
    report(
      'rbac-no-privileged-binding',
      document,
      `roleRef is ClusterRole ${roleName}, which grants ${roleName === 'cluster-admin' ? 'everything' : 'secrets, RBAC or workloads of every kind'}`,
      'Bind a Role that names exactly the resources and verbs needed.',
    );
  }
  asRecords(object.subjects).forEach((subject, index) => {
    const kind = asString(subject.kind);
    const name = asString(subject.name) ?? '';
    const broad =
      (kind === 'Group' && (BROAD_GROUPS.has(name) || name.startsWith('system:serviceaccounts:'))) ||
      (kind === 'User' && BROAD_USERS.has(name));
    if (broad) {
      report(
        'rbac-no-broad-subjects',
        document,
        `subjects[${index}] is ${kind} ${name}, which is everyone (or every service account) rather than one identity`,
        'Bind a named ServiceAccount (or an Entra ID group) instead.',
      );
    }
  });
  const app = appOfFile(document.file);
  if (app !== undefined && object.kind === 'RoleBinding') {
    const ownRole = roleKind === 'Role' && roleName !== undefined;
    if (!ownRole) {
      report(
        'rbac-app-role-scope',
        document,
        `roleRef is ${show(roleRef)}; an app's RoleBinding refers to a Role of its own, whose grants the gate can check`,
        `Bind a Role defined in ${app}'s folder.`,
      );
    }
  }
}
