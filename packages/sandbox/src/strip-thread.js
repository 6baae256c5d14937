// The TypeScript stripper's own thread (see strip.ts). amaro's wasm is never reset after a trap (measured: one
// acorn nested 2000 deep left every later call failing with "memory access out of bounds"), so after any failure
// that is not an ordinary syntax error the host ends this thread and starts a fresh one. Plain JavaScript: a .ts
// thread would first load Node's own type stripper (measured: ~0.4 s more per thread).
import { parentPort } from 'node:worker_threads';
import amaro from 'amaro';

const port = parentPort;
if (port) {
  port.on('message', ({ id, code }) => {
    try {
      port.postMessage({ id, js: amaro.transformSync(code, { mode: 'strip-only' }).code });
    } catch (e) {
      // amaro's own errors are plain objects with a `code` (`InvalidSyntax`, `UnsupportedSyntax`) and a position.
      const err = typeof e === 'object' && e !== null ? e : {};
      const error = { message: typeof err.message === 'string' ? err.message : String(e) };
      if (typeof err.code === 'string') error.code = err.code;
      if (typeof err.startLine === 'number') error.startLine = err.startLine;
      if (typeof err.startColumn === 'number') error.startColumn = err.startColumn;
      port.postMessage({ id, error });
    }
  });
  port.postMessage('ready');
}
