/**
 * A local Nx plugin: every project under apps/ and libs/ (a folder with a package.json) gets the
 * same lint, typecheck and test targets, so a project's own files say only what differs (an app is
 * package.json + src/ + test/; its name and tags are in package.json's "nx" field). Caching and
 * inputs of these targets are nx.json's targetDefaults.
 */
const { readFileSync } = require('node:fs');
const { basename, dirname, join } = require('node:path');

function targetsOf(root, name) {
  return {
    lint: { command: `eslint --max-warnings=0 ${root}` },
    typecheck: { command: `node tools/nx/typecheck.cjs ${root}` },
    test: {
      // The shared Jest settings with the project as root; results per project for npm test's count.
      command: `jest -c jest.preset.js --rootDir ${root} --json --outputFile=dist/test-results/${name}.json`,
      outputs: [`{workspaceRoot}/dist/test-results/${name}.json`],
    },
  };
}

module.exports.createNodesV2 = [
  '{apps,libs}/*/package.json',
  async (files, _options, context) =>
    files.map((file) => {
      const root = dirname(file);
      const pkg = JSON.parse(readFileSync(join(context.workspaceRoot, file), 'utf8'));
      let project = {};
      try {
        project = JSON.parse(readFileSync(join(context.workspaceRoot, root, 'project.json'), 'utf8'));
      } catch {
        // no project.json: package.json says it all
      }
      const name = project.name ?? pkg.nx?.name ?? basename(root);
      return [file, { projects: { [root]: { targets: targetsOf(root, name) } } }];
    }),
];
