import { join } from 'node:path';
import { findOnPath, isExecutableFile } from '../find-program.js';
import { installHint, JAVA } from '../install-hints.js';

const javaInstallHint = () => `${installHint(JAVA)} (or set JAVA_HOME)`;

/** `$JAVA_HOME/bin/java` when JAVA_HOME is set, else `java` on PATH; or why neither works. */
export function findJava(env: NodeJS.ProcessEnv = process.env): { path: string } | { problem: string } {
  if (env.JAVA_HOME) {
    const path = join(env.JAVA_HOME, 'bin', 'java');
    if (isExecutableFile(path)) return { path };
    return { problem: `PlantUML needs Java, and JAVA_HOME (${env.JAVA_HOME}) has no bin/java; ${javaInstallHint()}` };
  }
  const path = findOnPath('java', env.PATH);
  if (path) return { path };
  return { problem: `PlantUML needs Java, which is not on PATH; ${javaInstallHint()}` };
}
