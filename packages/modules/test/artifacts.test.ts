// The artifact format contract: a classic script, completion value a loader, no globals, fresh instance per call.
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { compileArtifact, createBareContext, globalNames } from '../src/bare-context.ts';
import { moduleSource, modulesManifest, resolveModule } from '../src/index.ts';
import { readManifest } from '../src/manifest.ts';
import { load } from './helpers.ts';

// biome-ignore lint/suspicious/noExplicitAny: the namespaces are untyped script results
type Any = any;
const artifacts = Object.keys(readManifest()!.artifacts);

describe.each(artifacts)('%s', (name) => {
  it('is a classic script whose completion value is a loader, and creates no globals', () => {
    const source = moduleSource(name);
    expect(() => new vm.Script(source)).not.toThrow();
    const context = createBareContext();
    const before = globalNames(context);
    const loadModule = compileArtifact(source, context);
    expect(globalNames(context)).toEqual(before);
    const namespace = loadModule();
    expect(globalNames(context)).toEqual(before);
    expect(Object.keys(namespace).sort()).toEqual(resolveModule(name)!.exports);
    expect(namespace).toHaveProperty('default');
    expect(Object.isFrozen(namespace)).toBe(true);
  });

  it('evaluates a new instance on every call', () => {
    const loadModule = compileArtifact(moduleSource(name), createBareContext());
    const [first, second] = [loadModule(), loadModule()];
    expect(first).not.toBe(second);
    if (typeof first.default === 'function' || (first.default && first.default !== first)) {
      expect(first.default).not.toBe(second.default);
    }
  });
});

describe('instances are independent', () => {
  it('in one context, mutating one namespace leaves the other alone', () => {
    const context = createBareContext();
    const [a, b]: Any[] = [load('dayjs', context), load('dayjs', context)];
    a.default.extend(load('dayjs/plugin/utc', context).default);
    a.default.custom = 1;
    expect(typeof a.default.utc).toBe('function');
    expect(b.default.utc).toBeUndefined();
    expect(b.default.custom).toBeUndefined();

    const [l1, l2]: Any[] = [load('lodash-es', context), load('lodash-es', context)];
    l1.default.mixin({ shout: (text: string) => `${text}!` });
    expect(l1.default.shout('hi')).toBe('hi!');
    expect(l2.default.shout).toBeUndefined();
  });

  it('zod keeps its globalThis registry per instance instead of on the real global', () => {
    const context = createBareContext();
    const [a, b]: Any[] = [load('zod', context), load('zod', context)];
    const schema = a.z.string();
    a.z.globalRegistry.add(schema, { description: 'only in a' });
    expect(a.z.globalRegistry.has(schema)).toBe(true);
    expect(b.z.globalRegistry.has(schema)).toBe(false);
    expect(vm.runInContext('Object.keys(globalThis).filter((key) => key.includes("zod"))', context)).toEqual([]);
  });

  it('a namespace is read-only, like an ES module namespace', () => {
    const namespace: Any = load('ms');
    expect(() => {
      namespace.default = null;
    }).toThrow(TypeError);
    expect(Object.prototype.toString.call(namespace)).toBe('[object Module]');
  });

  it('the bare context really lacks Node', () => {
    const context = createBareContext();
    const kinds = 'typeof require, typeof process, typeof Buffer, typeof global, typeof module, typeof self';
    expect(vm.runInContext(`[${kinds}].join()`, context)).toBe(Array(6).fill('undefined').join());
    expect(Object.keys(vm.runInContext('crypto', context)).sort()).toEqual(['getRandomValues', 'randomUUID']);
  });
});

describe('subpaths', () => {
  it('date-fns/<fn> and lodash-es/<fn> are named exports of the main artifact', () => {
    const addDays: Any = load('date-fns/addDays');
    expect(addDays.default).toBe(addDays.addDays);
    expect(addDays.default(new Date(2024, 0, 31), 1).getDate()).toBe(1);
    const chunk: Any = load('lodash-es/chunk');
    expect(chunk.default(['a', 'b', 'c'], 2)).toEqual([['a', 'b'], ['c']]);
    expect(resolveModule('date-fns/format')).toMatchObject({ name: 'date-fns', export: 'format' });
  });

  it('dayjs plugins are their own small artifacts', () => {
    const utc = resolveModule('dayjs/plugin/utc')!;
    expect(utc).toMatchObject({ name: 'dayjs/plugin/utc', exports: ['default'] });
    expect(utc.file).toMatch(/dist\/dayjs__plugin__utc\.js$/);
    expect(typeof load('dayjs/plugin/relativeTime').default).toBe('function');
  });

  it('zod/v4 is an alias of zod', () => {
    expect(resolveModule('zod/v4')).toEqual(resolveModule('zod'));
  });

  it('anything outside the set does not resolve', () => {
    const outside = [
      'fs',
      'node:fs',
      'node:crypto',
      './zod',
      '../zod',
      '/zod',
      'https://esm.sh/zod',
      'acorn:abc123',
      'left-pad',
      'zod/mini',
      'date-fns/notAFunction',
      'date-fns/',
      'date-fns/locale',
      'lodash-es/default',
      'lodash-es/chunk/x',
      'dayjs/plugin/isLeapYear',
      '__proto__',
      'constructor',
      'date-fns/constructor',
      '',
    ];
    for (const specifier of outside) expect(resolveModule(specifier), specifier).toBeUndefined();
  });

  it('every public item resolves to its own artifact', () => {
    for (const { name } of modulesManifest().items) expect(resolveModule(name)?.name).toBe(name);
  });
});
