/**
 * Who reviews what (the generated `.github/CODEOWNERS`). The platform team owns everything shared:
 * libraries, tools, pipelines, the Flux wiring, each cluster's baseline and Azure edge files. Each
 * app's own owners come from `defineApp({ owners })` and own `apps/<app>/` and every folder synth
 * generates for it (`clusters/<cluster>/<app>/`).
 */
export const PLATFORM_OWNERS: readonly string[] = ['@contoso/platform-team'];

// GitHub user names: alphanumerics and single hyphens; team slugs after the org may hold . _ -.
const USER = /^@[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const TEAM = /^@[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Why `owner` cannot be a CODEOWNERS owner, or undefined when it can (`@user`, `@org/team`, or an email). */
export function ownerProblem(owner: unknown): string | undefined {
  if (typeof owner !== 'string') return `${JSON.stringify(owner)} is not a string`;
  if (USER.test(owner) || TEAM.test(owner) || EMAIL.test(owner)) return undefined;
  return `"${owner}" is neither a GitHub user (@name), a team (@org/team) nor an email address`;
}
