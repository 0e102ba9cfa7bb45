import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, specJsonSchema } from '../src/compile/json-schema.js';
import { ID_PATTERN, STEP_KINDS } from '../src/compile/schema.js';
import { golden } from './support/golden.js';

const yamlFiles = (folder: string) =>
  readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(folder, f));

const ajv = new Ajv2020({ allErrors: true, strict: true });
// yaml-language-server's own keyword: the message an editor shows instead of the raw pattern.
ajv.addKeyword('patternErrorMessage');

describe('the JSON Schema for editors', () => {
  it(`is current: ${SCHEMA_FILE} is what \`protoflow schema\` prints (UPDATE_GOLDEN=1 rewrites it)`, () => {
    const actual = specJsonSchema();
    expect(actual).toBe(golden(SCHEMA_FILE, actual));
  });

  const validate = ajv.compile(JSON.parse(specJsonSchema()) as object);

  it.each([...yamlFiles('specs'), ...yamlFiles('test/fixtures/valid'), ...yamlFiles('test/fixtures/warnings')])('accepts %s', (file) => {
    const text = readFileSync(file, 'utf8');
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
  });

  it("names each step kind in the editor's completion list, and says in words what a pattern wants", () => {
    const text = specJsonSchema();
    for (const kind of STEP_KINDS) expect(text, kind).toContain(`"title": "${kind} step"`);
    const schema = JSON.parse(text) as unknown;
    const patterns: { pattern: string; message?: string }[] = [];
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (node !== null && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        if (typeof record.pattern === 'string') patterns.push({ pattern: record.pattern, message: record.patternErrorMessage as string | undefined });
        Object.values(record).forEach(visit);
      }
    };
    visit(schema);
    // Ids and texts (every pattern but those of value ids, which a union explains) carry a message.
    const ids = patterns.filter((p) => p.pattern === ID_PATTERN.source);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((p) => p.message?.startsWith('An id starts with a letter'))).toBe(true);
  });

  it('is named by the first line of every bundled spec, for yaml-language-server', () => {
    for (const file of yamlFiles('specs')) expect(readFileSync(file, 'utf8').split('\n')[0], file).toBe(`# yaml-language-server: $schema=../${SCHEMA_FILE}`);
  });

  // The fixtures whose mistake is one of shape (PF2xx): the schema rejects them too, so editors underline them.
  const shapeFixtures = yamlFiles('test/fixtures/invalid').filter((f) => /\/(PF\d{3}-)*PF2\d\d-/.test(f));
  it.each(shapeFixtures)('rejects %s', (file) => {
    expect(validate(parse(readFileSync(file, 'utf8'))), file).toBe(false);
  });
});
