import { IMAGE_MANIFEST } from '../render/cache.js';
import type { Command } from './commands.js';
import { commandName } from './invocation.js';
import { OPTIONS, type OptionName } from './options.js';

const WIDTH = 100;

/** `text` broken into lines of at most `width` characters, joined with the later ones indented by `indent`. */
function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join(`\n${indent}`);
}

function optionLine(name: OptionName): string {
  const spec = OPTIONS[name];
  const flag = `${'short' in spec ? `-${spec.short}, ` : '    '}--${name}${'value' in spec ? ` ${spec.value}` : ''}`;
  const column = 26;
  const head = `  ${flag}`;
  const gap = head.length < column ? ' '.repeat(column - head.length) : `\n${' '.repeat(column)}`;
  return `${head}${gap}${wrap(spec.help, WIDTH - column, ' '.repeat(column))}`;
}

/** `protoflow --help`: every command, one line each. */
export function generalHelp(commands: readonly Command[]): string {
  const self = commandName();
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return `protoflow: YAML protocol-flow specs to PlantUML and Mermaid diagrams

Usage: ${self} COMMAND [arguments] [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}${wrap(c.summary, WIDTH - width - 2, ' '.repeat(width + 2))}`).join('\n')}

"${self} COMMAND --help" shows a command's arguments and options; "${self} --version" its version.
protoflow.config.yaml in the working directory sets defaults for the options (see docs/cli.md).
Images need a Chrome, Chromium or Edge (PUPPETEER_EXECUTABLE_PATH, the usual places, or npx
@puppeteer/browsers install chrome-headless-shell@stable); Java is optional. Each image is drawn
again only when its source, format or renderer changed: see out/${IMAGE_MANIFEST}.

Exit codes: 0 success, 1 a spec or an image has errors (conform: or the recording does not
conform), 2 the command line is wrong.
`;
}

/** `protoflow COMMAND --help`: its usage line, what it does and its own options. */
export function commandHelp(command: Command): string {
  const options: OptionName[] = [...command.options, 'help'];
  const about = [command.summary, command.details].filter(Boolean).join('. ');
  return `Usage: ${commandName()} ${command.name}${command.args ? ` ${command.args}` : ''}${command.options.length > 0 ? ' [options]' : ''}

${wrap(`${about.charAt(0).toUpperCase()}${about.slice(1)}${about.endsWith('.') ? '' : '.'}`, WIDTH, '')}

Options:
${options.map(optionLine).join('\n')}
`;
}
