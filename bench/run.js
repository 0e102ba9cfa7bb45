// `npm run bench`: every speed target, on the compiled code (the script compiles first).
await import('./validate.js');
await import('./render.js');
await import('./latency.js');
