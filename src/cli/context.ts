import type { LoadedConfig } from './config.js';
import type { OptionName, OPTIONS } from './options.js';
import type { Io } from './output.js';

/** The command line is wrong: exit 2, with the message and a pointer to the help. */
export class UsageError extends Error {}

/** The options given, as parseArgs reads them. */
export type OptionValues = {
  [K in OptionName]?: (typeof OPTIONS)[K] extends { multiple: true } ? string[] : (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean;
};

/** How a command prints its results. */
export interface Output {
  format: 'text' | 'json';
  io: Io;
  noColor: boolean;
}

/** What a command runs with: its arguments and options, where to print, and the project's config. */
export interface CommandContext {
  inputs: readonly string[];
  values: OptionValues;
  io: Io;
  output: Output;
  /** The config file's settings, read on first use; undefined when it has errors, which are printed then. */
  config(): Promise<LoadedConfig | undefined>;
}
