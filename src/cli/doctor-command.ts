import { isDrawn } from '../targets/target.js';
import { diagnose, type DoctorSettings, type Status } from './doctor.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILES } from './config-files.js';
import { type CommandContext, type Output, UsageError } from './context.js';
import { EXIT } from './output.js';
import { openProject } from './settings.js';

const MARK: Record<Status, string> = { ok: 'ok', warning: 'warning', error: 'ERROR' };

/** `protoflow doctor`: what this machine can draw; exit 1 when a format the project asks for cannot be drawn. */
export async function runDoctor(context: CommandContext): Promise<number> {
  if (context.inputs.length > 0) throw new UsageError("doctor checks this machine for the project's config: it takes no files");
  const opened = await openProject(context);
  if (!opened) return EXIT.specErrors;
  const { cwd } = context.io;
  return printFindings({ project: opened.project, configFile: CONFIG_FILES.find((name) => existsSync(join(cwd, name))) }, context.output);
}

async function printFindings(settings: DoctorSettings, output: Output): Promise<number> {
  const findings = await diagnose(settings);
  const ok = findings.every((f) => f.status !== 'error');
  const { io } = output;
  if (output.format === 'json') {
    io.stdout.write(`${JSON.stringify({ ok, checks: findings }, null, 2)}\n`);
  } else {
    const width = Math.max(...findings.map((f) => f.name.length));
    io.stdout.write(findings.map((f) => `${MARK[f.status].padEnd(8)} ${f.name.padEnd(width)}  ${f.detail}\n`).join(''));
    const { formats, targets } = settings.project.settings;
    // A text target (a ladder) has a source and no images.
    const drawn = targets.filter(isDrawn).map((t) => t.name);
    const text = targets.filter((t) => !isDrawn(t)).map((t) => t.name);
    const asked = [
      ...(drawn.length > 0 ? [`${formats.join(', ')} of ${drawn.join(', ')}`] : []),
      ...(text.length > 0 ? [`text of ${text.join(', ')}`] : []),
    ].join('; ');
    (ok ? io.stdout : io.stderr).write(
      ok
        ? `protoflow can write everything the project asks for here (${asked})\n`
        : `protoflow cannot write everything the project asks for here (${asked}): see ERROR above\n`,
    );
  }
  return ok ? EXIT.ok : EXIT.specErrors;
}
