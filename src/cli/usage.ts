import { IMAGE_MANIFEST } from '../render/cache.js';
import { TARGETS } from '../targets/registry.js';

export const USAGE = `protoflow: YAML protocol-flow specs to PlantUML and Mermaid diagrams

Usage:
  protoflow build [files or folders...] [--out DIR] [--targets LIST] [--formats LIST] [--force]
                  [--scenario VAR=VALUE,... | --all-scenarios] [--templates DIR] [--watch]
                  [--render-timeout SECONDS] [--plantuml-engine auto|java|browser]
                  [--no-flowchart-notes] [--quiet | --verbose] [--format text|json]
  protoflow check [files or folders...] [--out DIR] [--targets LIST] [--formats LIST]
                  [--scenario VAR=VALUE,... | --all-scenarios] [--templates DIR]
                  [--plantuml-engine auto|java|browser] [--format text|json]
  protoflow validate [files or folders...] [--format text|json]
  protoflow matrix [files or folders...] [--format text|json]
  protoflow docs [Markdown files or folders...] [--out DIR] [--templates DIR]
  protoflow conform SPEC --trace FILE --side PARTICIPANT [--trace-format openssl|node]
                  [--diagram DIR [--formats LIST] [--templates DIR] [--render-timeout SECONDS]
                   [--plantuml-engine auto|java|browser]]
                  [--format text|json]
  protoflow init [NAME]
  protoflow schema
  protoflow doctor [--plantuml-engine auto|java|browser] [--format text|json]
  protoflow --help | --version

Commands:
  build      validate specs and write every target's diagram source (default: specs/ -> out/),
             ${TARGETS.map((t) => `NAME${t.extension}`).join(', ')},
             and its images beside it: NAME${TARGETS[0]!.extension}.svg, NAME${TARGETS[0]!.extension}.png, ...;
             for a spec with variables also NAME.matrix.md, the message presence matrix
  check      compare the output folder (and the config's Markdown regions) with what build would
             write, without drawing: lists stale, missing and orphaned files; exit 1 if any
  validate   check specs and report every problem, writing nothing
  docs       update the <!-- protoflow: SPEC ... --> regions of Markdown files
  init       write NAME.yaml, a commented starter spec, into the spec folder (default: specs/)
  schema     print the JSON Schema of a spec (committed as schema/protoflow.schema.json), for editors
  matrix     print each spec's message presence matrix: which message and action occurs in
             which scenario, as Markdown (or JSON with --format json)
  conform    check a recorded handshake (openssl s_client/s_server -msg, or Node's
             tlsSocket.enableTrace()) against every scenario of a spec: the scenario it follows,
             or the closest one and each deviation (missing, unexpected, wrong direction, out of
             order, cipher suite or version), with trace and spec lines; exit 0 only when a
             scenario matches exactly
  doctor     check what this machine can draw (Node, browser, Java or PlantUML in the browser,
             fonts, cache, config), with the command that installs what is missing; exit 1 when
             a format the config asks for cannot be drawn here

Options:
  -o, --out DIR            where build writes diagrams (default: out)
  -t, --targets LIST       comma-separated targets (default: all):
                           ${TARGETS.map((t) => t.name).join(', ')}
      --formats LIST       comma-separated: source, svg, png (default: all three)
      --force              draw every image again, even those that are current
  -s, --scenario VALUES    draw only this scenario, e.g. keyExchange=rsa,clientAuth=on, of each spec
                           that declares every variable named (the others take their default; may
                           be given more than once): NAME--keyExchange-rsa--clientAuth-on${TARGETS[0]!.extension}
      --all-scenarios      also draw every scenario the spec declares (scenarios that draw the same
                           flow once): NAME--VAR-VALUE--VAR-VALUE${TARGETS[0]!.extension}, ...
      --render-timeout SEC how long each step of drawing an image may take (default: 60)
      --plantuml-engine E  how PlantUML is drawn: java (a warm JVM), browser (@plantuml/core in
                           the browser, no Java) or auto (default: Java when found)
      --no-flowchart-notes leave notes out of flowcharts (sequence diagrams keep them)
      --templates DIR      generate with a copy of protoflow's templates/ folder
      --trace FILE         conform: the recorded trace
      --side PARTICIPANT   conform: the participant that recorded it, e.g. client
      --trace-format NAME  conform: openssl or node (default: told from the trace)
      --diagram DIR        conform: also draw the recording against the closest scenario there,
                           TRACE.conform.sequence.puml and .mmd (--formats source,svg adds images)
  -w, --watch              rebuild whenever a spec or template changes, until Ctrl-C
  -q, --quiet              print only errors
      --verbose            also print each file written
  -f, --format FORMAT      text (default) or json, for diagnostics and results
      --no-color           plain text even on a terminal (NO_COLOR is honoured too)
  -h, --help               this help
  -v, --version            protoflow's version

protoflow.config.yaml in the working directory sets defaults for these options (see the README).
Images need a Chrome, Chromium or Edge (PUPPETEER_EXECUTABLE_PATH, the usual places, or
npx @puppeteer/browsers install chrome-headless-shell@stable); Java is optional. Each image is drawn again only when its
source, format or renderer changed: see out/${IMAGE_MANIFEST}.

Exit codes: 0 success, 1 a spec or an image has errors (conform: or the recording does not
conform), 2 the command line is wrong.
`;
