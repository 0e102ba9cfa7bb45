import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

/** The folder of an installed npm package, found as Node finds it, without loading its code. */
export function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

const versions = new Map<string, string>();

/** An installed package's version, read once from its package.json. */
export function packageVersion(name: string): string {
  let version = versions.get(name);
  if (version === undefined) {
    version = (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
    versions.set(name, version);
  }
  return version;
}
