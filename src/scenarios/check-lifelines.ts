import { DiagnosticCodes, error, type Diagnostic, type DiagnosticCode } from '../diagnostics/diagnostic.js';
import { everyStep, participantsOf } from '../ir/steps.js';
import type { FlowIR, Message, SourcePath, Step } from '../ir/types.js';
import type { Locator } from '../source/yaml.js';
import { declaredScenarios } from './declared.js';
import { takenBranch } from './projection.js';
import { holds, scenarioText, type Scenario } from './scenario.js';

/** Ways through the optional blocks of one scenario followed at once; more are dropped (they would only repeat findings). */
const MAX_WAYS = 64;

/** What the lifelines look like at one point of one way through a scenario. */
interface Lifelines {
  /** Participant → the messages that activated it and are not closed yet, innermost last. */
  open: ReadonlyMap<string, readonly Message[]>;
  /** Participant (declared `created`) → the message that created it. */
  created: ReadonlyMap<string, SourcePath>;
  /** Participant → where it was destroyed. */
  destroyed: ReadonlyMap<string, SourcePath>;
  /** A break ended the flow on this way: later steps do not happen (those of a `par`'s other branches still do). */
  ended?: boolean;
}

const START: Lifelines = { open: new Map(), created: new Map(), destroyed: new Map() };

/**
 * The lifeline rules, in every declared scenario: each `activate` is closed by a `deactivate` of the
 * same participant before the flow ends, and no `deactivate` finds nothing open (PF316, PF317); a
 * participant declared `created` takes no part before the message that creates it (PF318), is
 * created once (PF320), and nothing reaches a participant after its `destroy` (PF319). An opt or
 * break without a condition may or may not happen, so both ways are followed; a loop's body counts
 * once, as drawn. A finding is reported once, at its line, naming the first scenario it happens in.
 */
export function checkLifelines(flow: FlowIR, locate: Locator): Diagnostic[] {
  if (!usesLifelines(flow)) return [];
  const findings = new Map<string, { code: DiagnosticCode; message: string; path: SourcePath; hint?: string; scenarios: string[] }>();
  // Where another step was written, for a message at `here`: its line, or its file and line when it is in another file.
  const line = (path: SourcePath, here: SourcePath) => {
    const span = locate(path);
    return span.file === locate(here).file ? `line ${span.line}` : `${span.file}:${span.line}`;
  };
  for (const { scenario } of declaredScenarios(flow)) {
    const name = flow.variables.length > 0 ? scenarioText(scenario) : '';
    const report = (code: DiagnosticCode, path: SourcePath, message: string, hint?: string) => {
      const key = `${code} ${JSON.stringify(path)}`;
      const found = findings.get(key) ?? { code, message, path, ...(hint !== undefined ? { hint } : {}), scenarios: [] };
      if (!found.scenarios.includes(name)) found.scenarios.push(name);
      findings.set(key, found);
    };
    new ScenarioWalk(flow, scenario, report, line).run();
  }
  return [...findings.values()].map(({ code, message, path, hint, scenarios }) => {
    const named = scenarios[0] === '' ? '' : `, in scenario ${scenarios[0]}${scenarios.length > 1 ? ` (and ${scenarios.length - 1} more)` : ''}`;
    return error(code, `${message}${named}`, locate(path), hint);
  });
}

function usesLifelines(flow: FlowIR): boolean {
  if (flow.participants.some((p) => p.created)) return true;
  return flow.phases.some((phase) =>
    everyStep(phase.steps).some((step) => step.kind === 'destroy' || (step.kind === 'message' && (step.activate || step.deactivate || step.create))),
  );
}

type Report = (code: DiagnosticCode, path: SourcePath, message: string, hint?: string) => void;

/** Follows one scenario through the flow, every way its optional blocks allow, reporting what breaks the rules. */
class ScenarioWalk {
  private readonly created: ReadonlySet<string>;
  private readonly labels: ReadonlyMap<string, string>;

  constructor(
    private readonly flow: FlowIR,
    private readonly scenario: Scenario,
    private readonly report: Report,
    private readonly line: (path: SourcePath, here: SourcePath) => string,
  ) {
    this.created = new Set(flow.participants.filter((p) => p.created).map((p) => p.id));
    this.labels = new Map(flow.participants.map((p) => [p.id, p.label]));
  }

  run(): void {
    let ways: Lifelines[] = [START];
    for (const phase of this.flow.phases) ways = this.steps(phase.steps, ways);
    for (const way of ways) this.end(way);
  }

  /** The ways after the steps; a way that takes a break is marked ended and left as it is by the steps after it. */
  private steps(steps: readonly Step[], ways: Lifelines[]): Lifelines[] {
    for (const step of steps) {
      const going = ways.filter((way) => !way.ended);
      if (going.length === 0) break;
      ways = distinct([...ways.filter((way) => way.ended), ...this.step(step, going)]);
    }
    return ways;
  }

  private step(step: Step, ways: Lifelines[]): Lifelines[] {
    switch (step.kind) {
      case 'message':
        return ways.map((way) => this.message(step, way));
      case 'action':
      case 'note':
        return ways.map((way) => this.takesPart(step, participantsOf(step), way));
      case 'ref':
        // A collapsed include stands for its steps: they create, end and use lifelines as drawn out.
        return this.steps(step.steps, ways);
      case 'destroy':
        return ways.map((way) => {
          const after = this.takesPart(step, [step.participant], way);
          return { ...after, destroyed: new Map([...after.destroyed, [step.participant, step.source]]) };
        });
      case 'alt': {
        const branch = takenBranch(step, this.scenario);
        return branch ? this.steps(branch.steps, ways) : ways;
      }
      case 'opt':
        if (step.condition) return holds(step.condition, this.scenario) ? this.steps(step.steps, ways) : ways;
        return [...ways, ...this.steps(step.steps, ways)];
      case 'break': {
        if (step.condition && !holds(step.condition, this.scenario)) return ways;
        const ended = this.steps(step.steps, ways).map((way) => ({ ...way, ended: true }));
        // Without a condition it may not happen: the flow may also go on as before it.
        return step.condition ? ended : [...ways, ...ended];
      }
      case 'par': {
        // A break in one branch ends the flow after the par: the other branches still run.
        let current = ways.map((way) => ({ way, ends: false }));
        for (const branch of step.branches) {
          current = current.flatMap(({ way, ends }) =>
            this.steps(branch.steps, [way]).map((after) => ({ way: { ...after, ended: false }, ends: ends || after.ended === true })),
          );
        }
        return current.map(({ way, ends }) => (ends ? { ...way, ended: true } : way));
      }
      case 'loop':
      case 'group':
      case 'critical':
        return this.steps(step.steps, ways);
      case 'delay':
        return ways;
    }
  }

  private name(participant: string): string {
    return `"${this.labels.get(participant) ?? participant}"`;
  }

  /** The rules for a participant taking part in a step: created already, not destroyed. */
  private takesPart(step: Step, participants: readonly string[], way: Lifelines, creating?: string): Lifelines {
    for (const participant of new Set(participants)) {
      const destroyed = way.destroyed.get(participant);
      if (destroyed) {
        this.report(
          DiagnosticCodes.AFTER_DESTRUCTION,
          step.source,
          `${this.name(participant)} is destroyed at ${this.line(destroyed, step.source)}: nothing reaches it afterwards`,
        );
      } else if (this.created.has(participant) && participant !== creating && !way.created.has(participant)) {
        this.report(
          DiagnosticCodes.BEFORE_CREATION,
          step.source,
          `${this.name(participant)} takes part here before the message that creates it`,
          `send it a message with "create: true" before this step`,
        );
      }
    }
    return way;
  }

  private message(message: Message, way: Lifelines): Lifelines {
    const creating = message.create ? message.to : undefined;
    this.takesPart(message, [message.from, message.to], way, creating);
    let { open, created } = way;
    if (creating !== undefined) {
      const before = created.get(creating);
      if (!this.created.has(creating)) {
        // A message an include brought, whose receiver `with:` maps to a participant there from the start.
        this.report(
          DiagnosticCodes.CREATES_PRESENT_PARTICIPANT,
          [...message.source, 'create'],
          `${this.name(creating)} is there from the start, so no message creates it`,
        );
      } else if (before) {
        this.report(
          DiagnosticCodes.CREATES_PRESENT_PARTICIPANT,
          [...message.source, 'create'],
          `${this.name(creating)} is there already (created at ${this.line(before, message.source)}), so no message creates it again`,
        );
      } else {
        created = new Map([...created, [creating, message.source]]);
      }
    }
    if (message.deactivate) {
      const stack = open.get(message.from) ?? [];
      if (stack.length === 0) {
        this.report(
          DiagnosticCodes.NOTHING_TO_DEACTIVATE,
          [...message.source, 'deactivate'],
          `${this.name(message.from)} has no activation open for this message to end`,
          `activate it first with "activate: true" on a message it receives, or leave "deactivate" out`,
        );
      } else {
        const closed = new Map(open);
        if (stack.length > 1) closed.set(message.from, stack.slice(0, -1));
        else closed.delete(message.from);
        open = closed;
      }
    }
    if (message.activate) open = new Map([...open, [message.to, [...(open.get(message.to) ?? []), message]]]);
    return { ...way, open, created };
  }

  /** The flow ends: every activation must be closed by now. */
  private end(way: Lifelines): void {
    for (const [participant, stack] of way.open) {
      for (const message of stack) {
        this.report(
          DiagnosticCodes.ACTIVATION_LEFT_OPEN,
          [...message.source, 'activate'],
          `the activation of ${this.name(participant)} that starts here is never ended`,
          `end it with "deactivate: true" on a message ${this.name(participant)} sends`,
        );
      }
    }
  }
}

/** The ways with identical lifelines merged, at most MAX_WAYS of them. */
function distinct(ways: Lifelines[]): Lifelines[] {
  const seen = new Map<string, Lifelines>();
  for (const way of ways) {
    const key = JSON.stringify([
      [...way.open].map(([id, stack]) => [id, stack.map((m) => m.source)]).sort(),
      [...way.created.keys()].sort(),
      [...way.destroyed.keys()].sort(),
      way.ended === true,
    ]);
    if (!seen.has(key)) seen.set(key, way);
  }
  return [...seen.values()].slice(0, MAX_WAYS);
}
