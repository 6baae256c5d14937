// Loads a specifier the way the sandbox will: resolve, read the artifact, evaluate it in a fresh bare context.
import type vm from 'node:vm';
import { compileArtifact, createBareContext, type ModuleNamespace } from '../src/bare-context.ts';
import { moduleSource, resolveModule } from '../src/index.ts';

/** Evaluates `specifier` in `context` (a fresh bare one by default) and returns the module namespace. */
export function load(specifier: string, context: vm.Context = createBareContext()): ModuleNamespace {
  const resolved = resolveModule(specifier);
  if (!resolved) throw new Error(`${specifier} is not in the set`);
  const namespace = compileArtifact(moduleSource(resolved.name), context, resolved.file)();
  if (!resolved.export) return namespace;
  return { default: namespace[resolved.export], [resolved.export]: namespace[resolved.export] };
}
