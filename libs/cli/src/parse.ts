import { parseArgs } from 'node:util';
import { type CommandSpec, type OptionSpec, type OptionValues, UsageError } from './command-spec';
import { COMMANDS, GLOBAL_OPTIONS, GROUPS } from './commands';

export const EXIT_CODES =
  'exit codes: 0 ok; 1 bad input, policy gate or drift; 2 command-line usage; 3 a bug in aks-gitops (please report it)';

/** The command line, read: a command and its arguments, or a request for help (on no command: all of them). */
export type Resolved =
  | { readonly kind: 'run'; readonly command: CommandSpec; readonly args: readonly string[] }
  | { readonly kind: 'help'; readonly text: string };

/** Finds the command `argv` names (one word, or two for a group such as `edge plan`). */
export function resolveCommand(argv: readonly string[]): Resolved {
  const [first, ...rest] = argv;
  if (first === 'help' || first === '--help' || first === '-h') return { kind: 'help', text: helpFor(rest) };
  if (first === undefined) throw new UsageError('missing command');
  if (GROUPS.includes(first)) {
    const [second, ...args] = rest;
    if (second === 'help' || second === '--help' || second === '-h')
      return { kind: 'help', text: helpFor([first, ...args]) };
    const command = COMMANDS.find((c) => c.name === `${first} ${second}`);
    if (!command)
      throw new UsageError(second ? `unknown command "${first} ${second}"` : `missing command after ${first}`);
    return { kind: 'run', command, args };
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) throw new UsageError(`unknown command "${first}"`);
  return { kind: 'run', command, args: rest };
}

/** `--help` or `-h` anywhere among a command's arguments asks for its usage, whatever else is there. */
export const asksForHelp = (args: readonly string[]): boolean => args.includes('--help') || args.includes('-h');

/** Parses a command's arguments by its row of the table, strictly: anything else is a UsageError. */
export function parseCommandLine(
  command: CommandSpec,
  args: readonly string[],
): { values: OptionValues; positionals: string[] } {
  const options = { ...command.options, ...GLOBAL_OPTIONS };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: Object.fromEntries(
        Object.entries(options).map(([name, o]) => [
          name,
          { type: o.type, multiple: o.multiple === true, ...(o.short ? { short: o.short } : {}) },
        ]),
      ),
      strict: true,
      allowPositionals: (command.positionals ?? []).length > 0,
      tokens: true,
    });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_'))
      throw new UsageError((e as Error).message, command);
    throw e;
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    if (token.value === '') throw new UsageError(`--${token.name} needs a value`, command);
    if (seen.has(token.name) && !options[token.name].multiple)
      throw new UsageError(`--${token.name} given twice`, command);
    seen.add(token.name);
  }
  const expected = command.positionals ?? [];
  if (parsed.positionals.length !== expected.length)
    throw new UsageError(
      parsed.positionals.length < expected.length
        ? `missing ${expected.slice(parsed.positionals.length).join(' ')}`
        : `unexpected argument "${parsed.positionals[expected.length]}"`,
      command,
    );
  const values = parsed.values as OptionValues;
  const problem = command.check?.(values);
  if (problem) throw new UsageError(problem, command);
  return { values, positionals: parsed.positionals };
}

/** `aks-gitops help [<command>]`: every command, or one command's usage. */
export function helpFor(topic: readonly string[]): string {
  const name = topic.join(' ');
  if (name === '') return overview();
  const command = COMMANDS.find((c) => c.name === name);
  if (command) return usage(command);
  const group = COMMANDS.filter((c) => c.name.startsWith(`${name} `));
  if (group.length > 0) return group.map(usage).join('\n');
  throw new UsageError(`unknown command "${name}"`);
}

/** The usage of one command: synopsis, what it does, its options, the options every command takes. */
export function usage(command: CommandSpec): string {
  const synopsis = ['aks-gitops', command.name, ...(command.positionals ?? []), '[options]'].join(' ');
  const npm = command.name.includes(' ')
    ? `npm run ${command.name.split(' ')[0]} -- ${command.name.split(' ').slice(1).join(' ')}`
    : `npm run ${command.name} --`;
  return [
    `usage: ${synopsis}`,
    `   or: ${npm} ${[...(command.positionals ?? []), '[options]'].join(' ')}`,
    '',
    ...wrap(command.description, 2),
    '',
    'options:',
    ...optionLines(command.options),
    '',
    'every command:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    EXIT_CODES,
    '',
  ].join('\n');
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'usage: aks-gitops <command> [options]   (npm run <command> -- [options] runs the same)',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    `  ${'help'.padEnd(width)}aks-gitops help <command> (or <command> --help): its options`,
    '',
    'Every command takes --clusters-module <file.ts>, --debug and --help; AKS_GITOPS_ROOT (default: the',
    'current directory) is the repository root.',
    EXIT_CODES,
    '',
  ].join('\n');
}

const OPTION_COLUMN = 32;

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  return Object.entries(options).flatMap(([name, o]) => {
    const flag = `  ${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` ${o.value}` : ''}`;
    const [first, ...more] = wrap(o.help, OPTION_COLUMN);
    return flag.length < OPTION_COLUMN
      ? [`${flag.padEnd(OPTION_COLUMN)}${first.trimStart()}`, ...more]
      : [flag, first, ...more];
  });
}

/** Words into lines of at most 100 characters, each indented by `indent`. */
function wrap(text: string, indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && indent + line.length + 1 + word.length > 100) {
      lines.push(' '.repeat(indent) + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(' '.repeat(indent) + line);
  return lines;
}
