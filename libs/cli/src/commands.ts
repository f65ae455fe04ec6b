import * as actions from './actions';
import type { CommandSpec, OptionSpec } from './command-spec';
import { newApp } from './new-app';

/** Options every command takes (besides its own). */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  'clusters-module': {
    type: 'string',
    value: '<file.ts>',
    help: 'use another fleet than libs/cluster-model: a TypeScript file that exports `clusters`',
  },
  debug: { type: 'boolean', help: 'on bad input, also print the stack of its cause' },
  help: { type: 'boolean', short: 'h', help: 'print the usage of the command' },
};

const cluster = (help: string): OptionSpec => ({ type: 'string', multiple: true, value: '<name>', help });
const endpoint: OptionSpec = {
  type: 'string',
  value: '<url>',
  help: 'ARM endpoint (default https://management.azure.com); an http://127.0.0.1:<port> endpoint gets a static test token instead of DefaultAzureCredential',
};
const oneOf = (a: string, b: string) => (values: Readonly<Record<string, unknown>>) =>
  values[a] && values[b] ? `--${a} and --${b} exclude each other` : undefined;

/**
 * Every command of `aks-gitops`, in the order `aks-gitops help` lists them. `npm run <name> -- <options>`
 * runs the same (package.json); `edge` is a group: `aks-gitops edge plan|apply|prune`.
 */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'synth',
    summary: 'render every app into clusters/<cluster>/<app>/ and flux/<cluster>/',
    description:
      "Checks every app on every cluster and the policy gate first; on any error nothing is written. With --app, apps whose sources are unchanged since the last synth are checked from their cached claims (.synth-cache/) instead of being loaded again. --changed renders only the apps whose sources changed since their folders were last written on this machine, with the same result as a full synth: what `nx affected -t synth` runs. Without that record (a fresh clone, a CI runner) it asks git which apps changed since --base (default $NX_BASE, as CI sets it for nx affected), trusting that commit's committed output as CI's drift check proves it on main; without a base it renders everything. --app and --changed keep platform/, azure/ and flux/ as the last synth wrote them when no app declared in the run changed its claims (ports, calls, hosts, owners). While another synth writes, waits for it.",
    options: {
      cluster: cluster('only this cluster (repeatable)'),
      app: { type: 'string', multiple: true, value: '<name>[,<name>...]', help: 'only these apps (repeatable)' },
      changed: { type: 'boolean', help: 'only the apps whose sources changed since they were last written' },
      base: {
        type: 'string',
        value: '<ref>',
        help: 'with --changed and no .synth-cache record: a commit of main whose committed output git vouches for (default: $NX_BASE)',
      },
      'no-cache': { type: 'boolean', help: 'load and compile every app from source; use no cache' },
      'no-wait': { type: 'boolean', help: 'fail at once while another synth writes instead of waiting' },
    },
    check: (v) =>
      v.changed && (v.app || v['no-cache'] || v.cluster)
        ? '--changed decides which apps to render itself; it takes no --app, --cluster or --no-cache'
        : v.base !== undefined && !v.changed
          ? '--base only says where --changed starts from; add --changed'
          : undefined,
    run: actions.synth,
  },
  {
    name: 'drift',
    summary: 'fail if clusters/, flux/ or .github/CODEOWNERS differ from what the code produces',
    description:
      'Synthesizes everything (or these clusters) in memory, from source (no cache), and fails if clusters/, flux/ or .github/CODEOWNERS differ from it or clusters/ or flux/ hold a file synth did not write. One CI job per cluster finds together exactly what one run finds.',
    options: { cluster: cluster('only this cluster (repeatable)') },
    run: actions.drift,
  },
  {
    name: 'policy',
    summary: 'run the zero-trust policy gate over the committed clusters/ and flux/',
    description: 'Exit 0 when the gate passes, 1 on unwaived error findings.',
    options: {
      format: {
        type: 'string',
        value: '<name>',
        help: 'table (default), json, sarif (SARIF 2.1.0 for code scanning), junit (JUnit XML for test tabs) or github (workflow-command annotations on the generated file and line)',
      },
      json: { type: 'boolean', help: 'the same as --format json' },
      cluster: { type: 'string', value: '<name>', help: 'only evaluate this cluster' },
      waivers: {
        type: 'boolean',
        help: 'list every waiver per cluster and app (with --json: as JSON) instead of the report',
      },
    },
    check: oneOf('json', 'format'),
    run: actions.policy,
  },
  {
    name: 'edge plan',
    summary: 'print what edge apply would change in Azure (read-only)',
    description:
      "Reads each cluster's firewall DNAT rule collection group from Azure and prints what apply would change; a group that does not exist yet is shown as created. Then, per cluster, its other edge resources (Front Door: clusters/<name>/azure/front-door.json) what apply would change in those, and the Front Door profiles left tagged for the clusters that prune would delete (every format).",
    options: {
      cluster: cluster('only this cluster (repeatable; default: every cluster)'),
      json: { type: 'boolean', help: 'machine-readable output (DNAT groups, then Front Door)' },
      markdown: {
        type: 'boolean',
        help: 'a size-bounded summary for a pull-request comment (DNAT groups, then Front Door)',
      },
      offline: {
        type: 'boolean',
        help: 'print the committed files only (DNAT rules, Front Door), without calling Azure',
      },
      endpoint,
    },
    check: (v) =>
      oneOf('json', 'markdown')(v) ??
      (v.offline && (v.json || v.markdown || v.endpoint)
        ? '--offline prints the committed table only; it takes no --json, --markdown or --endpoint'
        : undefined),
    run: actions.edge('plan'),
  },
  {
    name: 'edge apply',
    summary: 'write the firewall DNAT groups and Front Door that differ from the committed files',
    description:
      'PUTs each group that differs, with If-Match on the etag read (If-None-Match: * when creating); clusters sharing a Firewall Policy are written one after another; a group changed in Azure after it was read (HTTP 412) stops that cluster. Then, for each cluster whose group succeeded, applies its other edge resources (create, update, and delete what aks-gitops owns).',
    options: { cluster: cluster('only this cluster (repeatable; default: every cluster)'), endpoint },
    run: actions.edge('apply'),
  },
  {
    name: 'edge prune',
    summary: 'list (--yes: delete) DNAT groups and Front Door profiles no cluster declares any more',
    description:
      "Lists the rule collection groups aks-gitops created for clusters no longer in the fleet (name aks-gitops-<cluster>-dnat AND the aks-gitops marker on every rule); and the Front Door profiles tagged aks-gitops-cluster=<cluster> that no cluster declares any more (frontDoor removed or moved, cluster gone) and that hold only gitops-* children; --yes deletes them (groups with If-Match; a profile after reading its tag and children again). The fleet's Firewall Policies and every cluster's subscription are always scanned.",
    options: {
      policy: {
        type: 'string',
        multiple: true,
        value: '<id>',
        help: 'also scan this Firewall Policy (repeatable)',
      },
      subscription: {
        type: 'string',
        multiple: true,
        value: '<id>',
        help: "also scan this subscription's Front Door profiles (repeatable; every cluster's subscription is always scanned)",
      },
      yes: { type: 'boolean', help: 'delete the orphaned groups and profiles listed' },
      endpoint,
    },
    run: actions.edge('prune'),
  },
  {
    name: 'diff',
    summary: 'what a change does to clusters/, flux/ and the Azure edge, between two git refs',
    description:
      'Compares the committed clusters/ and flux/ of two git refs (read from git, no checkout): objects added, removed and changed per cluster and app (one line per changed field), Azure Firewall DNAT rules, and risk flags first.',
    options: {
      base: { type: 'string', value: '<ref>', help: 'the ref to compare with (required)' },
      head: { type: 'string', value: '<ref>', help: 'default HEAD' },
      markdown: {
        type: 'boolean',
        help: "a pull-request comment (under GitHub's 65,536-character limit, one <details> per app)",
      },
      json: { type: 'boolean', help: 'everything, for machines' },
    },
    check: (v) => (v.base ? oneOf('markdown', 'json')(v) : '--base <ref> is required'),
    run: actions.diff,
  },
  {
    name: 'new-app',
    positionals: ['<name>'],
    summary: 'scaffold apps/<name>: an Nx project with a starter L7Api (or L4Service) and its test',
    description:
      '<name> is a lowercase DNS label of at most 40 characters: the app name, its namespace and its folder under clusters/<cluster>/. Then runs npm install so the workspace link and package-lock.json include it; commit both.',
    options: {
      l4: { type: 'boolean', help: 'an L4Service (TCP/UDP) instead of an L7Api, at the first free internal LB offset' },
      'no-install': { type: 'boolean', help: 'do not run npm install' },
    },
    run: newApp,
  },
  {
    name: 'promote',
    summary: 'record the image an app runs on a non-prod cluster in apps/<name>/release.json, which prod runs',
    description:
      'Reads the image from the committed manifests of the non-prod cluster and pins it in apps/<name>/release.json, which prod clusters run; then run synth and commit both.',
    options: {
      app: { type: 'string', value: '<name>', help: 'the app to promote (required)' },
      from: { type: 'string', value: '<cluster>', help: 'the non-prod cluster it runs on' },
    },
    check: (v) => (v.app ? undefined : 'promote needs --app <name>'),
    run: actions.promoteApp,
  },
];

/** The command groups (`edge`): a word that needs a second one. */
export const GROUPS: readonly string[] = [
  ...new Set(COMMANDS.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0])),
];
