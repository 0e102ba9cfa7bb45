import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, specJsonSchema } from '../src/compile/json-schema.js';
import { golden } from './support/golden.js';

const yamlFiles = (folder: string) =>
  readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(folder, f));

const ajv = new Ajv2020({ allErrors: true, strict: true });

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

  it('is named by the first line of every bundled spec, for yaml-language-server', () => {
    for (const file of yamlFiles('specs')) expect(readFileSync(file, 'utf8').split('\n')[0], file).toBe(`# yaml-language-server: $schema=../${SCHEMA_FILE}`);
  });

  // The fixtures whose mistake is one of shape (PF2xx): the schema rejects them too, so editors underline them.
  const shapeFixtures = yamlFiles('test/fixtures/invalid').filter((f) => /\/(PF\d{3}-)*PF2\d\d-/.test(f));
  it.each(shapeFixtures)('rejects %s', (file) => {
    expect(validate(parse(readFileSync(file, 'utf8'))), file).toBe(false);
  });
});
