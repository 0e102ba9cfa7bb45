// `node --import ./record-loads.mjs ...`: appends the URL of every module the ES loader loads to
// the file named by PROTOFLOW_LOAD_LOG, so a test can tell which packages a command loaded.
import { register } from 'node:module';

const hook = `
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.PROTOFLOW_LOAD_LOG, url + '\\n');
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
