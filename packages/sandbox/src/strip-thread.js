// The TypeScript stripper's own thread (see strip.ts). Node's stripper (amaro's wasm, one instance per thread) is
// never reset after a trap (measured: one acorn nested 2000 deep left every later call in that thread failing with
// "memory access out of bounds"), so after any failure that is not an ordinary syntax error the host ends this
// thread and starts a fresh one. Plain JavaScript, like ts-strip.js.
import { parentPort } from 'node:worker_threads';
import { stripTypeScript } from './ts-strip.js';

const port = parentPort;
if (port) {
  port.on('message', ({ id, code }) => port.postMessage({ id, ...stripTypeScript(code) }));
  // Node loads its stripper (and compiles its wasm) on first use: now, not in somebody's run.
  stripTypeScript('');
  port.postMessage('ready');
}
