import type { CommandContext } from './context.js';
import type { OptionName } from './options.js';

/** One command of the CLI: what its usage line and help show, the options it takes and what runs it. */
export interface Command {
  name: string;
  /** What follows the name in its usage line, e.g. `[files or folders...]`. */
  args: string;
  /** One line for the list of commands. */
  summary: string;
  /** More about it, for its own help. */
  details?: string;
  options: readonly OptionName[];
  /** Why an option it does not take is not for it, for the usage error. */
  refuses?: string;
  run(context: CommandContext): Promise<number>;
}

const OUTPUT: readonly OptionName[] = ['format', 'no-color'];
const GENERATION: readonly OptionName[] = [
  'out',
  'targets',
  'formats',
  'scenario',
  'all-scenarios',
  'templates',
  'plantuml-engine',
  'theme',
  'no-flowchart-notes',
  'flowchart-lanes',
];

/** Every command, in the order the help lists them. Each runs from its own module, loaded when used. */
export const COMMANDS: readonly Command[] = [
  {
    name: 'build',
    args: '[files or folders...]',
    summary: "validate specs and write every target's diagram source and images (default: specs/ -> out/)",
    details:
      'For each spec, NAME.sequence.puml, NAME.sequence.mmd, NAME.flowchart.mmd and NAME.activity.puml, each with its .svg and .png beside it; for a spec with variables also NAME.matrix.md, the message presence matrix. An image is drawn again only when its source, format or renderer changed.',
    options: [...GENERATION, 'force', 'watch', 'render-timeout', 'quiet', 'verbose', ...OUTPUT],
    run: async (context) => (await import('./build-command.js')).runBuild(context, true),
  },
  {
    name: 'preview',
    args: '[files or folders...]',
    summary: 'serve a live page of the specs on 127.0.0.1: each diagram, a picker per variable, problems as you type',
    details:
      'Prints the URL first. The page updates itself a moment after a spec is saved, keeping zoom, scroll and the scenario chosen; a spec that does not compile shows its problems above its last good diagrams. Draws in memory: nothing is written. Ctrl-C stops it.',
    options: ['port', 'open', 'targets', 'templates', 'plantuml-engine', 'theme', 'no-flowchart-notes', 'flowchart-lanes', 'render-timeout', 'no-color'],
    refuses: 'preview draws in memory, writes nothing, and has no JSON form',
    run: async (context) => (await import('./preview-command.js')).runPreview(context),
  },
  {
    name: 'check',
    args: '[files or folders...]',
    summary: "compare the output folder (and the config's Markdown regions) with what build would write",
    details: 'Draws nothing and starts no renderer: lists stale, missing and orphaned files, with a diff for text; exit 1 if there is one.',
    options: [...GENERATION, ...OUTPUT],
    refuses: 'check draws nothing',
    run: async (context) => (await import('./check-command.js')).runCheck(context),
  },
  {
    name: 'validate',
    args: '[files or folders...]',
    summary: 'check specs and report every problem, writing nothing',
    options: ['quiet', 'verbose', ...OUTPUT],
    refuses: 'validate writes nothing',
    run: async (context) => (await import('./build-command.js')).runBuild(context, false),
  },
  {
    name: 'matrix',
    args: '[files or folders...]',
    summary: "print each spec's message presence matrix: which message and action occurs in which scenario",
    details: "As Markdown on stdout (written with the project's templates), or JSON with --format json.",
    options: ['templates', ...OUTPUT],
    refuses: 'matrix writes nothing',
    run: async (context) => (await import('./matrix-command.js')).runMatrix(context),
  },
  {
    name: 'docs',
    args: '[Markdown files or folders...]',
    summary: 'update the <!-- protoflow: SPEC ... --> regions of Markdown files',
    details: 'Default: the config\'s "docs" files. A region names its own target and scenario.',
    options: ['out', 'templates', 'no-flowchart-notes', 'flowchart-lanes', ...OUTPUT],
    refuses: 'a region names its own target and scenario',
    run: async (context) => (await import('./docs-command.js')).runDocs(context),
  },
  {
    name: 'conform',
    args: 'SPEC --trace FILE --side PARTICIPANT',
    summary: 'check a recording (a TLS trace or a packet capture) against every scenario of a spec',
    details:
      "Reads openssl s_client/s_server -msg output, Node's tlsSocket.enableTrace(), or a packet capture (.pcap, .pcapng) through tshark, and reports the scenario it follows, or the closest one and each deviation (missing, unexpected, wrong direction, out of order, cipher suite or version), with trace lines or capture frames and spec lines; exit 0 only when a scenario matches exactly.",
    options: [
      'trace',
      'side',
      'trace-format',
      'endpoint',
      'decode-as',
      'keylog',
      'diagram',
      'formats',
      'templates',
      'render-timeout',
      'plantuml-engine',
      'theme',
      ...OUTPUT,
    ],
    refuses: 'conform takes only what shapes the check and the drawing of the recording',
    run: async (context) => (await import('./conform-command.js')).runConform(context),
  },
  {
    name: 'init',
    args: '[NAME]',
    summary: 'write NAME.yaml, a commented starter spec, into the spec folder (default: specs/)',
    options: [],
    refuses: 'init writes one starter spec',
    run: async (context) => (await import('./init-command.js')).runInit(context),
  },
  {
    name: 'schema',
    args: '',
    summary: 'print the JSON Schema of a spec (committed as schema/protoflow.schema.json), for editors',
    options: [],
    refuses: 'schema prints the JSON Schema every spec follows',
    run: async (context) => (await import('./schema-command.js')).runSchema(context),
  },
  {
    name: 'doctor',
    args: '',
    summary: 'check what this machine can draw, with the command that installs what is missing',
    details: 'Node, browser, Java or PlantUML in the browser, fonts, cache and config; exit 1 when a format the config asks for cannot be drawn here.',
    options: ['plantuml-engine', ...OUTPUT],
    refuses: "doctor checks this machine for the project's config",
    run: async (context) => (await import('./doctor-command.js')).runDoctor(context),
  },
];
