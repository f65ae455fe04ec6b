export { main } from './main';
export { COMMANDS, GLOBAL_OPTIONS } from './commands';
export { type CommandSpec, type Invocation, type OptionSpec, UsageError } from './command-spec';
export { helpFor, parseCommandLine, resolveCommand, usage } from './parse';
