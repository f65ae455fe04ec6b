// ESLint rule `aks-gitops/module-boundaries`: which project may import which, from the Nx project
// tags (project.json `tags`, or package.json `nx.tags`). An import is an ES import/export, a
// `require('...')` or an `import('...')` of `@aks-gitops/<project>` or of a relative path into
// another project's folder. The constraints live in eslint.config.mjs. (A local rule: the Nx one,
// @nx/eslint-plugin's enforce-module-boundaries, brings @nx/devkit and @nx/js for one check.)
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const PROJECT_FOLDERS = ['apps', 'libs', 'tools'];

/** Every project of the workspace: its folder (relative, with /), its name and its tags. */
function readProjects(root) {
  const projects = [];
  for (const top of PROJECT_FOLDERS) {
    const base = join(root, top);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(base, entry.name);
      const read = (f) => (existsSync(join(dir, f)) ? JSON.parse(readFileSync(join(dir, f), 'utf8')) : undefined);
      const project = read('project.json');
      const pkg = read('package.json');
      if (!project && !pkg) continue;
      projects.push({
        folder: `${top}/${entry.name}`,
        name: project?.name ?? pkg?.nx?.name ?? entry.name,
        packageName: pkg?.name,
        tags: project?.tags ?? pkg?.nx?.tags ?? [],
      });
    }
  }
  return projects;
}

const cache = new Map();
function projectsOf(root) {
  if (!cache.has(root)) cache.set(root, readProjects(root));
  return cache.get(root);
}

const toPosix = (p) => p.split(sep).join('/');
const projectOfFile = (projects, rel) => projects.find((p) => rel === p.folder || rel.startsWith(`${p.folder}/`));

export const moduleBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'imports between Nx projects follow the constraints on their tags' },
    schema: [
      {
        type: 'object',
        properties: {
          constraints: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                sourceTag: { type: 'string' },
                /** Only files under these folders of the project (e.g. "src"); default: every file. */
                under: { type: 'array', items: { type: 'string' } },
                /** The imported project must carry one of these tags. */
                onlyDependOnTags: { type: 'array', items: { type: 'string' } },
                /** The imported project must carry none of these tags. */
                notDependOnTags: { type: 'array', items: { type: 'string' } },
              },
              required: ['sourceTag'],
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      forbidden: '{{source}} ({{sourceTags}}) may not import {{target}} ({{targetTags}}): {{why}}',
    },
  },
  create(context) {
    const root = context.cwd;
    const file = toPosix(relative(root, context.filename));
    const projects = projectsOf(root);
    const source = projectOfFile(projects, file);
    if (!source) return {};
    const inProject = file.slice(source.folder.length + 1);
    const constraints = (context.options[0]?.constraints ?? []).filter(
      (c) =>
        source.tags.includes(c.sourceTag) &&
        (!c.under || c.under.some((u) => inProject === u || inProject.startsWith(`${u}/`))),
    );
    if (constraints.length === 0) return {};

    function targetOf(specifier) {
      if (specifier.startsWith('.')) {
        const rel = toPosix(relative(root, resolve(dirname(context.filename), specifier)));
        return projectOfFile(projects, rel);
      }
      const packageName = specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/');
      return projects.find((p) => p.packageName === packageName);
    }

    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      const target = targetOf(specifier);
      if (!target || target === source) return;
      for (const c of constraints) {
        const why =
          c.onlyDependOnTags && !target.tags.some((t) => c.onlyDependOnTags.includes(t))
            ? `${c.sourceTag}${c.under ? ` (${c.under.join(', ')})` : ''} may only import projects tagged ${c.onlyDependOnTags.join(' or ')}`
            : c.notDependOnTags && target.tags.some((t) => c.notDependOnTags.includes(t))
              ? `${c.sourceTag} may not import projects tagged ${c.notDependOnTags.join(' or ')}`
              : undefined;
        if (why) {
          context.report({
            node,
            messageId: 'forbidden',
            data: {
              source: source.name,
              sourceTags: source.tags.join(', '),
              target: target.name,
              targetTags: target.tags.join(', '),
              why,
            },
          });
          return;
        }
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) =>
        node.callee.type === 'Identifier' &&
        node.callee.name === 'require' &&
        node.arguments[0]?.type === 'Literal' &&
        check(node, node.arguments[0].value),
    };
  },
};

export default { rules: { 'module-boundaries': moduleBoundaries } };
