// TypeScript to JavaScript with Node's own stripper (`module.stripTypeScriptTypes`: amaro, built into Node), shared
// by the stripper thread (strip-thread.js) and the in-process runner (strip.ts). Plain JavaScript: a .ts module
// would be loaded through Node's type stripper itself.
// - Strip-only first: types become spaces, so every line and column stays where it was, and it is the cheaper mode.
// - When that refuses syntax that needs code generated (enum, namespace, parameter properties…), transform mode,
//   which moves code around and says where with a source map appended inline (strip.ts reads it).
import { stripTypeScriptTypes } from 'node:module';

let warned = false;

/** Node emits an ExperimentalWarning on the first call in each thread: an acorn's run is not the place for it. */
function quietly(code, options) {
  if (warned) return stripTypeScriptTypes(code, options);
  const emitWarning = process.emitWarning;
  process.emitWarning = function quiet(warning, ...rest) {
    const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
    if (type === 'ExperimentalWarning' && String(warning).includes('stripTypeScriptTypes')) return;
    return Reflect.apply(emitWarning, process, [warning, ...rest]);
  };
  try {
    return stripTypeScriptTypes(code, options);
  } finally {
    process.emitWarning = emitWarning;
    warned = true;
  }
}

/** What the stripper threw, as plain data that crosses to another thread. */
function describe(e) {
  const err = typeof e === 'object' && e !== null ? e : {};
  return {
    code: typeof err.code === 'string' ? err.code : undefined,
    message: typeof err.message === 'string' ? err.message : String(e),
    stack: typeof err.stack === 'string' ? err.stack : '',
  };
}

/**
 * `{ js, transformed }`, or `{ error: { code, message, stack } }` where `code` is Node's
 * (`ERR_INVALID_TYPESCRIPT_SYNTAX`, `ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX`; anything else means the stripper broke).
 */
export function stripTypeScript(code) {
  try {
    return { js: quietly(code, { mode: 'strip' }), transformed: false };
  } catch (e) {
    if (e?.code !== 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX') return { error: describe(e) };
  }
  try {
    return { js: quietly(code, { mode: 'transform', sourceMap: true }), transformed: true };
  } catch (e) {
    return { error: describe(e) };
  }
}
