import { TARGETS } from '../targets/registry.js';

/** One command-line option: how node:util's parseArgs reads it and how the help shows it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** The placeholder the help shows after the option: `--out DIR`. */
  value?: string;
  /** What it does, as the help shows it (lines are wrapped by the help). */
  help: string;
}

/** Every option of every command; each command lists the ones it takes (commands.ts). */
export const OPTIONS = {
  out: { type: 'string', short: 'o', value: 'DIR', help: 'where build writes diagrams (default: out)' },
  targets: { type: 'string', short: 't', value: 'LIST', help: `comma-separated targets (default: all): ${TARGETS.map((t) => t.name).join(', ')}` },
  formats: { type: 'string', value: 'LIST', help: 'comma-separated: source, svg, png (default: all three)' },
  force: { type: 'boolean', help: 'draw every image again, even those that are current' },
  scenario: {
    type: 'string',
    short: 's',
    multiple: true,
    value: 'VAR=VALUE,...',
    help: `draw only this scenario, e.g. keyExchange=rsa,clientAuth=on, of each spec that declares every variable named (the others take their default; may be given more than once): NAME--keyExchange-rsa--clientAuth-on${TARGETS[0]!.extension}`,
  },
  'all-scenarios': {
    type: 'boolean',
    help: `also draw every scenario the spec declares (scenarios that draw the same flow once): NAME--VAR-VALUE--VAR-VALUE${TARGETS[0]!.extension}, ...`,
  },
  templates: { type: 'string', value: 'DIR', help: "generate with a copy of protoflow's templates/ folder" },
  watch: { type: 'boolean', short: 'w', help: 'rebuild whenever a spec or template changes, until Ctrl-C' },
  'render-timeout': { type: 'string', value: 'SECONDS', help: 'how long each step of drawing an image may take (default: 60)' },
  'plantuml-engine': {
    type: 'string',
    value: 'auto|java|browser',
    help: 'how PlantUML is drawn: java (a warm JVM), browser (@plantuml/core in the browser, no Java) or auto (default: Java when found)',
  },
  theme: {
    type: 'string',
    value: 'light|dark|auto',
    help: "how images are coloured: light (default), dark, or auto (SVGs follow the reader's light or dark mode, PNGs light); a spec's theme: wins",
  },
  'no-flowchart-notes': { type: 'boolean', help: 'leave notes out of flowcharts (sequence diagrams keep them)' },
  'flowchart-lanes': {
    type: 'string',
    value: 'auto|participants|groups',
    help: "a flowchart lane per participant, or per group (its members' nodes name them); auto (default): per group past five participants",
  },
  trace: { type: 'string', value: 'FILE', help: 'the recorded trace' },
  side: { type: 'string', value: 'PARTICIPANT', help: 'the participant that recorded it, e.g. client' },
  'trace-format': { type: 'string', value: 'openssl|node|pcap', help: 'the trace format (default: told from the trace)' },
  endpoint: {
    type: 'string',
    value: 'ADDR:PORT',
    help: "in a packet capture, the side's endpoint (ADDR:PORT, :PORT or ADDR); needed when the capture holds several conversations",
  },
  'decode-as': {
    type: 'string',
    multiple: true,
    value: 'RULE',
    help: "read a packet capture's traffic on another port as a protocol, as tshark's -d does, e.g. tcp.port==21883,mqtt (may be repeated)",
  },
  keylog: { type: 'string', value: 'FILE', help: "a TLS key log (SSLKEYLOGFILE), so that a packet capture's encrypted TLS is read" },
  diagram: {
    type: 'string',
    value: 'DIR',
    help: 'also draw the recording against the closest scenario there, TRACE.conform.sequence.puml and .mmd (--formats source,svg adds images)',
  },
  port: { type: 'string', short: 'p', value: 'N', help: 'the port to serve on, on 127.0.0.1 (default: 4960; 0 picks a free one)' },
  open: { type: 'boolean', help: 'open the page in the default browser' },
  quiet: { type: 'boolean', short: 'q', help: 'print only errors' },
  verbose: { type: 'boolean', help: 'also print each file written' },
  format: { type: 'string', short: 'f', value: 'text|json', help: 'text (default) or json, for diagnostics and results' },
  'no-color': { type: 'boolean', help: 'plain text even on a terminal (NO_COLOR is honoured too)' },
  help: { type: 'boolean', short: 'h', help: 'this help' },
  version: { type: 'boolean', short: 'v', help: "protoflow's version" },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;
