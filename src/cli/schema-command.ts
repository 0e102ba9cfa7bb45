import { specJsonSchema } from '../compile/json-schema.js';
import { type CommandContext, UsageError } from './context.js';
import { EXIT } from './output.js';

/** `protoflow schema`: the JSON Schema every spec follows, for editors. It reads no config. */
export async function runSchema(context: CommandContext): Promise<number> {
  if (context.inputs.length > 0) throw new UsageError('schema reads no spec: it prints the JSON Schema every spec follows');
  context.io.stdout.write(specJsonSchema());
  return EXIT.ok;
}
