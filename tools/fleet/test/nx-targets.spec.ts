/**
 * Every project under apps/ and libs/ has the same lint, typecheck and test targets, as Nx resolves
 * them in this repository (`nx graph --file`): the project lists the targets as empty stubs (an
 * app in its package.json "nx" field, a library in its project.json) and nx.json's targetDefaults
 * give their commands with Nx's {projectRoot} and {projectName} tokens, their inputs and caching.
 * Whatever apps the repository holds: the expectations are built from the folders found.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../../..');

interface Target {
  executor?: string;
  options?: { command?: string };
  outputs?: string[];
  cache?: boolean;
}
interface ProjectNode {
  name: string;
  data: { root: string; targets?: Record<string, Target> };
}

let nodes: ProjectNode[];
beforeAll(() => {
  // Its own workspace-data folder, so it never races `npm test`'s own Nx over this checkout's .nx/.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-gitops-nx-targets-'));
  try {
    const r = spawnSync(path.join(REPO, 'node_modules/.bin/nx'), ['graph', `--file=${path.join(tmp, 'graph.json')}`], {
      cwd: REPO,
      encoding: 'utf8',
      env: {
        ...process.env,
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
        NX_TUI: 'false',
        NX_WORKSPACE_DATA_DIRECTORY: path.join(tmp, 'workspace-data'),
      },
    });
    if (r.status !== 0) throw new Error(`nx graph: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
    const graph = JSON.parse(fs.readFileSync(path.join(tmp, 'graph.json'), 'utf8')) as {
      graph: { nodes: Record<string, ProjectNode> };
    };
    nodes = Object.values(graph.graph.nodes);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}, 60_000);

const projectFolders = (): string[] =>
  ['apps', 'libs'].flatMap((top) =>
    fs
      .readdirSync(path.join(REPO, top), { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(REPO, top, e.name, 'package.json')))
      .map((e) => `${top}/${e.name}`),
  );

describe('the lint, typecheck and test targets of every app and library', () => {
  it('every folder under apps/ and libs/ is an Nx project with the three targets and the shared commands', () => {
    const folders = projectFolders();
    expect(folders.some((f) => f.startsWith('apps/'))).toBe(true);
    expect(folders.some((f) => f.startsWith('libs/'))).toBe(true);
    for (const root of folders) {
      const node = nodes.find((n) => n.data.root === root);
      expect([root, node !== undefined]).toEqual([root, true]);
      const { name } = node as ProjectNode;
      const targets = node?.data.targets ?? {};
      const resolved = Object.fromEntries(
        ['lint', 'typecheck', 'test'].map((t) => [
          t,
          {
            executor: targets[t]?.executor,
            command: targets[t]?.options?.command,
            cache: targets[t]?.cache,
            // Nx resolves the tokens of outputs when it runs the task.
            outputs: targets[t]?.outputs?.map((o) => o.replaceAll('{projectName}', name)),
          },
        ]),
      );
      expect([root, resolved]).toEqual([
        root,
        {
          lint: {
            executor: 'nx:run-commands',
            command: `eslint --max-warnings=0 ${root}`,
            cache: true,
            outputs: undefined,
          },
          typecheck: {
            executor: 'nx:run-commands',
            command: `node tools/nx/typecheck.cjs ${root}`,
            cache: true,
            outputs: undefined,
          },
          test: {
            executor: 'nx:run-commands',
            command: `jest -c jest.preset.js --rootDir ${root} --json --outputFile=dist/test-results/${name}.json`,
            cache: true,
            outputs: [`{workspaceRoot}/dist/test-results/${name}.json`],
          },
        },
      ]);
    }
  });

  it('the fleet project has exactly the targets of its project.json (targetDefaults add none)', () => {
    const own = JSON.parse(fs.readFileSync(path.join(REPO, 'tools/fleet/project.json'), 'utf8')) as {
      name: string;
      targets: Record<string, unknown>;
    };
    const fleet = nodes.find((n) => n.data.root === 'tools/fleet');
    expect(Object.keys(fleet?.data.targets ?? {}).sort()).toEqual(Object.keys(own.targets).sort());
  });

  it('nx.json names no plugin that resolves inside the workspace (Nx reads every project once more to load one)', () => {
    // As nx's resolveNxPlugin decides (src/project-graph/plugins/resolve-plugin.js): a plugin that
    // does not resolve, or resolves outside node_modules/ within the workspace, costs a pass over
    // every project's configuration before the graph (about 0.1 s per nx command at 1,000 apps).
    const nxJson = JSON.parse(fs.readFileSync(path.join(REPO, 'nx.json'), 'utf8')) as {
      plugins?: Array<string | { plugin: string }>;
    };
    const local = (nxJson.plugins ?? [])
      .map((p) => (typeof p === 'string' ? p : p.plugin))
      .filter((p) => {
        let file: string;
        try {
          file = path.relative(REPO, require.resolve(p, { paths: [REPO] }));
        } catch {
          return true;
        }
        return !file.startsWith('..') && !file.split(path.sep).includes('node_modules');
      });
    expect(local).toEqual([]);
  });
});
