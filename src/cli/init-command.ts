import { initSpec } from '../project/init.js';
import { type CommandContext, UsageError } from './context.js';
import { commandName } from './invocation.js';
import { EXIT } from './output.js';
import { openProject, specFolder } from './settings.js';

/** `protoflow init [NAME]`: a commented starter spec in the project's spec folder. */
export async function runInit(context: CommandContext): Promise<number> {
  const { inputs, io } = context;
  if (inputs.length > 1) throw new UsageError(`init takes one name, e.g. ${commandName()} init login`);
  const opened = await openProject({ ...context, inputs: [] });
  if (!opened) return EXIT.specErrors;
  const made = await initSpec(inputs[0] ?? 'flow', io.cwd, specFolder(opened.project.settings.specRoots));
  if ('problem' in made) {
    io.stderr.write(`protoflow: ${made.problem}\n`);
    return made.usage ? EXIT.usage : EXIT.specErrors;
  }
  const self = commandName();
  io.stdout.write(`wrote ${made.file}: check it with "${self} validate ${made.file}", draw it with "${self} build ${made.file}"\n`);
  return EXIT.ok;
}
