import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from '../shared/suggest.js';
import { COMMANDS } from './commands.js';
import { type CommandContext, type OptionValues, UsageError } from './context.js';
import { commandHelp, generalHelp } from './help.js';
import { commandName, ownManifest } from './invocation.js';
import { OPTIONS, type OptionName } from './options.js';
import { EXIT, type Io } from './output.js';
import { readConfig } from './settings.js';

/**
 * The CLI: `argv` without node and the script; `io` the streams to print on and the folder the
 * config file is read from. Spec and output paths are resolved against the process's working folder.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    return await run(argv, io);
  } catch (cause) {
    if (cause instanceof UsageError || (cause instanceof TypeError && 'code' in cause && String(cause.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`protoflow: ${cause.message}\nRun "${commandName()} --help" for usage.\n`);
      return EXIT.usage;
    }
    throw cause;
  }
}

const PARSE_OPTIONS: ParseArgsConfig['options'] = OPTIONS;

async function run(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseArgs({ args: [...argv], allowPositionals: true, options: PARSE_OPTIONS });
  const values = parsed.values as OptionValues;
  const [name, ...inputs] = parsed.positionals;
  if (values.version) {
    io.stdout.write(`${ownManifest().version}\n`);
    return EXIT.ok;
  }
  if (name === undefined) {
    (values.help ? io.stdout : io.stderr).write(generalHelp(COMMANDS));
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const hint = didYouMean(
      name,
      COMMANDS.map((c) => c.name),
    );
    throw new UsageError(`unknown command "${name}"${hint ? `; ${hint}` : ''}`);
  }
  if (values.help) {
    io.stdout.write(commandHelp(command));
    return EXIT.ok;
  }
  const refused = (Object.keys(values) as OptionName[]).find((option) => option !== 'help' && !command.options.includes(option));
  if (refused !== undefined) {
    const why = command.refuses ? `: ${command.refuses}` : '';
    throw new UsageError(`--${refused} is not an option of ${command.name}${why} (see "${commandName()} ${command.name} --help")`);
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be "text" or "json", not "${format}"`);
  const output = { format, io, noColor: values['no-color'] ?? false } as const;
  let config: ReturnType<CommandContext['config']> | undefined;
  return command.run({ inputs, values, io, output, config: () => (config ??= readConfig({ io, output })) });
}
