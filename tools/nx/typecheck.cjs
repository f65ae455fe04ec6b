#!/usr/bin/env node
// `node tools/nx/typecheck.cjs <project folder>`: the Nx typecheck target of every project
// (nx.json targetDefaults). Type-checks the project's src/ and test/ with the workspace's
// compiler options (tsconfig.base.json), so no project needs a tsconfig.json of its own.
const path = require('node:path');
const ts = require('typescript');

const workspace = path.resolve(__dirname, '..', '..');
const project = process.argv[2];
if (!project) {
  process.stderr.write('usage: node tools/nx/typecheck.cjs <project folder>\n');
  process.exit(2);
}
const baseFile = path.join(workspace, 'tsconfig.base.json');
const base = ts.readConfigFile(baseFile, ts.sys.readFile);
const parsed = ts.parseJsonConfigFileContent(
  {
    ...base.config,
    compilerOptions: { ...base.config.compilerOptions, noEmit: true },
    include: [`${project}/src/**/*.ts`, `${project}/test/**/*.ts`],
  },
  ts.sys,
  workspace,
  undefined,
  baseFile,
);
const program = ts.createProgram(parsed.fileNames, parsed.options);
const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
if (diagnostics.length > 0) {
  process.stderr.write(
    ts.formatDiagnosticsWithColorAndContext(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => workspace,
      getNewLine: () => '\n',
    }),
  );
  process.exit(1);
}
