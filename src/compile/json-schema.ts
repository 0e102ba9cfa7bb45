import { z } from 'zod';
import { SpecSchema } from './schema.js';

/** Where the committed schema lives, relative to the repository: specs name it in their first line. */
export const SCHEMA_FILE = 'schema/protoflow.schema.json';

/**
 * The JSON Schema of a spec, generated from the zod schema the validator uses, so that editors
 * (through yaml-language-server) autocomplete and underline exactly what `validate` accepts in
 * shape. What it cannot say (references between parts, PF3xx) is left to `validate`.
 */
export function specJsonSchema(): string {
  const schema = z.toJSONSchema(SpecSchema, { target: 'draft-2020-12', io: 'input' });
  return `${JSON.stringify({ ...schema, title: 'protoflow spec' }, null, 2)}\n`;
}
