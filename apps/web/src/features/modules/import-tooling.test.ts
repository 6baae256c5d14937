import { CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { describe, expect, it, vi } from 'vitest';
import type { ImportSources } from '../../components/code-editor';
import { ambientModules, importSpecifierSource } from './import-tooling';

const modules = [
  { name: 'zod', version: '4.1.12', description: 'Schemas', license: 'MIT', bytes: 60_000 },
  { name: 'ms', version: '2.1.3', description: 'Milliseconds', license: 'MIT', bytes: 1_000 },
];

function sources(): ImportSources & { modules: ReturnType<typeof vi.fn>; acorns: ReturnType<typeof vi.fn> } {
  return {
    modules: vi.fn(async () => modules),
    acorns: vi.fn(async () => [{ id: 'Ab3dE', title: 'Greeter', version: 2 }]),
  };
}

async function complete(source: ImportSources, marked: string) {
  const pos = marked.indexOf('|');
  const state = EditorState.create({ doc: marked.replace('|', '') });
  return (await importSpecifierSource(source)(new CompletionContext(state, pos, false))) as CompletionResult | null;
}

describe('importSpecifierSource', () => {
  it('completes a specifier in place, in the order given, with the version as detail', async () => {
    const source = sources();
    const result = (await complete(source, "import { z } from 'z|';"))!;
    expect(result).toMatchObject({ from: 19, to: 20, filter: false });
    expect(result.options.map((option) => [option.label, option.detail, option.info])).toEqual([
      ['zod', '4.1.12', 'Schemas'],
    ]);
    // `z` cannot start `acorn:`: the caller's acorns were not asked for.
    expect(source.acorns).not.toHaveBeenCalled();
  });

  it('asks for the caller’s acorns only when `acorn:` may be typed, and not for the modules after it', async () => {
    const source = sources();
    const result = (await complete(source, "import greet from 'acorn:|'"))!;
    expect(result.options.map((option) => option.label)).toEqual(['acorn:Ab3dE']);
    expect(source.modules).not.toHaveBeenCalled();
    expect(source.acorns).toHaveBeenCalledTimes(1);
  });

  it('answers nothing outside a specifier, without asking for anything', async () => {
    const source = sources();
    expect(await complete(source, "const s = 'z|';")).toBeNull();
    expect(await complete(source, 'impo|')).toBeNull();
    expect(source.modules).not.toHaveBeenCalled();
  });

  it('still completes the acorns when the module list cannot be had', async () => {
    const source = { ...sources(), modules: vi.fn(async () => Promise.reject(new Error('offline'))) };
    const result = (await complete(source, "import x from '|'"))!;
    expect(result.options.map((option) => option.label)).toEqual(['acorn:Ab3dE']);
  });
});

describe('ambientModules', () => {
  it('declares the listed modules, or every specifier when the list cannot be had', async () => {
    expect(await ambientModules(sources())).toContain('declare module "ms";');
    const offline = { ...sources(), modules: vi.fn(async () => Promise.reject(new Error('offline'))) };
    expect(await ambientModules(offline)).toBe('declare module "*";');
  });
});
