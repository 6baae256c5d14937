// Acorns that try to hang, exhaust, escape or fool the sandbox. Each must end with its exact status, and leave the
// sandbox healthy: the next normal run succeeds and every worker is back under its memory bound.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.ts';
import { runner } from './helpers.ts';
import { fast, hostileSuites } from './hostile-cases.ts';

let sandbox: Sandbox;
const run = runner(() => sandbox);

beforeAll(async () => {
  sandbox = createSandbox({ workers: 2 });
  await sandbox.ready();
});
afterAll(() => sandbox.close());

afterEach(async () => {
  // Another owner, as a real neighbour would be: it must not be affected by what the hostile run left behind.
  const probe = await run('[1, 2].map((n) => n * 2)', { owner: 'neighbour' });
  expect(probe).toMatchObject({ status: 'ok', value: [2, 4] });
  const stats = sandbox.stats();
  for (const worker of stats.workers) expect(worker.rssMb).toBeLessThan(stats.rssLimitMb);
});

for (const { title, cases } of hostileSuites) {
  describe(title, () => {
    for (const [name, code, status, options = fast, check] of cases) {
      it(`${name} → ${status}`, async () => {
        const r = await run(code, { owner: 'hostile', ...options });
        expect(r.status, JSON.stringify(r.error)).toBe(status);
        check?.(r);
      });
    }
  });
}

describe('prototype pollution', () => {
  it('cannot fool the serialiser and does not leak into the next run → ok', async () => {
    const code = [
      'Object.prototype.polluted = 1;',
      'Array.prototype.push = () => { throw new Error("push"); };',
      'Object.defineProperty(Array.prototype, "0", { set() { throw new Error("set"); }, get() { return "fake"; } });',
      'JSON.stringify = () => \'"fooled"\';',
      'String.prototype.slice = () => "fooled";',
      'Map.prototype.get = () => "fooled";',
      'Function.prototype.call = () => "fooled";',
      "console.log('still', { formatted: [1, 2] });",
      '({ list: [1, 2], text: "t" })',
    ].join('\n');
    const r = await run(code, { owner: 'hostile', ...fast });
    expect(r.status).toBe('ok');
    expect(r.value).toEqual({ list: [1, 2], text: 't' });
    expect(r.logs.map((l) => l.message)).toEqual(['still { formatted: [ 1, 2 ] }']);
    const probe = await run(
      "[({}).polluted, typeof [].push, JSON.stringify({ a: 1 }), 'abc'.slice(1), Object.getOwnPropertyDescriptor(Array.prototype, '0')]",
      { owner: 'hostile' },
    );
    expect(probe.value).toEqual([null, 'function', '{"a":1}', 'bc', null]);
  });
});
