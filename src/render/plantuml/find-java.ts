import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Host } from '../../shared/host.js';
import { findOnPath, isExecutableFile, programFiles } from '../../shared/find-program.js';
import { installHint, JAVA, thisSystem } from '../../shared/install-hints.js';

const javaInstallHint = (platform: NodeJS.Platform) => `${installHint(JAVA, thisSystem(platform))} (or set JAVA_HOME)`;

/** macOS ships /usr/bin/java as a stub that only says no Java is installed; java_home knows better. */
const MACOS_JAVA_STUB = '/usr/bin/java';
let macosHasJava: boolean | undefined;

function macosJavaInstalled(): boolean {
  return (macosHasJava ??= spawnSync('/usr/libexec/java_home', [], { stdio: 'ignore', timeout: 10_000 }).status === 0);
}

/** `$JAVA_HOME/bin/java` when JAVA_HOME is set, else `java` on PATH; or why neither works. */
export function findJava(env: Host['env'], platform: NodeJS.Platform = process.platform): { path: string } | { problem: string } {
  if (env.JAVA_HOME) {
    const path = programFiles(join(env.JAVA_HOME, 'bin', 'java'), env, platform).find(isExecutableFile);
    if (path) return { path };
    return { problem: `PlantUML needs Java, and JAVA_HOME (${env.JAVA_HOME}) has no bin/java; ${javaInstallHint(platform)}` };
  }
  const path = findOnPath('java', env, platform);
  if (path === MACOS_JAVA_STUB && platform === 'darwin' && !macosJavaInstalled()) {
    return { problem: `PlantUML needs Java, and ${MACOS_JAVA_STUB} is macOS's stub with no Java behind it; ${javaInstallHint(platform)}` };
  }
  if (path) return { path };
  return { problem: `PlantUML needs Java, which is not on PATH; ${javaInstallHint(platform)}` };
}
