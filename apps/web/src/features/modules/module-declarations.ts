/**
 * Ambient declarations that make the importable specifiers known to the type checker, each as a module of `any`
 * (shorthand `declare module 'zod';`): an import of a bundled module or of an acorn is not an error, an unknown
 * one still is ("Cannot find module"), as it would fail the run.
 */
import type { ModuleItem } from '@squirrelbin/schemas';
import { moduleSubpaths } from './module-subpaths';

const declare = (specifier: string) => `declare module ${JSON.stringify(specifier)};`;

/** Only acorns: what is known before the module list has come. */
export const acornModulesDeclaration = declare('acorn:*');

/** When the module list cannot be had: every specifier passes rather than every import being marked wrong. */
export const anyModuleDeclaration = declare('*');

export function moduleDeclarations(modules: readonly Pick<ModuleItem, 'name'>[]): string {
  const lines = [acornModulesDeclaration];
  for (const { name } of modules) {
    const subpaths = moduleSubpaths[name];
    lines.push(declare(name), ...(subpaths?.listed ?? []).map(declare));
    if (subpaths?.anyExport) lines.push(declare(`${name}/*`));
  }
  return `${lines.join('\n')}\n`;
}
