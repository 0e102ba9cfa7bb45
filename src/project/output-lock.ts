import { open, readFile, rm } from 'node:fs/promises';
import { inside, type NamedPath } from '../shared/host.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { failureReason } from '../diagnostics/diagnostic.js';
import { isRunning, makeFolder } from '../shared/write-atomic.js';

/** Held in the output folder while a build writes there: two builds into one folder take turns. */
export const OUTPUT_LOCK = '.protoflow-lock';

/**
 * Takes the output folder's lock, waiting up to `waitMs` for another build to finish; a lock left by
 * a process that no longer runs is taken over. Resolves to the release function, or to why the
 * lock could not be had.
 */
export async function lockOutput(outDir: NamedPath, waitMs: number): Promise<{ release: () => Promise<void> } | { problem: string }> {
  try {
    await makeFolder(outDir.path);
  } catch (cause) {
    return { problem: `cannot write ${outDir.name}: ${failureReason(cause)}` };
  }
  const { name: shown, path } = inside(outDir, OUTPUT_LOCK);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (cause) {
      if (!(cause instanceof Error && 'code' in cause && cause.code === 'EEXIST')) return { problem: `cannot lock ${outDir.name}: ${String(cause)}` };
    }
    const written = (await readFile(path, 'utf8').catch(() => '')).trim();
    const holder = Number(written);
    // Left by a build that no longer runs: taken over. (An empty lock is still being written.)
    if (written !== '' && (!Number.isInteger(holder) || !isRunning(holder))) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      return { problem: `another protoflow (pid ${written || '?'}) is writing ${outDir.name}; run one build at a time, or remove ${shown} if none is running` };
    }
    await sleep(100);
  }
}
