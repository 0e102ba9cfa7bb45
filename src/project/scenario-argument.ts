import { scenarioProblem } from '../scenarios/scenario.js';
import { chooseScenario } from './outputs.js';
import type { Project } from './project.js';

/**
 * Why `--scenario VALUES` cannot apply to the specs named, as a usage error, checked before
 * anything is written (see `chooseScenario`): a spec lacks a value or excludes the combination,
 * or no spec declares every variable named. Specs with errors are left to the build to report.
 */
export async function scenarioArgumentProblem(
  project: Project,
  values: Readonly<Record<string, string>>,
  /** What named the values, for the message: `--scenario`, or where the config says it. */
  origin = '--scenario',
): Promise<string | undefined> {
  const { sources } = await project.read();
  const skipped: string[] = [];
  let drawn = 0;
  for (const source of sources) {
    const compiled = await project.compile(source);
    if (!compiled.value) continue;
    const choice = chooseScenario(compiled.value, values);
    if ('problem' in choice) return `${origin} for ${source.name}: ${choice.problem}`;
    if ('scenario' in choice) drawn++;
    else skipped.push(`${origin} for ${source.name}: ${scenarioProblem(compiled.value.flow.variables, values) ?? 'this spec declares no variables'}`);
  }
  if (drawn > 0 || skipped.length === 0) return undefined;
  // One spec: say what it declares; several: that none declares them all.
  const named = Object.keys(values);
  if (skipped.length === 1) return skipped[0];
  return `${origin}: no spec declares ${named.length === 1 ? `the variable "${named[0]}"` : `all of the variables ${named.join(', ')}`}`;
}
