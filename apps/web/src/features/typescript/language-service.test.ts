import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AcornLanguageService, createAcornLanguageService } from './language-service';
import { libFiles, rootLib } from './lib-files';

const file = '/acorn-test.ts';
let service: AcornLanguageService;

beforeAll(() => {
  service = createAcornLanguageService();
});

const errors = (code: string) => service.diagnostics(file, code).filter((d) => d.severity === 'error');

describe('the acorn language service', () => {
  it('finds a type error where it is', () => {
    const code = 'const ok = 1;\nconst x: number = "s";\n';
    const [error, ...rest] = errors(code);
    expect(rest).toEqual([]);
    expect(error!.code).toBe(2322);
    expect(error!.message).toBe("Type 'string' is not assignable to type 'number'.");
    expect(code.slice(error!.from, error!.to)).toBe('x');
  });

  it('knows the acorn globals and the web globals the sandbox gives, and nothing of the DOM', () => {
    const code = [
      'const data = input as { n?: number };',
      'console.log(data.n); console.table([{ a: 1 }]); console.group("g"); console.groupEnd();',
      'console.time("t"); console.timeEnd("t"); console.count(); console.assert(true, "x");',
      'const id: number = setTimeout((a: string) => a.length, 10, "x"); clearTimeout(id);',
      'setInterval(() => {}, 5);',
      'const url = new URL("https://example.com/a?b=1"); url.searchParams.get("b");',
      'const params = new URLSearchParams({ a: "1" }); for (const [k, v] of params) console.log(k, v);',
      'const headers = new Headers([["a", "b"]]); headers.set("x", "y");',
      'const request = new Request("https://example.com", { method: "POST", body: "x", headers });',
      'const response = Response.json({ ok: true }, { status: 201 });',
      'const text: Promise<string> = request.text(); response.headers.get("a");',
      'const bytes: Uint8Array = new TextEncoder().encode("hi"); new TextDecoder().decode(bytes);',
      'btoa(atob("aGk=")); structuredClone({ a: 1 }).a.toFixed();',
      'const uuid: string = crypto.randomUUID(); crypto.getRandomValues(new Uint32Array(2));',
      'const grouped = Object.groupBy([1, 2], (n) => (n % 2 ? "odd" : "even"));',
      'const result = await Promise.withResolvers<number>().promise;',
      'export {};',
    ].join('\n');
    expect(errors(code)).toEqual([]);
    const dom = errors('document.title; fetch("x"); window; new Blob([]);');
    expect(dom.map((d) => d.code)).toEqual([2584, 2304, 2304, 2304]);
  });

  it('treats every acorn as a module: top-level await, and names that do not clash with the globals', () => {
    expect(errors('const input = 1;\nconst name = await Promise.resolve("x");\nname.toUpperCase();')).toEqual([]);
    expect(errors('export default function handler(request: Request) { return new Response("hi"); }')).toEqual([]);
  });

  it('checks strictly: input is unknown until narrowed', () => {
    expect(errors('input.name;').map((d) => d.code)).toEqual([18046]);
    expect(errors('function f(a) { return a; }').map((d) => d.code)).toEqual([7006]);
  });

  it('reports syntax errors too', () => {
    const [error] = errors('const = 1;');
    expect(error!.severity).toBe('error');
  });

  it('gives quick info for a hover', () => {
    const code = 'const answer = 42;\nanswer;';
    const info = service.quickInfo(file, code, code.lastIndexOf('answer') + 2);
    expect(info!.display).toBe('const answer: 42');
    expect(code.slice(info!.from, info!.to)).toBe('answer');
    const url = service.quickInfo(file, 'new URL("x").searchParams', 20);
    expect(url!.display).toBe('(property) URL.searchParams: URLSearchParams');
    expect(service.quickInfo(file, 'const a = 1;   ', 14)).toBeNull();
  });

  it('completes members and globals, with details', () => {
    const code = 'const s = "x";\ns.';
    const members = service.completions(file, code, code.length, '.');
    expect(members!.isMemberCompletion).toBe(true);
    const names = members!.entries.map((entry) => entry.name);
    expect(names).toContain('toUpperCase');
    expect(names).toContain('padStart');
    const details = service.completionDetails(file, code, code.length, 'toUpperCase');
    expect(details!.display).toBe('(method) String.toUpperCase(): string');
    expect(details!.documentation).toContain('uppercase');

    const globals = service.completions(file, 'cons', 4)!.entries.map((entry) => entry.name);
    expect(globals).toContain('console');
    expect(globals).toContain('const');
    expect(globals).not.toContain('document');
  });

  it('knows acorn imports from the start, and the bundled modules once they are declared', () => {
    const code = [
      "import { z } from 'zod';",
      "import addDays from 'date-fns/addDays';",
      "import greet from 'acorn:Ab3dE@2';",
      "const helpers = await import('acorn:x9Yz0');",
      'z.string().parse(greet(helpers, addDays));',
    ].join('\n');
    // Before the list came: only the acorns are known.
    expect(errors(code).map((d) => [d.code, code.slice(d.from, d.to)])).toEqual([
      [2307, "'zod'"],
      [2307, "'date-fns/addDays'"],
    ]);
    service.declareModules('declare module "acorn:*";\ndeclare module "zod";\ndeclare module "date-fns/*";\n');
    expect(errors(code)).toEqual([]);
    // An unknown module is still an error, as it would fail the run.
    const unknown = errors("import x from 'left-pad';\nx;");
    expect(unknown.map((d) => d.code)).toEqual([2307]);
    expect(unknown[0]!.message).toContain("Cannot find module 'left-pad'");
  });

  it('keeps editors apart, and forgets a closed one', () => {
    expect(errors('const a: string = 1;')).toHaveLength(1);
    expect(service.diagnostics('/acorn-other.ts', 'const a: number = 1;')).toEqual([]);
    service.close('/acorn-other.ts');
    expect(errors('const a: string = "x";')).toEqual([]);
  });
});

describe('lib files', () => {
  it('hold lib.es2024.d.ts and exactly the libs it references, from the installed TypeScript', () => {
    const require = createRequire(import.meta.url);
    const libDir = dirname(require.resolve('typescript/lib/lib.es5.d.ts'));
    const needed = new Set<string>();
    const visit = (name: string) => {
      if (needed.has(name)) return;
      needed.add(name);
      const text = readFileSync(join(libDir, name), 'utf8');
      for (const match of text.matchAll(/<reference lib="([^"]+)"/g)) visit(`lib.${match[1]!.toLowerCase()}.d.ts`);
    };
    visit(rootLib);
    expect([...libFiles.keys()].sort()).toEqual([...needed].sort());
    for (const [name, text] of libFiles) expect(text).toBe(readFileSync(join(libDir, name), 'utf8'));
  });
});
