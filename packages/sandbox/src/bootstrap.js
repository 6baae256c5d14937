// Runs inside every fresh acorn context before the acorn: installs console, timers, `input` and the web globals
// (web.js), removes what an acorn must not have, and returns the one function the host drives the run through.
// Everything it needs is captured here, before acorn code exists, so an acorn that pollutes prototypes or replaces
// JSON can only fool itself, never the serialiser that turns its logs and result into the capped strings the host
// reads.
// It is an expression whose value is a function; the host compiles it, with web.js and core-js (dist/web-globals.js),
// as one script once per isolate, from cached data (bootstrap-source.ts), and calls it with `web` and `coreJs` bound.
//
// Rules for the code below, which runs beside hostile code: no acorn code is ever called while looking at a value
// (getters are shown, never invoked; a Proxy's traps are the one thing that cannot be told apart from JavaScript);
// nothing here reads or writes a property an acorn could have put on a prototype (records are null-prototype
// objects, lists are null-prototype objects with a `length`, never arrays: an index setter on Array.prototype would
// fire); no string method that looks up a symbol on its argument (split, replace, match) is used.
(function bootstrap(web, coreJs, maxOutputChars, maxLogEntries, maxPreviewChars, maxResponseBytes, ownFilename) {
  // Strict, so that every function defined here is too: the acorn's functions are sloppy, and a sloppy function's
  // `.caller` (or `arguments.callee.caller`) is its caller when that caller is sloppy. Strict callers read as null,
  // so a toJSON, getter, timer or microtask callback cannot climb into the closures below and drive them.
  // biome-ignore lint/suspicious/noRedundantUseStrict: this file is a script (compiled as one), not a module
  'use strict';
  const g = globalThis;
  const uncurry = Function.prototype.bind.bind(Function.prototype.call);
  const getter = (proto, name) => uncurry(Object.getOwnPropertyDescriptor(proto, name).get);

  const JSONStringify = JSON.stringify;
  const JSONParse = JSON.parse;
  const ObjectKeys = Object.keys;
  const ObjectGetPrototypeOf = Object.getPrototypeOf;
  const RawGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const ObjectSetPrototypeOf = Object.setPrototypeOf;
  // A descriptor comes back as an ordinary object: reading a field it lacks (`value` of an accessor, `get` of a data
  // property) would reach Object.prototype, where an acorn may have put getters. Ours have no prototype.
  const ObjectGetOwnPropertyDescriptor = (o, key) => {
    const d = RawGetOwnPropertyDescriptor(o, key);
    if (d !== undefined) ObjectSetPrototypeOf(d, null);
    return d;
  };
  const ObjectGetOwnPropertySymbols = Object.getOwnPropertySymbols;
  const ObjectDefineProperty = Object.defineProperty;
  const ArrayIsArray = Array.isArray;
  const ArrayBufferIsView = ArrayBuffer.isView;
  const DateNow = Date.now;
  const StringCtor = String;
  const MathMax = Math.max;
  const MathMin = Math.min;
  const MathFloor = Math.floor;
  const MathRound = Math.round;
  const MathSqrt = Math.sqrt;
  const MathRandom = Math.random;
  const NumberIsFinite = Number.isFinite;
  const NumberParseInt = Number.parseInt;
  const NumberParseFloat = Number.parseFloat;
  const ObjectIs = Object.is;
  const PromiseCtor = Promise;
  const PromiseResolve = Promise.resolve.bind(Promise);
  const PromisePrototypeThen = uncurry(Promise.prototype.then);
  const PromiseSpeciesGetter = Object.getOwnPropertyDescriptor(Promise, Symbol.species).get;
  const SymbolSpecies = Symbol.species;
  const SymbolToStringTag = Symbol.toStringTag;
  const StringSlice = uncurry(String.prototype.slice);
  const StringCharCodeAt = uncurry(String.prototype.charCodeAt);
  const StringCodePointAt = uncurry(String.prototype.codePointAt);
  const StringIndexOf = uncurry(String.prototype.indexOf);
  const StringLastIndexOf = uncurry(String.prototype.lastIndexOf);
  const StringRepeat = uncurry(String.prototype.repeat);
  const StringPadStart = uncurry(String.prototype.padStart);
  const StringPadEnd = uncurry(String.prototype.padEnd);
  const NumberToString = uncurry(Number.prototype.toString);
  const NumberToFixed = uncurry(Number.prototype.toFixed);
  const ReflectApply = Reflect.apply;
  const FunctionToString = uncurry(Function.prototype.toString);
  const SymbolToString = uncurry(Symbol.prototype.toString);
  const DateGetTime = uncurry(Date.prototype.getTime);
  const DateToISOString = uncurry(Date.prototype.toISOString);
  const RegExpSource = getter(RegExp.prototype, 'source');
  const RegExpFlags = getter(RegExp.prototype, 'flags');
  const NumberValueOf = uncurry(Number.prototype.valueOf);
  const StringValueOf = uncurry(String.prototype.valueOf);
  const BooleanValueOf = uncurry(Boolean.prototype.valueOf);
  const SymbolValueOf = uncurry(Symbol.prototype.valueOf);
  const BigIntValueOf = uncurry(BigInt.prototype.valueOf);
  const WeakMapHas = uncurry(WeakMap.prototype.has);
  const WeakSetHas = uncurry(WeakSet.prototype.has);
  const MapSize = getter(Map.prototype, 'size');
  const SetSize = getter(Set.prototype, 'size');
  const MapEntries = uncurry(Map.prototype.entries);
  const SetValues = uncurry(Set.prototype.values);
  const MapIteratorNext = uncurry(ObjectGetPrototypeOf(new Map().entries()).next);
  const SetIteratorNext = uncurry(ObjectGetPrototypeOf(new Set().values()).next);
  const TypedArrayLength = getter(ObjectGetPrototypeOf(Uint8Array.prototype), 'length');
  const ArrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength');
  const Uint8ArrayCtor = Uint8Array;
  const MapCtor = Map;
  const MapGet = uncurry(Map.prototype.get);
  const MapSet = uncurry(Map.prototype.set);
  const MapHas = uncurry(Map.prototype.has);
  const MapDelete = uncurry(Map.prototype.delete);
  const MapForEach = uncurry(Map.prototype.forEach);
  const ErrorCtor = Error;
  const SyntaxErrorCtor = SyntaxError;
  const ObjectFreeze = Object.freeze;
  const ObjectHasOwn = Object.hasOwn;
  const RegExpExec = uncurry(RegExp.prototype.exec);
  const ErrorCaptureStackTrace = Error.captureStackTrace;
  const ErrorPrototype = Error.prototype;
  const PromisePrototype = Promise.prototype;
  const FunctionPrototype = Function.prototype;
  const AsyncFunctionPrototype = ObjectGetPrototypeOf(async () => {});
  const GeneratorFunctionPrototype = ObjectGetPrototypeOf(function* () {});
  const AsyncGeneratorFunctionPrototype = ObjectGetPrototypeOf(async function* () {});
  const TypeErrorCtor = TypeError;
  const RangeErrorCtor = RangeError;
  // v8's `stack` is an own accessor of every error, the same native function for all: calling it runs no acorn code
  // as long as the error's `name` is plain data (v8 reads it when it first formats the stack).
  const NativeStackGetter = (() => {
    const d = ObjectGetOwnPropertyDescriptor(new ErrorCtor(), 'stack');
    return d && typeof d.get === 'function' ? uncurry(d.get) : undefined;
  })();
  const nativeStackGet = NativeStackGetter && ObjectGetOwnPropertyDescriptor(new ErrorCtor(), 'stack').get;

  // Not standard ECMAScript an acorn needs, and each is a way around the limits: WebAssembly memory is not counted
  // by the isolate's memory limit; SharedArrayBuffer and Atomics.wait block threads.
  delete g.WebAssembly;
  delete g.SharedArrayBuffer;
  delete g.Atomics;
  // v8's hook for formatting stacks runs acorn code whenever any stack is read, in places where v8 cannot stop it
  // (measured: a looping hook outlived both the call timeout and the isolate's disposal). Not ECMAScript: locked.
  ObjectDefineProperty(Error, 'prepareStackTrace', { value: undefined, writable: false, configurable: false });

  // Request, Response, URL… (web.js): accessors now, made when first used; the API is what a handler run needs.
  const webApi = web(coreJs);

  // ---- small tools on our own data --------------------------------------------------------------------------------

  /** A list: a null-prototype object with a length, never an array (see the rules at the top). */
  const list = () => ({ __proto__: null, length: 0 });
  const push = (l, item) => {
    l[l.length] = item;
    l.length++;
  };
  const joinList = (l, separator) => {
    let out = '';
    for (let i = 0; i < l.length; i++) out += (i === 0 ? '' : separator) + l[i];
    return out;
  };
  const includes = (s, part) => StringIndexOf(s, part) !== -1;
  const isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');

  /** Node's `getStringWidth`, roughly: wide East Asian characters and emoji take 2 columns, combining marks 0. */
  const displayWidth = (s) => {
    let width = 0;
    for (let i = 0; i < s.length; i++) {
      const c = StringCodePointAt(s, i);
      if (c > 0xffff) i++;
      if (c < 32 || (c >= 0x7f && c < 0xa0) || (c >= 0x300 && c < 0x370) || (c >= 0x200b && c <= 0x200f)) continue;
      if (c >= 0xfe00 && c <= 0xfe0f) continue;
      const wide =
        (c >= 0x1100 && c <= 0x115f) ||
        (c >= 0x2e80 && c <= 0xa4cf && c !== 0x303f) ||
        (c >= 0xac00 && c <= 0xd7a3) ||
        (c >= 0xf900 && c <= 0xfaff) ||
        (c >= 0xfe30 && c <= 0xfe4f) ||
        (c >= 0xff00 && c <= 0xff60) ||
        (c >= 0xffe0 && c <= 0xffe6) ||
        (c >= 0x1f300 && c <= 0x1f64f) ||
        (c >= 0x1f900 && c <= 0x1f9ff) ||
        (c >= 0x20000 && c <= 0x3fffd);
      width += wide ? 2 : 1;
    }
    return width;
  };

  // ---- readable rendering: Node's util.inspect, the parts an acorn meets ---------------------------------------

  const HEX = '0123456789ABCDEF';
  const MAX_STRING = 10000; // Node's maxStringLength

  /** Node's key rule: identifiers of ASCII letters, digits and `_` go bare, anything else is quoted. */
  const identifierLike = (key) => {
    if (key.length === 0) return false;
    for (let i = 0; i < key.length; i++) {
      const c = StringCharCodeAt(key, i);
      const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
      if (!letter && !(i > 0 && c >= 48 && c <= 57)) return false;
    }
    return true;
  };

  /** A string as Node quotes it: single quotes unless the string holds some and no double (then backticks). */
  const quote = (s) => {
    const hasSingle = includes(s, "'");
    let q = "'";
    if (hasSingle) {
      if (!includes(s, '"')) q = '"';
      else if (!includes(s, '`') && !includes(s, '${')) q = '`';
    }
    const qc = StringCharCodeAt(q, 0);
    const length = MathMin(s.length, MAX_STRING);
    let out = q;
    for (let i = 0; i < length; i++) {
      const c = StringCharCodeAt(s, i);
      if (c === qc) out += `\\${q}`;
      else if (c === 92) out += '\\\\';
      else if (c === 10) out += '\\n';
      else if (c === 9) out += '\\t';
      else if (c === 13) out += '\\r';
      else if (c === 8) out += '\\b';
      else if (c === 12) out += '\\f';
      else if (c < 32 || c === 127) out += `\\x${HEX[c >> 4]}${HEX[c & 15]}`;
      else out += s[i];
    }
    out += q;
    const rest = s.length - length;
    return rest > 0 ? `${out}... ${rest} more character${rest > 1 ? 's' : ''}` : out;
  };

  const protoChainHas = (value, proto) => {
    let p = value;
    for (let i = 0; i < 100; i++) {
      p = ObjectGetPrototypeOf(p);
      if (p === null) return false;
      if (p === proto) return true;
    }
    return false;
  };

  const brand = (check, value) => {
    try {
      check(value);
      return true;
    } catch {
      return false;
    }
  };

  /** A data property found along the prototype chain, without calling anything; undefined for accessors. */
  const dataLookup = (value, key) => {
    let o = value;
    for (let i = 0; i < 100 && o !== null; i++) {
      const d = ObjectGetOwnPropertyDescriptor(o, key);
      if (d !== undefined) return 'value' in d ? d : undefined;
      o = ObjectGetPrototypeOf(o);
    }
    return undefined;
  };

  const functionName = (fn) => {
    const d = ObjectGetOwnPropertyDescriptor(fn, 'name');
    return d && typeof d.value === 'string' ? d.value : '';
  };

  /** The name of the constructor that made `value` (null for a null prototype), as Node finds it. */
  const constructorName = (value) => {
    let proto = ObjectGetPrototypeOf(value);
    if (proto === null) return null;
    for (let i = 0; i < 100 && proto !== null; i++) {
      const d = ObjectGetOwnPropertyDescriptor(proto, 'constructor');
      if (d && typeof d.value === 'function') {
        const name = functionName(d.value);
        if (name !== '') return name;
      }
      proto = ObjectGetPrototypeOf(proto);
    }
    return '';
  };

  /** `Symbol.toStringTag`, when inherited or not enumerable (Node shows an own enumerable one as a key instead). */
  const toStringTag = (value, ctor) => {
    const own = ObjectGetOwnPropertyDescriptor(value, SymbolToStringTag);
    if (own?.enumerable) return '';
    const d = own ?? dataLookup(value, SymbolToStringTag);
    const tag = d && 'value' in d ? d.value : undefined;
    return typeof tag === 'string' && tag !== ctor ? tag : '';
  };

  /** Node's getPrefix: `Foo(2) [Map] `, `[Object: null prototype] `. */
  const prefixOf = (ctor, tag, fallback, size = '') => {
    if (ctor === '') return prefixOf(fallback, tag, fallback, size); // no constructor name found anywhere
    if (ctor === null) {
      if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
      return `[${fallback}${size}: null prototype] `;
    }
    if (tag !== '' && ctor !== tag) return `${ctor}${size} [${tag}] `;
    return `${ctor}${size} `;
  };

  const formatNumber = (n) => (ObjectIs(n, -0) ? '-0' : StringCtor(n));

  const formatPrimitive = (value, quoteStrings) => {
    switch (typeof value) {
      case 'string':
        return quoteStrings ? quote(value) : value;
      case 'number':
        return formatNumber(value);
      case 'bigint':
        return `${value}n`;
      case 'symbol':
        return SymbolToString(value);
      default:
        return StringCtor(value);
    }
  };

  const isClass = (fn) => {
    let source = '';
    try {
      source = FunctionToString(fn);
    } catch {}
    const next = StringCharCodeAt(source, 5);
    return StringSlice(source, 0, 5) === 'class' && (next === 32 || next === 123);
  };

  /** Node's base text of a function: `[Function: f]`, `[AsyncFunction (anonymous)]`, `[class A extends B]`. */
  const functionBase = (fn, ctor, tag) => {
    const name = functionName(fn);
    if (isClass(fn)) {
      let base = `class ${name || '(anonymous)'}`;
      if (ctor !== 'Function' && ctor !== null) base += ` [${ctor}]`;
      if (tag !== '' && ctor !== tag) base += ` [${tag}]`;
      if (ctor === null) base += ' extends [null prototype]';
      else {
        const parent = ObjectGetPrototypeOf(fn);
        const superName = parent !== null && parent !== FunctionPrototype ? functionName(parent) : '';
        if (superName) base += ` extends ${superName}`;
      }
      return `[${base}]`;
    }
    let type = 'Function';
    if (protoChainHas(fn, GeneratorFunctionPrototype)) type = 'GeneratorFunction';
    else if (protoChainHas(fn, AsyncGeneratorFunctionPrototype)) type = 'AsyncGeneratorFunction';
    else if (protoChainHas(fn, AsyncFunctionPrototype)) type = 'AsyncFunction';
    let base = `[${type}`;
    if (ctor === null) base += ' (null prototype)';
    base += name === '' ? ' (anonymous)' : `: ${name}`;
    base += ']';
    if (ctor !== type && ctor !== null && ctor !== 'Function') base += ` ${ctor}`;
    if (tag !== '' && ctor !== tag) base += ` [${tag}]`;
    return base;
  };

  // ---- errors: their stack, with our own frames taken out -------------------------------------------------------

  const isFrame = (line) => {
    let i = 0;
    while (i < line.length && line[i] === ' ') i++;
    return i > 0 && StringSlice(line, i, i + 3) === 'at ';
  };

  /** Drops the frames of this file and of isolated-vm's boundary: the acorn's own frames are what it needs. */
  const trimStack = (stack) => {
    let out = '';
    let first = true;
    for (let from = 0; from <= stack.length; ) {
      let to = StringIndexOf(stack, '\n', from);
      if (to === -1) to = stack.length;
      const line = StringSlice(stack, from, to);
      const ours = isFrame(line) && (includes(line, ownFilename) || includes(line, '<isolated-vm boundary>'));
      if (!ours) {
        out += (first ? '' : '\n') + line;
        first = false;
      }
      from = to + 1;
    }
    return out;
  };

  /** The stack v8 made for an error, read without running acorn code; undefined when that cannot be done. */
  const errorStack = (err) => {
    const d = ObjectGetOwnPropertyDescriptor(err, 'stack');
    if (d === undefined) return undefined;
    if ('value' in d) return typeof d.value === 'string' ? d.value : undefined;
    if (d.get === undefined || d.get !== nativeStackGet) return undefined;
    // v8 reads `name` (not `message`) the first time it formats the stack: only when that is plain data.
    if (dataLookup(err, 'name') === undefined) return undefined;
    try {
      const stack = NativeStackGetter(err);
      return typeof stack === 'string' ? stack : undefined;
    } catch {
      return undefined;
    }
  };

  /** `Name: message` and the trimmed stack, from data properties only. */
  const errorParts = (err, ctor) => {
    const nameD = dataLookup(err, 'name');
    const messageD = dataLookup(err, 'message');
    const name = nameD && typeof nameD.value === 'string' ? nameD.value : ctor || 'Error';
    const message = messageD && typeof messageD.value === 'string' ? messageD.value : '';
    const raw = errorStack(err);
    const stack = raw === undefined ? (message ? `${name}: ${message}` : name) : trimStack(raw);
    const firstLine = StringIndexOf(stack, '\n');
    const title = firstLine === -1 ? stack : StringSlice(stack, 0, firstLine);
    return { __proto__: null, stack, hasFrames: includes(stack, '\n    at '), title };
  };

  /** Node leaves out an error's own `name`, `message` and `stack` keys when the stack already says them. */
  const withoutDuplicates = (err, keys, stack) => {
    let kept = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i].key;
      if (key === 'name' || key === 'message' || key === 'stack') {
        const d = ObjectGetOwnPropertyDescriptor(err, key);
        if (d && typeof d.value === 'string' && includes(stack, d.value)) continue;
      }
      keys[kept++] = keys[i];
    }
    keys.length = kept;
  };

  const indentLines = (text, spaces) => {
    if (spaces === 0 || !includes(text, '\n')) return text;
    const pad = StringRepeat(' ', spaces);
    let out = '';
    let from = 0;
    for (let at = StringIndexOf(text, '\n'); at !== -1; at = StringIndexOf(text, '\n', from)) {
      out += `${StringSlice(text, from, at)}\n${pad}`;
      from = at + 1;
    }
    return out + StringSlice(text, from);
  };

  // ---- what kind of object a value is -------------------------------------------------------------------------

  const ARRAY = 1;
  const TYPED = 2;
  const MAP = 3;
  const SET = 4;
  const PLAIN = 5;
  const FUNCTION = 6;
  const ERROR = 7;
  const DATE = 8;
  const REGEXP = 9;
  const PROMISE = 10;
  const WEAK = 11;
  const BOXED = 12;
  const BUFFER = 13;

  const boxedBase = (value, ctor, tag) => {
    let type;
    let inner;
    if (brand(NumberValueOf, value)) {
      type = 'Number';
      inner = formatNumber(NumberValueOf(value));
    } else if (brand(StringValueOf, value)) {
      type = 'String';
      inner = quote(StringValueOf(value));
    } else if (brand(BooleanValueOf, value)) {
      type = 'Boolean';
      inner = StringCtor(BooleanValueOf(value));
    } else if (brand(BigIntValueOf, value)) {
      type = 'BigInt';
      inner = `${BigIntValueOf(value)}n`;
    } else if (brand(SymbolValueOf, value)) {
      type = 'Symbol';
      inner = SymbolToString(SymbolValueOf(value));
    } else return undefined;
    let base = `[${type}`;
    if (type !== ctor) base += ctor === null ? ' (null prototype)' : ` (${ctor})`;
    base += `: ${inner}]`;
    if (tag !== '' && tag !== ctor) base += ` [${tag}]`;
    return base;
  };

  // Which built-in an object may be, from the first built-in prototype on its chain: only that one brand check then
  // runs. A failed brand check throws, and v8 gives every error a stack trace: trying them all, one after another,
  // made logging an object ~5 times slower. (An object whose prototype was swapped away from its kind's, e.g. a Map
  // with a null prototype, is shown as a plain object.)
  const HINTS = new MapCtor();
  MapSet(HINTS, Map.prototype, MAP);
  MapSet(HINTS, Set.prototype, SET);
  MapSet(HINTS, ErrorPrototype, ERROR);
  MapSet(HINTS, Date.prototype, DATE);
  MapSet(HINTS, RegExp.prototype, REGEXP);
  MapSet(HINTS, PromisePrototype, PROMISE);
  MapSet(HINTS, WeakMap.prototype, WEAK);
  MapSet(HINTS, WeakSet.prototype, WEAK);
  MapSet(HINTS, ArrayBuffer.prototype, BUFFER);
  for (const proto of [Number.prototype, String.prototype, Boolean.prototype, Symbol.prototype, BigInt.prototype]) {
    MapSet(HINTS, proto, BOXED);
  }
  const kindHint = (value) => {
    let p = value;
    for (let i = 0; i < 100; i++) {
      p = ObjectGetPrototypeOf(p);
      if (p === null) return PLAIN;
      const kind = MapGet(HINTS, p);
      if (kind !== undefined) return kind;
    }
    return PLAIN;
  };

  /**
   * What `value` (an object or function) is and how Node opens it: `kind`, `open`/`close` braces, `base` (text
   * before the braces: a function, error, date…), `size` (elements of an array, entries of a Map/Set).
   */
  const describe = (value) => {
    const ctor = constructorName(value);
    const tag = toStringTag(value, ctor);
    const d = { __proto__: null, kind: PLAIN, ctor, tag, open: '{', close: '}', base: '', size: 0, label: '' };
    const opens = (fallback, size) => {
      const prefix = prefixOf(ctor, tag, fallback, size);
      d.open = `${prefix}{`;
      d.label = StringSlice(prefix, 0, -1);
    };
    if (typeof value === 'function') {
      d.kind = FUNCTION;
      d.base = functionBase(value, ctor, tag);
      d.label = d.base;
      return d;
    }
    if (ArrayIsArray(value)) {
      d.kind = ARRAY;
      d.size = value.length;
      const prefix = ctor !== 'Array' || tag !== '' ? prefixOf(ctor, tag, 'Array', `(${d.size})`) : '';
      d.open = `${prefix}[`;
      d.close = ']';
      d.label = prefix === '' ? `Array(${d.size})` : StringSlice(prefix, 0, -1);
      return d;
    }
    if (ArrayBufferIsView(value) && brand(TypedArrayLength, value)) {
      d.kind = TYPED;
      d.size = TypedArrayLength(value);
      const prefix = prefixOf(ctor, tag, tag || 'TypedArray', `(${d.size})`);
      d.open = `${prefix}[`;
      d.close = ']';
      d.label = StringSlice(prefix, 0, -1);
      return d;
    }
    const hint = kindHint(value);
    if (hint === MAP && brand(MapSize, value)) {
      d.kind = MAP;
      d.size = MapSize(value);
      opens('Map', `(${d.size})`);
    } else if (hint === SET && brand(SetSize, value)) {
      d.kind = SET;
      d.size = SetSize(value);
      opens('Set', `(${d.size})`);
    } else if (hint === ERROR) {
      d.kind = ERROR;
    } else if (hint === DATE && brand(DateGetTime, value)) {
      d.kind = DATE;
      d.base = NumberIsFinite(DateGetTime(value)) ? DateToISOString(value) : 'Invalid Date';
      d.label = d.base;
    } else if (hint === REGEXP && brand(RegExpSource, value)) {
      d.kind = REGEXP;
      d.base = `/${RegExpSource(value)}/${RegExpFlags(value)}`;
      d.label = d.base;
    } else if (hint === PROMISE) {
      d.kind = PROMISE;
      opens('Promise');
    } else if (hint === WEAK && (brand((v) => WeakMapHas(v, d), value) || brand((v) => WeakSetHas(v, d), value))) {
      d.kind = WEAK;
      const prefix = prefixOf(ctor, tag, brand((v) => WeakMapHas(v, d), value) ? 'WeakMap' : 'WeakSet');
      d.base = `${prefix}{ <items unknown> }`;
      d.label = d.base;
    } else if (hint === BUFFER && brand(ArrayBufferByteLength, value)) {
      d.kind = BUFFER;
      d.size = ArrayBufferByteLength(value);
      opens('ArrayBuffer');
    } else if (hint === BOXED && boxedBase(value, ctor, tag) !== undefined) {
      d.kind = BOXED;
      d.base = boxedBase(value, ctor, tag);
      d.label = d.base;
    } else {
      const prefix = (ctor === 'Object' || ctor === '') && tag === '' ? '' : prefixOf(ctor, tag, 'Object');
      d.open = `${prefix}{`;
      d.label = prefix === '' ? 'Object' : StringSlice(prefix, 0, -1);
    }
    return d;
  };

  /** Own enumerable keys (strings, then symbols) as Node shows them, beside their descriptors. */
  const ownEntries = (value, kind) => {
    const keys = list();
    if (kind === ARRAY || kind === TYPED) return keys;
    const names = ObjectKeys(value);
    const isString = kind === BOXED && brand(StringValueOf, value);
    for (let i = 0; i < names.length; i++) {
      const key = names[i];
      if (isString && NumberIsFinite(+key)) continue; // a String object's characters
      push(keys, { __proto__: null, label: identifierLike(key) ? key : quote(key), key });
    }
    const symbols = ObjectGetOwnPropertySymbols(value);
    for (let i = 0; i < symbols.length; i++) {
      const d = ObjectGetOwnPropertyDescriptor(value, symbols[i]);
      if (d?.enumerable) push(keys, { __proto__: null, label: SymbolToString(symbols[i]), key: symbols[i] });
    }
    return keys;
  };

  const accessorText = (d) => {
    if (d.get && d.set) return '[Getter/Setter]';
    return d.get ? '[Getter]' : '[Setter]';
  };

  const bufferContents = (buffer, size) => {
    const shown = MathMin(size, 100);
    let bytes;
    try {
      bytes = new Uint8ArrayCtor(buffer, 0, shown);
    } catch {
      return '<detached>';
    }
    let out = '<';
    for (let i = 0; i < shown; i++) out += `${i === 0 ? '' : ' '}${HEX[bytes[i] >> 4]}${HEX[bytes[i] & 15]}`;
    if (size > shown) out += ` ... ${size - shown} more byte${size - shown > 1 ? 's' : ''}`;
    return `${out}>`;
  };

  // ---- promises: their state, learnt the one way JavaScript allows ----------------------------------------------
  //
  // A promise's state cannot be read from JavaScript. When one is logged, a reaction is attached with the `then`
  // captured above, then a marker reaction on a promise already resolved. Jobs run in order: if the logged promise
  // was settled when it was logged, its reaction was queued first and runs before the marker; if it was pending,
  // the marker runs first. The text is completed when the host reads the logs (after the microtasks of its call).
  // `then` would call acorn code through `constructor` and `Symbol.species` if either was replaced, or for a
  // subclass: such promises are shown as `<unknown>`.

  const PLACEHOLDER_OPEN = '\uE000';
  const PLACEHOLDER_CLOSE = '\uE001';
  const nonce = NumberToString(MathFloor(MathRandom() * 2 ** 52), 36);
  let slotSeq = 0;
  let slotsLeft = 10000;

  const trackable = (p) => {
    if (ObjectGetPrototypeOf(p) !== PromisePrototype) return false;
    if (ObjectGetOwnPropertyDescriptor(p, 'constructor') !== undefined) return false;
    const c = ObjectGetOwnPropertyDescriptor(PromisePrototype, 'constructor');
    if (c === undefined || c.value !== PromiseCtor) return false;
    const s = ObjectGetOwnPropertyDescriptor(PromiseCtor, SymbolSpecies);
    return s !== undefined && s.get === PromiseSpeciesGetter;
  };

  /** A promise seen in a log entry: 0 unknown, 1 fulfilled, 2 rejected; `checked` once the marker ran. */
  const newSlot = (promise) => {
    const slot = {
      __proto__: null,
      id: ++slotSeq,
      promise,
      state: 0,
      seen: 0,
      value: undefined,
      checked: false,
      ok: false,
    };
    if (slotsLeft <= 0 || !trackable(promise)) return slot;
    try {
      PromisePrototypeThen(
        promise,
        (v) => {
          slot.state = 1;
          slot.value = v;
        },
        (e) => {
          slot.state = 2;
          slot.value = e;
        },
      );
      slot.ok = true;
      slotsLeft--;
    } catch {}
    return slot;
  };

  /**
   * A resolved promise of our own whose `then` asks nothing of the acorn: `then` looks up `constructor` and then
   * `Promise[Symbol.species]` (an acorn may have replaced either); an own `constructor` of undefined skips both.
   */
  const resolvedPromise = () => {
    const p = PromiseResolve();
    ObjectDefineProperty(p, 'constructor', { __proto__: null, value: undefined });
    return p;
  };

  /** The state each promise had when logged: what its reaction had recorded when the marker ran. */
  const markSlots = (slots) => {
    if (slots.length === 0) return;
    PromisePrototypeThen(resolvedPromise(), () => {
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i];
        slot.checked = true;
        slot.seen = slot.state;
      }
      if (live !== undefined) deliver();
    });
  };

  // ---- text -----------------------------------------------------------------------------------------------------

  /**
   * One rendering's state: the ancestors (for [Circular *n]), the circular targets found, the room left, Node's
   * options that apply (`depth`, `maxArrayLength`, `breakLength`), the deepest level entered last (Node's
   * `currentDepth`), and where promises go (`slots`: a list to add placeholders to; `known`: promise → slot).
   */
  const textState = (room, options) => ({
    __proto__: null,
    ancestors: new MapCtor(),
    circular: new MapCtor(),
    room,
    depth: options?.depth ?? 2,
    arrayLimit: options?.arrayLimit ?? 100,
    breakLength: options?.breakLength ?? 80,
    quoteStrings: options?.quoteStrings ?? false,
    currentDepth: 0,
    slots: options?.slots ?? null,
    known: options?.known ?? null,
  });

  const uninspectable = (e) => {
    const message = isObject(e) ? ObjectGetOwnPropertyDescriptor(e, 'message') : undefined;
    const revoked = message && typeof message.value === 'string' && includes(message.value, 'revoked');
    return revoked ? '<Revoked Proxy>' : '[Uninspectable]';
  };

  const formatValue = (value, level, state) => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
      return formatPrimitive(value, level > 0 || state.quoteStrings);
    }
    if (MapHas(state.ancestors, value)) {
      let n = MapGet(state.circular, value);
      if (n === undefined) {
        n = MapSize(state.circular) + 1;
        MapSet(state.circular, value, n);
      }
      return `[Circular *${n}]`;
    }
    let text;
    try {
      text = formatRaw(value, level, state);
    } catch (e) {
      // A revoked Proxy, a trap that throws, a stack too deep to look further: say so, and let the log go on.
      text = uninspectable(e);
    }
    const n = MapGet(state.circular, value);
    if (n !== undefined) text = `<ref *${n}> ${text}`;
    return text;
  };

  /** A promise as Node shows it (`Promise { 1 }`), or only its state (`1`, `<pending>`) when `open` is undefined. */
  const promiseText = (slot, open, level, state) => {
    let inner;
    if (!slot.ok || !slot.checked) inner = '<unknown>';
    else if (slot.seen === 0) inner = '<pending>';
    else {
      const sub = textState(MathMax(0, state.room), state);
      sub.slots = null;
      sub.known = null;
      const shown = formatValue(slot.value, level + 1, sub);
      state.currentDepth = MathMax(state.currentDepth, sub.currentDepth);
      inner = slot.seen === 2 ? `<rejected> ${shown}` : shown;
    }
    if (open === undefined) return inner;
    const entries = list();
    push(entries, inner);
    return reduce(state, entries, '', open, '}', false, level, false);
  };

  const formatRaw = (value, level, state) => {
    const d = describe(value);
    const kind = d.kind;
    const keys = ownEntries(value, kind);
    let base = d.base;
    if (kind === ERROR) {
      const parts = errorParts(value, d.ctor);
      withoutDuplicates(value, keys, parts.stack);
      base = parts.hasFrames ? parts.stack : `[${parts.stack}]`;
      base = indentLines(base, level * 2);
      // Node shows `cause` (own, usually not enumerable) as `[cause]`.
      const cause = ObjectGetOwnPropertyDescriptor(value, 'cause');
      if (cause && !cause.enumerable) push(keys, { __proto__: null, label: '[cause]', key: 'cause' });
    }
    if (keys.length === 0) {
      if (kind === FUNCTION || kind === ERROR || kind === DATE || kind === REGEXP || kind === WEAK || kind === BOXED) {
        return base;
      }
      if ((kind === ARRAY || kind === TYPED) && d.size === 0) return `${d.open}]`;
      if ((kind === MAP || kind === SET || kind === PLAIN) && d.size === 0) return `${d.open}}`;
    }
    if (level > state.depth) {
      if (kind === ARRAY) return '[Array]';
      const name = StringSlice(prefixOf(d.ctor, d.tag, 'Object'), 0, -1);
      return d.ctor === null ? name : `[${name}]`;
    }
    // A promise without keys of its own is one placeholder for the whole text; with keys, for its state only.
    const promiseState = (open) => {
      if (state.known !== null && MapHas(state.known, value))
        return promiseText(MapGet(state.known, value), open, level, state);
      if (state.slots === null) return open === undefined ? '<unknown>' : `${open} <unknown> }`;
      const slot = newSlot(value);
      slot.level = level;
      slot.open = open;
      slot.depth = state.depth;
      push(state.slots, slot);
      return `${PLACEHOLDER_OPEN}${nonce}:${slot.id}${PLACEHOLDER_CLOSE}`;
    };
    if (kind === PROMISE && keys.length === 0) return promiseState(d.open);

    MapSet(state.ancestors, value, true);
    state.currentDepth = level;
    const out = list();
    let numeric = kind === ARRAY || kind === TYPED;
    let more = false;
    const add = (entry) => {
      state.room -= entry.length + 2;
      push(out, entry);
      return state.room > 0;
    };
    const child = (v) => formatValue(v, level + 1, state);
    try {
      if (kind === ARRAY || kind === TYPED) {
        let i = 0;
        for (let shown = 0; i < d.size && shown < state.arrayLimit; shown++) {
          const p = ObjectGetOwnPropertyDescriptor(value, i);
          let text;
          if (p === undefined) {
            let holes = 1;
            while (i + holes < d.size && ObjectGetOwnPropertyDescriptor(value, i + holes) === undefined) holes++;
            i += holes;
            numeric = false;
            text = `<${holes} empty item${holes > 1 ? 's' : ''}>`;
          } else {
            i++;
            if ('value' in p) {
              if (typeof p.value !== 'number' && typeof p.value !== 'bigint') numeric = false;
              text = child(p.value);
            } else {
              numeric = false;
              text = accessorText(p);
            }
          }
          if (!add(text)) break;
        }
        const rest = d.size - i;
        if (rest > 0) {
          push(out, `... ${rest} more item${rest > 1 ? 's' : ''}`);
          more = true;
        }
      } else if (kind === MAP) {
        const it = MapEntries(value);
        let shown = 0;
        for (let step = MapIteratorNext(it); !step.done && shown < state.arrayLimit; step = MapIteratorNext(it)) {
          shown++;
          if (!add(`${child(step.value[0])} => ${child(step.value[1])}`)) break;
        }
        if (d.size > shown) {
          push(out, `... ${d.size - shown} more item${d.size - shown > 1 ? 's' : ''}`);
          more = true;
        }
      } else if (kind === SET) {
        const it = SetValues(value);
        let shown = 0;
        for (let step = SetIteratorNext(it); !step.done && shown < state.arrayLimit; step = SetIteratorNext(it)) {
          shown++;
          if (!add(child(step.value))) break;
        }
        if (d.size > shown) {
          push(out, `... ${d.size - shown} more item${d.size - shown > 1 ? 's' : ''}`);
          more = true;
        }
      } else if (kind === BUFFER) {
        add(`[Uint8Contents]: ${bufferContents(value, d.size)}`);
        add(`[byteLength]: ${d.size}`);
      } else if (kind === PROMISE) {
        add(promiseState(undefined));
      }
      let shownKeys = 0;
      for (let i = 0; i < keys.length && state.room > 0; i++) {
        const key = keys[i];
        const p = ObjectGetOwnPropertyDescriptor(value, key.key);
        if (p === undefined) continue;
        if (shownKeys >= 100) {
          push(out, `... ${keys.length - i} more propert${keys.length - i > 1 ? 'ies' : 'y'}`);
          break;
        }
        shownKeys++;
        if (!add(`${key.label}: ${'value' in p ? child(p.value) : accessorText(p)}`)) break;
      }
    } finally {
      MapDelete(state.ancestors, value);
    }
    const isArrayLike = kind === ARRAY || kind === TYPED;
    return reduce(state, out, base, d.open, d.close, isArrayLike, level, numeric, more);
  };

  /** Node's reduceToSingleString (compact mode 3), with groupArrayElements for arrays of more than 6 entries. */
  const reduce = (state, out, base, open, close, isArrayLike, level, numeric, more) => {
    const indentation = level * 2;
    const entries = out.length;
    let output = out;
    if (isArrayLike && entries > 6) output = groupArrayElements(state, out, indentation, numeric, more);
    if (state.currentDepth - level < 3 && entries === output.length) {
      const start = output.length + indentation + open.length + base.length + 10;
      if (belowBreakLength(state, output, start, base)) {
        const joined = joinList(output, ', ');
        if (!includes(joined, '\n')) return `${base ? `${base} ` : ''}${open} ${joined} ${close}`;
      }
    }
    const pad = `\n${StringRepeat(' ', indentation)}`;
    return `${base ? `${base} ` : ''}${open}${pad}  ${joinList(output, `,${pad}  `)}${pad}${close}`;
  };

  const belowBreakLength = (state, output, start, base) => {
    let total = output.length + start;
    if (total + output.length > state.breakLength) return false;
    for (let i = 0; i < output.length; i++) {
      total += output[i].length;
      if (total > state.breakLength) return false;
    }
    return base === '' || !includes(base, '\n');
  };

  const groupArrayElements = (state, output, indentation, numeric, more) => {
    let totalLength = 0;
    let maxLength = 0;
    const outputLength = more ? output.length - 1 : output.length;
    const separatorSpace = 2;
    const dataLen = list();
    for (let i = 0; i < outputLength; i++) {
      const len = output[i].length;
      dataLen[i] = len;
      totalLength += len + separatorSpace;
      if (maxLength < len) maxLength = len;
    }
    const actualMax = maxLength + separatorSpace;
    if (actualMax * 3 + indentation < state.breakLength && (totalLength / actualMax > 5 || maxLength <= 6)) {
      const averageBias = MathSqrt(actualMax - totalLength / output.length);
      const biasedMax = MathMax(actualMax - 3 - averageBias, 1);
      const columns = MathMin(
        MathRound(MathSqrt(2.5 * biasedMax * outputLength) / biasedMax),
        MathFloor((state.breakLength - indentation) / actualMax),
        12,
        15,
      );
      if (columns <= 1) return output;
      const grouped = list();
      const maxLineLength = list();
      for (let i = 0; i < columns; i++) {
        let lineLength = 0;
        for (let j = i; j < output.length; j += columns) if (dataLen[j] > lineLength) lineLength = dataLen[j];
        push(maxLineLength, lineLength + separatorSpace);
      }
      for (let i = 0; i < outputLength; i += columns) {
        const max = MathMin(i + columns, outputLength);
        let str = '';
        let j = i;
        for (; j < max - 1; j++) {
          const cell = `${output[j]}, `;
          str += numeric
            ? StringPadStart(cell, maxLineLength[j - i], ' ')
            : StringPadEnd(cell, maxLineLength[j - i], ' ');
        }
        str += numeric ? StringPadStart(output[j], maxLineLength[j - i] - separatorSpace, ' ') : output[j];
        push(grouped, str);
      }
      if (more) push(grouped, output[outputLength]);
      return grouped;
    }
    return output;
  };

  /** The first `length` characters of `text`, without a promise's placeholder cut in half. */
  const cut = (text, length) => {
    const part = StringSlice(text, 0, length);
    const open = StringLastIndexOf(part, PLACEHOLDER_OPEN);
    return open !== -1 && StringIndexOf(part, PLACEHOLDER_CLOSE, open) === -1 ? StringSlice(part, 0, open) : part;
  };

  /** Renders a value as text, cut at `room` characters. */
  const render = (value, room, options) => {
    const state = textState(room, options);
    const text = formatValue(value, 0, state);
    return text.length > room ? `${cut(text, MathMax(0, room))}…` : text;
  };

  // ---- the same as a tree the SPA can expand (InspectedValue in @squirrelbin/schemas) ---------------------------

  const TREE_DEPTH = 6;
  const TREE_ENTRIES = 100;
  const TREE_STRING = 1000;
  let treeNodesLeft = 2000;

  const leaf = (text) => {
    treeNodesLeft--;
    return { __proto__: null, kind: 'primitive', text };
  };
  const branch = (label) => {
    treeNodesLeft--;
    return { __proto__: null, kind: 'object', label, entries: list(), more: 0, ref: false };
  };
  const entry = (key, value) => ({ __proto__: null, key, value });

  const primitiveText = (value) => {
    if (typeof value === 'string' && value.length > TREE_STRING) {
      const rest = value.length - TREE_STRING;
      return `${quote(StringSlice(value, 0, TREE_STRING))}... ${rest} more character${rest > 1 ? 's' : ''}`;
    }
    return formatPrimitive(value, true);
  };

  /** `ts`: ancestors (value → node, for circular references), the circular count, and the entry's promise slots. */
  const tree = (value, level, ts) => {
    try {
      return treeOf(value, level, ts);
    } catch (e) {
      return leaf(uninspectable(e));
    }
  };

  const treeOf = (value, level, ts) => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return leaf(primitiveText(value));
    const seen = MapGet(ts.ancestors, value);
    if (seen !== undefined) {
      if (seen.refId === undefined) {
        seen.refId = ++ts.circular;
        seen.label = `<ref *${seen.refId}> ${seen.label}`;
      }
      const node = branch(`[Circular *${seen.refId}]`);
      node.ref = true;
      return node;
    }
    const d = describe(value);
    const kind = d.kind;
    const keys = ownEntries(value, kind);
    let label = d.label;
    let errorStackText;
    if (kind === ERROR) {
      const parts = errorParts(value, d.ctor);
      withoutDuplicates(value, keys, parts.stack);
      label = parts.title;
      errorStackText = parts.stack;
      const cause = ObjectGetOwnPropertyDescriptor(value, 'cause');
      if (cause && !cause.enumerable) push(keys, { __proto__: null, label: '[cause]', key: 'cause' });
    }
    if (keys.length === 0 && kind !== ERROR) {
      if (kind === FUNCTION || kind === DATE || kind === REGEXP || kind === WEAK || kind === BOXED) return leaf(label);
    }
    if (level >= TREE_DEPTH || treeNodesLeft <= 0) {
      return leaf(kind === ARRAY ? '[Array]' : `[${StringSlice(prefixOf(d.ctor, d.tag, 'Object'), 0, -1)}]`);
    }
    const node = branch(label);
    MapSet(ts.ancestors, value, node);
    const entries = node.entries;
    let total = 0; // entries other than an array's elements, to count those left out
    const atCap = () => entries.length >= TREE_ENTRIES || treeNodesLeft <= 0;
    const child = (v) => tree(v, level + 1, ts);
    try {
      if (kind === ARRAY || kind === TYPED) {
        let i = 0;
        while (i < d.size && !atCap()) {
          const p = ObjectGetOwnPropertyDescriptor(value, i);
          if (p === undefined) {
            let holes = 1;
            while (i + holes < d.size && ObjectGetOwnPropertyDescriptor(value, i + holes) === undefined) holes++;
            push(entries, entry(undefined, leaf(`<${holes} empty item${holes > 1 ? 's' : ''}>`)));
            i += holes;
            continue;
          }
          push(entries, entry(StringCtor(i), 'value' in p ? child(p.value) : leaf(accessorText(p))));
          i++;
        }
        node.more = d.size - i;
      } else if (kind === MAP) {
        total = d.size;
        const it = MapEntries(value);
        for (let step = MapIteratorNext(it); !step.done && !atCap(); step = MapIteratorNext(it)) {
          const key = render(step.value[0], 200, {
            __proto__: null,
            depth: 0,
            breakLength: Infinity,
            quoteStrings: true,
          });
          push(entries, entry(key, child(step.value[1])));
        }
      } else if (kind === SET) {
        total = d.size;
        const it = SetValues(value);
        for (let step = SetIteratorNext(it); !step.done && !atCap(); step = SetIteratorNext(it)) {
          push(entries, entry(undefined, child(step.value)));
        }
      } else if (kind === BUFFER) {
        push(entries, entry('[Uint8Contents]', leaf(bufferContents(value, d.size))));
        push(entries, entry('[byteLength]', leaf(StringCtor(d.size))));
      } else if (kind === PROMISE) {
        const slot = ts.slots === null ? undefined : newSlot(value);
        if (slot !== undefined) {
          slot.node = node;
          push(ts.slots, slot);
        } else {
          push(entries, entry(undefined, leaf('<unknown>')));
        }
      }
      total += keys.length;
      for (let i = 0; i < keys.length && !atCap(); i++) {
        const p = ObjectGetOwnPropertyDescriptor(value, keys[i].key);
        if (p === undefined) {
          total--;
          continue;
        }
        push(entries, entry(keys[i].label, 'value' in p ? child(p.value) : leaf(accessorText(p))));
      }
      if (errorStackText !== undefined) push(entries, entry('[stack]', leaf(errorStackText)));
    } finally {
      MapDelete(ts.ancestors, value);
    }
    const shown = entries.length - (errorStackText !== undefined ? 1 : 0);
    if (kind !== ARRAY && kind !== TYPED && kind !== PROMISE && kind !== BUFFER && total > shown) {
      node.more = total - shown;
    }
    return node;
  };

  /** Fills in a promise's node once its state is known (when the host reads the logs). */
  const settleTree = (slot) => {
    const node = slot.node;
    if (!slot.ok || !slot.checked) {
      push(node.entries, entry(undefined, leaf('<unknown>')));
    } else if (slot.seen === 0) {
      push(node.entries, entry(undefined, leaf('<pending>')));
    } else {
      const ts = { __proto__: null, ancestors: new MapCtor(), circular: 0, slots: null };
      push(node.entries, entry(slot.seen === 2 ? '<rejected>' : undefined, tree(slot.value, 1, ts)));
    }
  };

  const treeJson = (node) => {
    if (node.kind === 'primitive') return `{"kind":"primitive","text":${JSONStringify(node.text)}}`;
    let entries = '';
    for (let i = 0; i < node.entries.length; i++) {
      const e = node.entries[i];
      entries += `${i === 0 ? '' : ','}{${e.key === undefined ? '' : `"key":${JSONStringify(e.key)},`}"value":${treeJson(e.value)}}`;
    }
    return `{"kind":"object","label":${JSONStringify(node.label)},"entries":[${entries}]${node.more > 0 ? `,"more":${node.more}` : ''}${node.ref ? ',"ref":true' : ''}}`;
  };

  // ---- JSON with a budget: JSON.stringify's semantics, but it stops at the cap instead of building a gigabyte ----

  const TOO_BIG = {};
  const NOT_JSON = {};

  const toJson = (root, limit = maxOutputChars) => {
    let out = '';
    const ancestors = new MapCtor();
    const emit = (s) => {
      out += s;
      if (out.length > limit) throw TOO_BIG;
    };
    const write = (key, value, depth) => {
      const kind = typeof value;
      if ((value !== null && (kind === 'object' || kind === 'function')) || kind === 'bigint') {
        const toJSON = value.toJSON;
        if (typeof toJSON === 'function') value = uncurry(toJSON)(value, key);
      }
      if (value === null) return emit('null');
      switch (typeof value) {
        case 'string':
          return emit(JSONStringify(value));
        case 'number':
          return emit(NumberIsFinite(value) ? StringCtor(value) : 'null');
        case 'boolean':
          return emit(value ? 'true' : 'false');
        case 'bigint':
          throw NOT_JSON;
        case 'object':
          break;
        default:
          return false;
      }
      if (MapHas(ancestors, value) || depth > 1000) throw NOT_JSON;
      MapSet(ancestors, value, true);
      if (ArrayBufferIsView(value) && brand(TypedArrayLength, value) && TypedArrayLength(value) * 6 > limit) {
        // A typed array is JSON as `{"0":…,"1":…}`, at least 6 characters an element: this one cannot fit, so say
        // so before Object.keys lists (and allocates) a million keys. Smaller ones take the object path below.
        throw TOO_BIG;
      }
      if (ArrayIsArray(value)) {
        emit('[');
        const length = value.length;
        for (let i = 0; i < length; i++) {
          if (i > 0) emit(',');
          if (write(StringCtor(i), value[i], depth + 1) === false) emit('null');
        }
        emit(']');
      } else {
        emit('{');
        const keys = ObjectKeys(value);
        let first = true;
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i];
          const mark = out.length;
          emit(`${first ? '' : ','}${JSONStringify(k)}:`);
          if (write(k, value[k], depth + 1) === false) out = StringSlice(out, 0, mark);
          else first = false;
        }
        emit('}');
      }
      MapDelete(ancestors, value);
      return true;
    };
    try {
      return write('', root, 0) === false ? { absent: true } : { json: out };
    } catch (e) {
      if (e === TOO_BIG) return { absent: true, truncated: true };
      if (e === NOT_JSON) return { absent: true };
      throw e;
    }
  };

  // ---- console --------------------------------------------------------------------------------------------------
  //
  // Caps: the messages of a run together ≤ maxOutputChars characters and ≤ maxLogEntries entries (as ever); the
  // structured parts (values, tables) of a run together ≤ maxOutputChars characters of JSON and ≤ 2000 tree nodes,
  // dropped from an entry (its text stays) when they do not fit.

  let startedAt = DateNow();
  const entries = list(); // entries not yet handed to the host
  // Live logs (a run whose caller asked for them): the host's callback, given to `start` and kept here only (the
  // acorn never sees it). Isolated-vm calls it on the host without waiting, so a loop that never yields still
  // delivers what it logged. `taken`: entries handed out so far (each report says where its own start); `sent`: the
  // JSON of entries already delivered live since the last report, which that report repeats so that the host's
  // result never depends on when the callbacks land.
  let live;
  let taken = 0;
  let reportFirst = 0;
  let sent = '';
  let countSent = 0;
  let logCount = 0;
  let logChars = 0;
  let structureChars = 0;
  let logsTruncated = false;
  let groupDepth = 0;

  const labelText = (label) => {
    if (label === undefined) return 'default';
    if (typeof label === 'symbol') return SymbolToString(label);
    return isObject(label) ? render(label, 200, { __proto__: null, depth: 0 }) : StringCtor(label);
  };

  /** Node's formatWithOptions: `%s %d %i %f %j %o %O %c %%`, then the remaining arguments. */
  const formatArgs = (args, room, slots) => {
    let out = '';
    let i = 0;
    const first = args[0];
    const text = (v, options) => render(v, MathMax(0, room - out.length), { __proto__: null, ...options, slots });
    if (typeof first === 'string' && args.length > 1 && includes(first, '%')) {
      i = 1;
      let last = 0;
      for (let p = StringIndexOf(first, '%'); p !== -1 && p + 1 < first.length; p = StringIndexOf(first, '%', p + 1)) {
        const c = first[p + 1];
        let piece;
        if (c === '%') piece = '%';
        else if (i < args.length && includes('sdifjoOc', c)) {
          const a = args[i++];
          if (c === 's') {
            if (typeof a === 'string') piece = a;
            else if (typeof a === 'bigint') piece = `${a}n`;
            else piece = text(a, { __proto__: null, depth: 0, quoteStrings: false });
          } else if (c === 'd')
            piece = typeof a === 'bigint' ? `${a}n` : isObject(a) || typeof a === 'symbol' ? 'NaN' : formatNumber(+a);
          else if (c === 'i') {
            piece =
              typeof a === 'bigint'
                ? `${a}n`
                : isObject(a) || typeof a === 'symbol'
                  ? 'NaN'
                  : formatNumber(NumberParseInt(StringCtor(a)));
          } else if (c === 'f')
            piece = typeof a === 'symbol' || isObject(a) ? 'NaN' : formatNumber(NumberParseFloat(StringCtor(a)));
          else if (c === 'j') piece = jsonForLog(a);
          else if (c === 'o') piece = text(a, { __proto__: null, depth: 4, quoteStrings: true });
          else if (c === 'O') piece = text(a, { __proto__: null, quoteStrings: true });
          else piece = ''; // %c: CSS, which a console without styles ignores
        } else continue;
        out += StringSlice(first, last, p) + piece;
        last = p + 2;
        p++;
      }
      out += StringSlice(first, last);
    }
    for (; i < args.length; i++) {
      if (out.length >= room) break;
      const a = args[i];
      out += (i > 0 ? ' ' : '') + (typeof a === 'string' ? a : text(a));
    }
    return out;
  };

  const jsonForLog = (a) => {
    const json = toJson(a);
    return json.absent ? (json.truncated ? '[too large]' : 'undefined') : json.json;
  };

  const full = () => {
    if (logCount >= maxLogEntries || logChars >= maxOutputChars) {
      logsTruncated = true;
      return true;
    }
    return false;
  };

  /** Keeps a message within the room left; a placeholder cut in half is dropped with the rest. */
  const fitMessage = (message) => {
    const room = maxOutputChars - logChars;
    if (message.length <= room) return message;
    logsTruncated = true;
    return cut(message, room);
  };

  /** Queues an entry: `message` already formatted; `values` the trees of the arguments that were objects. */
  const addEntry = (level, message, values, table, slots) => {
    message = fitMessage(message);
    logChars += message.length;
    logCount++;
    const record = {
      __proto__: null,
      level,
      t: DateNow() - startedAt,
      message,
      depth: groupDepth,
      values,
      table,
      slots,
    };
    push(entries, record);
    markSlots(slots);
    if (live !== undefined) deliver();
  };

  const treesOf = (args, slots) => {
    let values = null;
    for (let i = 0; i < args.length && i < TREE_ENTRIES; i++) {
      if (!isObject(args[i]) || treeNodesLeft <= 0) continue;
      if (values === null) values = list();
      push(values, tree(args[i], 0, { __proto__: null, ancestors: new MapCtor(), circular: 0, slots }));
    }
    return values;
  };

  const log = (level, args) => {
    if (full()) return;
    const slots = list();
    const message = formatArgs(args, maxOutputChars - logChars, slots);
    addEntry(level, message, treesOf(args, slots), null, slots);
  };

  const warning = (message) => {
    if (!full()) addEntry('warn', `Warning: ${message}`, null, null, list());
  };

  /** The text the host reads for an entry: placeholders filled in, caps applied, the structure kept if it fits. */
  const entryJson = (record) => {
    let message = record.message;
    const slots = record.slots;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i];
      if (slot.node !== undefined) {
        settleTree(slot);
        continue;
      }
      const placeholder = `${PLACEHOLDER_OPEN}${nonce}:${slot.id}${PLACEHOLDER_CLOSE}`;
      const at = StringIndexOf(message, placeholder);
      if (at === -1) continue;
      const room = MathMax(0, maxOutputChars - logChars);
      const state = textState(room, { __proto__: null, depth: slot.depth });
      const shown = promiseText(slot, slot.open, slot.level, state);
      const next = StringSlice(message, 0, at) + shown + StringSlice(message, at + placeholder.length);
      logChars += next.length - message.length;
      message = next;
      if (logChars > maxOutputChars) {
        const kept = cut(message, MathMax(0, message.length - (logChars - maxOutputChars)));
        logChars -= message.length - kept.length;
        message = kept;
        logsTruncated = true;
      }
    }
    let json = `{"level":${JSONStringify(record.level)},"message":${JSONStringify(message)},"t":${record.t}`;
    if (record.depth > 0) json += `,"depth":${record.depth}`;
    let structure = '';
    if (record.values !== null) {
      let values = '';
      for (let i = 0; i < record.values.length; i++) values += `${i === 0 ? '' : ','}${treeJson(record.values[i])}`;
      structure += `,"values":[${values}]`;
    }
    if (record.table !== null) structure += `,"table":${record.table}`;
    if (structure !== '' && structureChars + structure.length <= maxOutputChars) {
      structureChars += structure.length;
      json += structure;
    }
    return `${json}}`;
  };

  const takeLogs = () => {
    let out = sent;
    reportFirst = taken - countSent;
    for (let i = 0; i < entries.length; i++) {
      out += `${out === '' ? '' : ','}${entryJson(entries[i])}`;
      entries[i] = undefined;
    }
    taken += entries.length;
    entries.length = 0;
    sent = '';
    countSent = 0;
    return out;
  };

  /**
   * Live logs: hands the host the entries ready to be shown, oldest first, as they come. An entry showing a promise
   * waits for the marker that tells the promise's state (markSlots), and the entries after it wait with it.
   */
  const deliver = () => {
    let n = 0;
    while (n < entries.length && slotsChecked(entries[n].slots)) n++;
    if (n === 0) return;
    let out = '';
    for (let i = 0; i < n; i++) out += `${i === 0 ? '' : ','}${entryJson(entries[i])}`;
    for (let i = n; i < entries.length; i++) entries[i - n] = entries[i];
    for (let i = entries.length - n; i < entries.length; i++) entries[i] = undefined;
    entries.length -= n;
    const first = taken;
    taken += n;
    countSent += n;
    sent += `${sent === '' ? '' : ','}${out}`;
    try {
      live(first, `[${out}]`);
    } catch {}
  };

  const slotsChecked = (slots) => {
    for (let i = 0; i < slots.length; i++) if (!slots[i].checked) return false;
    return true;
  };

  // console.table, as Node 24 draws it (left-aligned cells).
  const tableCell = (v) => {
    if (typeof v === 'string') return quote(v);
    const small = !isObject(v) || ArrayIsArray(v) || ObjectKeys(v).length <= 2;
    return render(v, 1000, {
      __proto__: null,
      depth: small ? 0 : -1,
      arrayLimit: 3,
      breakLength: Infinity,
      quoteStrings: true,
    });
  };

  const drawTable = (head, rows) => {
    const widths = list();
    for (let i = 0; i < head.length; i++) push(widths, displayWidth(head[i]));
    for (let r = 0; r < rows.length; r++) {
      for (let i = 0; i < head.length; i++) widths[i] = MathMax(widths[i], displayWidth(rows[r][i]));
    }
    const divider = (left, middle, right) => {
      let line = left;
      for (let i = 0; i < widths.length; i++) line += (i === 0 ? '' : middle) + StringRepeat('─', widths[i] + 2);
      return line + right;
    };
    const row = (cells) => {
      let line = '│ ';
      for (let i = 0; i < widths.length; i++) {
        const cell = cells[i];
        line += (i === 0 ? '' : ' │ ') + cell + StringRepeat(' ', widths[i] - displayWidth(cell));
      }
      return `${line} │`;
    };
    let out = `${divider('┌', '┬', '┐')}\n${row(head)}\n${divider('├', '┼', '┤')}\n`;
    for (let r = 0; r < rows.length; r++) out += `${row(rows[r])}\n`;
    return out + divider('└', '┴', '┘');
  };

  const tableJson = (head, rows) => {
    const strings = (cells) => {
      let out = '';
      for (let i = 0; i < cells.length; i++) out += `${i === 0 ? '' : ','}${JSONStringify(cells[i])}`;
      return `[${out}]`;
    };
    let body = '';
    for (let r = 0; r < rows.length; r++) body += `${r === 0 ? '' : ','}${strings(rows[r])}`;
    return `{"columns":${strings(head)},"rows":[${body}]}`;
  };

  const MAX_TABLE_ROWS = 1000;

  const table = (data, properties) => {
    if (properties !== undefined && !ArrayIsArray(properties)) {
      throw new TypeErrorCtor('The "properties" argument must be an instance of Array');
    }
    if (data === null || typeof data !== 'object') {
      log('log', [data]);
      return;
    }
    if (full()) return;
    const head = list();
    const rows = list();
    const d = describe(data);
    if (d.kind === MAP || d.kind === SET) {
      push(head, '(iteration index)');
      if (d.kind === MAP) push(head, 'Key');
      push(head, 'Values');
      const it = d.kind === MAP ? MapEntries(data) : SetValues(data);
      const next = d.kind === MAP ? MapIteratorNext : SetIteratorNext;
      for (let step = next(it), i = 0; !step.done && i < MAX_TABLE_ROWS; step = next(it), i++) {
        const cells = list();
        push(cells, StringCtor(i));
        if (d.kind === MAP) {
          push(cells, tableCell(step.value[0]));
          push(cells, tableCell(step.value[1]));
        } else push(cells, tableCell(step.value));
        push(rows, cells);
      }
    } else {
      // Rows: own enumerable keys (an array's elements); columns: the keys of the rows that are objects, in the order
      // first seen, or `properties`; `Values` for rows that are primitives.
      const columns = new MapCtor();
      const columnKeys = list();
      let wanted = null;
      if (properties !== undefined) {
        wanted = list();
        for (let i = 0; i < properties.length && i < 100; i++) {
          const p = ObjectGetOwnPropertyDescriptor(properties, i);
          const key = p && 'value' in p ? p.value : undefined;
          if (typeof key !== 'string' && typeof key !== 'number') continue;
          const name = StringCtor(key);
          if (!MapHas(columns, name)) {
            MapSet(columns, name, columnKeys.length);
            push(columnKeys, name);
            push(wanted, name);
          }
        }
      }
      const indexes = list();
      if (d.kind === ARRAY) {
        for (let i = 0; i < d.size && indexes.length < MAX_TABLE_ROWS; i++) {
          if (ObjectGetOwnPropertyDescriptor(data, i) !== undefined) push(indexes, StringCtor(i));
        }
      } else {
        const keys = ObjectKeys(data);
        for (let i = 0; i < keys.length && i < MAX_TABLE_ROWS; i++) push(indexes, keys[i]);
      }
      const rowCells = list(); // per row: column index → cell
      let hasPrimitives = false;
      const primitives = list();
      for (let r = 0; r < indexes.length; r++) {
        const p = ObjectGetOwnPropertyDescriptor(data, indexes[r]);
        const item = p === undefined ? undefined : 'value' in p ? p.value : undefined;
        const cells = { __proto__: null };
        primitives[r] = '';
        if (p !== undefined && !('value' in p)) {
          hasPrimitives = true;
          primitives[r] = accessorText(p);
        } else if (!isObject(item)) {
          if (wanted === null) {
            hasPrimitives = true;
            primitives[r] = tableCell(item);
          }
        } else {
          const keys = wanted ?? ObjectKeys(item);
          for (let k = 0; k < keys.length; k++) {
            const name = keys[k];
            if (!MapHas(columns, name)) {
              if (columnKeys.length >= 100) continue;
              MapSet(columns, name, columnKeys.length);
              push(columnKeys, name);
            }
            const cell = ObjectGetOwnPropertyDescriptor(item, name);
            if (cell !== undefined)
              cells[MapGet(columns, name)] = 'value' in cell ? tableCell(cell.value) : accessorText(cell);
          }
        }
        push(rowCells, cells);
      }
      push(head, '(index)');
      for (let i = 0; i < columnKeys.length; i++) push(head, columnKeys[i]);
      if (hasPrimitives) push(head, 'Values');
      for (let r = 0; r < indexes.length; r++) {
        const cells = list();
        push(cells, indexes[r]);
        for (let c = 0; c < columnKeys.length; c++) push(cells, rowCells[r][c] ?? '');
        if (hasPrimitives) push(cells, primitives[r]);
        push(rows, cells);
      }
    }
    addEntry('log', drawTable(head, rows), null, tableJson(head, rows), list());
  };

  // Node's formatTime, for durations up to minutes.
  const formatTime = (ms) => {
    if (ms >= 60000) {
      const minutes = MathFloor(ms / 60000);
      const seconds = (ms - minutes * 60000) / 1000;
      return `${minutes}:${seconds < 10 ? '0' : ''}${NumberToFixed(seconds, 3)} (m:ss.mmm)`;
    }
    if (ms >= 1000) return `${NumberToFixed(ms / 1000, 3)}s`;
    return `${+NumberToFixed(ms, 3)}ms`;
  };

  const timers = new MapCtor();
  const counts = new MapCtor();
  /** `first`, then `rest` from index `from`, as a list (spreading an array would run its iterator: acorn code). */
  const prepend = (first, rest, from) => {
    const l = list();
    push(l, first);
    for (let i = from; i < rest.length; i++) push(l, rest[i]);
    return l;
  };

  const consoleObject = {};
  const define = (target, name, fn) =>
    ObjectDefineProperty(target, name, { value: fn, writable: true, configurable: true, enumerable: true });
  const method = (name, fn) => {
    ObjectDefineProperty(fn, 'name', { value: name, configurable: true });
    define(consoleObject, name, fn);
  };

  const levels = { log: 'log', info: 'info', warn: 'warn', error: 'error', debug: 'debug', dirxml: 'log' };
  for (const name of ObjectKeys(levels)) {
    const level = levels[name];
    method(name, (...args) => log(level, args));
  }
  method('trace', function trace(...args) {
    if (full()) return;
    const slots = list();
    const holder = { __proto__: null, name: 'Trace', message: formatArgs(args, maxOutputChars - logChars, slots) };
    ErrorCaptureStackTrace(holder, trace);
    const stack = errorStack(holder);
    addEntry(
      'debug',
      stack === undefined ? `Trace: ${holder.message}` : trimStack(stack),
      treesOf(args, slots),
      null,
      slots,
    );
  });
  method('dir', (value, options) => {
    if (full()) return;
    let depth = 2;
    if (isObject(options)) {
      const d = ObjectGetOwnPropertyDescriptor(options, 'depth');
      if (d && 'value' in d) {
        if (d.value === null || d.value === Infinity) depth = 20;
        else if (typeof d.value === 'number' && d.value >= 0) depth = MathMin(20, MathFloor(d.value));
      }
    }
    const slots = list();
    const args = list();
    push(args, value);
    const message = render(value, maxOutputChars - logChars, { __proto__: null, depth, quoteStrings: true, slots });
    addEntry('log', message, treesOf(args, slots), null, slots);
  });
  method('table', (data, properties) => table(data, properties));
  method('group', (...args) => {
    if (args.length > 0) log('log', args);
    groupDepth++;
  });
  method('groupCollapsed', (...args) => {
    if (args.length > 0) log('log', args);
    groupDepth++;
  });
  method('groupEnd', () => {
    if (groupDepth > 0) groupDepth--;
  });
  method('time', (label) => {
    const name = labelText(label);
    if (MapHas(timers, name)) warning(`Label '${name}' already exists for console.time()`);
    else MapSet(timers, name, DateNow());
  });
  const elapsed = (label, fn, done) => {
    const name = labelText(label);
    const started = MapGet(timers, name);
    if (started === undefined) {
      warning(`No such label '${name}' for console.${fn}()`);
      return undefined;
    }
    if (done) MapDelete(timers, name);
    return `${name}: ${formatTime(DateNow() - started)}`;
  };
  method('timeEnd', (label) => {
    const text = elapsed(label, 'timeEnd', true);
    if (text !== undefined) log('log', [text]);
  });
  method('timeLog', (label, ...data) => {
    const text = elapsed(label, 'timeLog', false);
    if (text !== undefined) log('log', prepend(text, data, 0));
  });
  method('count', (label) => {
    const name = labelText(label);
    const n = (MapGet(counts, name) ?? 0) + 1;
    MapSet(counts, name, n);
    log('log', [`${name}: ${n}`]);
  });
  method('countReset', (label) => {
    const name = labelText(label);
    if (MapHas(counts, name)) MapSet(counts, name, 0);
    else warning(`Count for '${name}' does not exist`);
  });
  method('assert', (expression, ...args) => {
    if (expression) return;
    if (args.length > 0 && typeof args[0] === 'string') {
      log('warn', prepend(`Assertion failed: ${args[0]}`, args, 1));
    } else log('warn', prepend('Assertion failed', args, 0));
  });
  for (const name of ['clear', 'profile', 'profileEnd', 'timeStamp']) method(name, () => {});
  ObjectDefineProperty(g, 'console', { value: consoleObject, writable: true, configurable: true, enumerable: false });

  // ---- timers, driven by the host: it asks for the next due time after each call and calls back with 'tick' ------

  const pending = new MapCtor();
  let timerSeq = 0;

  const schedule = (repeat) =>
    function timer(callback, delay, ...args) {
      if (typeof callback !== 'function') throw new TypeErrorCtor('The "callback" argument must be of type function');
      let ms = delay === undefined ? 1 : +delay;
      if (!(ms >= 1 && ms <= 2147483647)) ms = 1;
      const id = ++timerSeq;
      MapSet(pending, id, { callback, args, ms, due: DateNow() - startedAt + ms, repeat });
      return id;
    };
  const clear = function clear(id) {
    if (typeof id === 'number') MapDelete(pending, id);
  };
  const defineGlobal = (name, value) =>
    ObjectDefineProperty(g, name, { value, writable: true, configurable: true, enumerable: true });
  defineGlobal('setTimeout', schedule(false));
  defineGlobal('setInterval', schedule(true));
  defineGlobal('clearTimeout', clear);
  defineGlobal('clearInterval', clear);
  defineGlobal('queueMicrotask', function queueMicrotask(callback) {
    if (typeof callback !== 'function') throw new TypeErrorCtor('The "callback" argument must be of type function');
    PromisePrototypeThen(resolvedPromise(), () => callback());
  });

  const nextTimer = () => {
    let best = null;
    let bestId = 0;
    MapForEach(pending, (t, id) => {
      if (best === null || t.due < best.due || (t.due === best.due && id < bestId)) {
        best = t;
        bestId = id;
      }
    });
    return best === null ? null : { id: bestId, timer: best };
  };

  // ---- handler runs: the acorn answers an HTTP request ------------------------------------------------------------

  let handler = false;
  const NOT_A_HANDLER =
    'An acorn called as an HTTP endpoint must `export default` a function, or an object with a `fetch` method, to be called with the Request';

  const callHandler = (exported, request) => {
    if (typeof exported === 'function') return exported(request);
    if (isObject(exported)) {
      const fetch = exported.fetch;
      if (typeof fetch === 'function') return ReflectApply(fetch, exported, [request]);
    }
    throw new TypeErrorCtor(NOT_A_HANDLER);
  };

  /**
   * What the host sends back, from the handler's settled value: a Response of ours as it is (read from its private
   * state by web.js, never through its getters), undefined as 204, anything else as JSON with 200.
   */
  const respond = (value) => {
    const parts = webApi.responseParts(value);
    if (parts.error !== undefined) throw parts.error;
    let status = 200;
    let headers = '[]';
    let bytes;
    if (parts.response) {
      status = parts.status;
      headers = '[';
      for (let i = 0; i < parts.headers.length; i++) {
        const h = parts.headers[i];
        headers += `${i === 0 ? '' : ','}[${JSONStringify(h.name)},${JSONStringify(h.value)}]`;
      }
      headers += ']';
      bytes = parts.bytes;
    } else if (parts.imitation) {
      throw new TypeErrorCtor(
        'The handler returned an object that inherits from Response without being one (a Proxy, or made by Object.create): return a Response',
      );
    } else if (value === undefined) {
      status = 204;
      bytes = webApi.utf8Encode('');
    } else {
      const json = toJson(value, maxResponseBytes);
      if (json.truncated) {
        throw new RangeErrorCtor(
          `The handler's return value as JSON is more than ${maxResponseBytes} bytes, over the ${maxResponseBytes}-byte response limit`,
        );
      }
      if (json.absent) {
        throw new TypeErrorCtor(
          "The handler's return value is not a Response and cannot be sent as JSON (a function, a symbol, a BigInt, or a cycle): return a Response, or a JSON value",
        );
      }
      headers = '[["content-type","application/json; charset=utf-8"]]';
      bytes = webApi.utf8Encode(json.json);
    }
    const length = TypedArrayLength(bytes);
    if (length > maxResponseBytes) {
      throw new RangeErrorCtor(`The response body is ${length} bytes, over the ${maxResponseBytes}-byte limit`);
    }
    const body = webApi.base64Encode(bytes, length);
    const response = `{"status":${status},"headers":${headers},"bodyBase64":${JSONStringify(body)},"bodyBytes":${length}}`;
    return { __proto__: null, response, preview: `Response ${status} (${length} byte${length === 1 ? '' : 's'})` };
  };

  const finishHandler = () => {
    let r;
    try {
      r = respond(outcome);
    } catch (e) {
      return `"error":${errorJson(describeError(e))}`;
    }
    return `"response":${r.response},"preview":${JSONStringify(r.preview)},"truncatedValue":false`;
  };

  // ---- imports: modules of the curated set and other acorns, linked by the host's table (imports.ts) -------------
  //
  // The host resolved every specifier it could see and compiled what may be imported: each module artifact (run, so
  // its value is the function that evaluates it; called at the first import in this run) and each imported acorn
  // (its wrapper). An acorn's wrapper gets `$sqbS` (static import k → promise of its namespace, awaited on line 0) and
  // `$sqbD` (dynamic site k → the function that replaced that `import(`). Everything here lives in this run's context.

  let link = null;

  /** An error the acorn sees, at `site` (the host maps `site.at`, a position in the compiled code, back). */
  const importError = (Ctor, name, message, site) => {
    const e = new Ctor(message);
    ObjectDefineProperty(e, 'name', { __proto__: null, value: name, writable: true, configurable: true });
    const stack = `${name}: ${message}\n    at ${site.at}`;
    ObjectDefineProperty(e, 'stack', { __proto__: null, value: stack, writable: true, configurable: true });
    return e;
  };
  const rejected = (e) => new PromiseCtor((_, reject) => reject(e));
  const fulfilled = (v) => new PromiseCtor((resolve) => resolve(v));
  const quoteSpecifier = (specifier) =>
    JSONStringify(specifier.length > 200 ? `${StringSlice(specifier, 0, 200)}…` : specifier);
  const LIST = 'the modules acorns may import are listed at GET /api/modules';
  const ACORN_SPECIFIER = /^acorn:([A-Za-z0-9_-]{16,64})(?:@(\d+))?$/;

  const notYours = (key, site) =>
    importError(ErrorCtor, 'Error', `${key} cannot be imported: no such acorn, or not yours (${site.where})`, site);

  const unknownModule = (specifier, reason, site) =>
    importError(
      ErrorCtor,
      'Error',
      `Cannot import ${quoteSpecifier(specifier)} (${site.where}): ${reason}; ${LIST}`,
      site,
    );

  /** Why a specifier the host never saw (a computed `import()`) is not importable. */
  const reasonFor = (specifier) => {
    if (StringSlice(specifier, 0, 5) === 'node:') return "Node's built-in modules are not available to acorns";
    if (includes(specifier, '://') || StringSlice(specifier, 0, 5) === 'data:') return 'acorns cannot import URLs';
    const c = specifier[0];
    if (c === '.' || c === '/' || c === '\\') return 'acorns cannot import files';
    return 'it is not one of the modules acorns may import';
  };

  /** The namespace of a module artifact (or of one export of it, for `date-fns/addDays`), made once per run. */
  const moduleNamespace = (name, exported) => {
    const m = link.modules[name];
    if (m.ns === undefined) m.ns = m.factory();
    if (exported === '') return m.ns;
    const cached = m.subpaths[exported];
    if (cached !== undefined) return cached;
    const value = m.ns[exported];
    const ns = { __proto__: null, default: value };
    ObjectDefineProperty(ns, exported, { __proto__: null, value, enumerable: true });
    ObjectDefineProperty(ns, SymbolToStringTag, { __proto__: null, value: 'Module' });
    m.subpaths[exported] = ObjectFreeze(ns);
    return m.subpaths[exported];
  };

  /** The chain of imports that led to `unit`, from the running acorn: `acorn:a → acorn:b`. */
  const chainText = (from, to) => {
    let text = '';
    for (let u = from; u !== null && u !== to; u = u.parent) text = u.key === '' ? text : ` → ${u.key}${text}`;
    return to === null ? StringSlice(text, 3) : `${to.key}${text}`;
  };

  /** An imported acorn's namespace: evaluated once per run, whoever imports it first; shared after that. */
  const acornNamespace = (unit, importer, site) => {
    if (unit.state === 2) return fulfilled(unit.ns);
    if (unit.state === 3) return rejected(unit.error);
    if (unit.state === 1) {
      for (let u = importer; u !== null; u = u.parent) {
        if (u === unit) {
          const message = `Import cycle: ${chainText(importer, unit)} → ${unit.key} (${site.where})`;
          return rejected(importError(ErrorCtor, 'Error', message, site));
        }
      }
      return unit.promise;
    }
    if (unit.err !== null) {
      const e = new ErrorCtor(unit.err.message);
      ObjectDefineProperty(e, 'name', { __proto__: null, value: unit.err.name, writable: true, configurable: true });
      ObjectDefineProperty(e, 'stack', { __proto__: null, value: unit.err.stack, writable: true, configurable: true });
      return rejected(e);
    }
    if (importer.depth + 1 > link.maxDepth) {
      const message = `${unit.key} cannot be imported (${site.where}): imports go at most ${link.maxDepth} levels deep, and this would be level ${importer.depth + 1} (${chainText(importer, null)} → ${unit.key})`;
      return rejected(importError(RangeErrorCtor, 'RangeError', message, site));
    }
    if (unit.over || link.bytes + unit.bytes > link.maxBytes) {
      const message = `${unit.key} cannot be imported (${site.where}): the acorns a run imports may hold at most ${link.maxBytes / 1024} KiB of source together`;
      return rejected(importError(RangeErrorCtor, 'RangeError', message, site));
    }
    link.bytes += unit.bytes;
    unit.state = 1;
    unit.parent = importer;
    unit.depth = importer.depth + 1;
    let evaluated;
    try {
      evaluated = ReflectApply(unit.fn, undefined, [unit.S, unit.D]);
    } catch (e) {
      evaluated = rejected(e);
    }
    unit.promise = PromisePrototypeThen(
      evaluated,
      (exports) => {
        const ns = { __proto__: null };
        const own = exports.ns;
        const keys = ObjectKeys(own);
        for (let i = 0; i < keys.length; i++) {
          ObjectDefineProperty(ns, keys[i], { __proto__: null, value: own[keys[i]], enumerable: true });
        }
        // `export * from`: every name of those namespaces but `default` and what the acorn exports itself.
        const stars = exports.stars;
        for (let s = 0; s < stars.length; s++) {
          const star = stars[s];
          const names = ObjectKeys(star);
          for (let i = 0; i < names.length; i++) {
            const name = names[i];
            if (name === 'default' || ObjectHasOwn(ns, name)) continue;
            ObjectDefineProperty(ns, name, { __proto__: null, value: star[name], enumerable: true });
          }
        }
        ObjectDefineProperty(ns, SymbolToStringTag, { __proto__: null, value: 'Module' });
        unit.ns = ObjectFreeze(ns);
        unit.state = 2;
        return unit.ns;
      },
      (e) => {
        unit.state = 3;
        unit.error = e;
        throw e;
      },
    );
    return unit.promise;
  };

  /** What `specifier`, imported by `unit` at `site`, resolves to: a promise of its namespace. */
  const load = (unit, specifier, site) => {
    const res = link.res;
    let r = ObjectHasOwn(res, specifier) ? res[specifier] : undefined;
    if (r === undefined) {
      const m = RegExpExec(ACORN_SPECIFIER, specifier);
      if (m !== null) {
        const key = `acorn:${m[1]}${m[2] === undefined ? '' : `@${NumberParseInt(m[2], 10)}`}`;
        r = ObjectHasOwn(res, key) ? res[key] : ['n', key];
      } else if (StringSlice(specifier, 0, 6) === 'acorn:') {
        r = ['n', specifier];
      } else {
        r = ['x', reasonFor(specifier)];
      }
    }
    const kind = r[0];
    if (kind === 'a') return acornNamespace(link.units[r[1]], unit, site);
    if (kind === 'n') return rejected(notYours(r[1], site));
    if (kind === 'x') return rejected(unknownModule(specifier, r[1], site));
    try {
      return fulfilled(moduleNamespace(r[1], r[2]));
    } catch (e) {
      return rejected(e);
    }
  };

  const staticImport = (unit, k) => {
    const site = unit.statics[k];
    return PromisePrototypeThen(load(unit, site.s, site), (ns) => {
      const names = site.n;
      for (let i = 0; i < names.length; i++) {
        if (!ObjectHasOwn(ns, names[i])) {
          const message = `The module ${quoteSpecifier(site.s)} does not provide an export named ${quoteSpecifier(names[i])} (${site.where})`;
          throw importError(SyntaxErrorCtor, 'SyntaxError', message, site);
        }
      }
      return ns;
    });
  };

  const dynamicSite = (unit, k) => {
    const site = unit.dyn[k];
    return (specifier) => {
      let text;
      try {
        text = StringCtor(specifier);
      } catch (e) {
        return rejected(e);
      }
      return load(unit, text, site);
    };
  };

  /** Reads the host's table; `refs` are the compiled artifacts' functions and imported acorns' wrappers. */
  const startImports = (tableJson, refs) => {
    const table = JSONParse(tableJson);
    const modules = { __proto__: null };
    const names = ObjectKeys(table.mods);
    for (let i = 0; i < names.length; i++) {
      modules[names[i]] = {
        __proto__: null,
        factory: refs[table.mods[names[i]]],
        ns: undefined,
        subpaths: { __proto__: null },
      };
    }
    const units = list();
    for (let i = 0; i < table.units.length; i++) {
      const t = table.units[i];
      const unit = {
        __proto__: null,
        key: t.key,
        fn: t.fn < 0 ? undefined : refs[t.fn],
        statics: t.statics,
        dyn: t.dyn,
        bytes: t.bytes,
        err: t.err,
        over: t.over,
        state: 0,
        ns: undefined,
        error: undefined,
        promise: undefined,
        parent: null,
        depth: 0,
      };
      unit.S = (k) => staticImport(unit, k);
      unit.D = (k) => dynamicSite(unit, k);
      push(units, unit);
    }
    link = {
      __proto__: null,
      units,
      modules,
      res: table.res,
      maxDepth: table.maxDepth,
      maxBytes: table.maxBytes,
      bytes: 0,
    };
    return units[0];
  };

  // ---- the run ----------------------------------------------------------------------------------------------------

  let settled = false;
  let failed = false;
  let outcome;
  // Promises inside the result, tracked when it settled, so that the preview can tell their state.
  let resultPromises = null;

  const describeError = (e) => {
    try {
      if (e !== null && (typeof e === 'object' || typeof e === 'function') && protoChainHas(e, ErrorPrototype)) {
        const name = e.name;
        const message = e.message;
        const stack = e.stack;
        const n = typeof name === 'string' ? name : 'Error';
        const m = typeof message === 'string' ? message : '';
        return { name: n, message: m, stack: typeof stack === 'string' ? stack : `${n}: ${m}` };
      }
      const shown = render(e, 4096, { __proto__: null, quoteStrings: true });
      return { name: 'Uncaught', message: shown, stack: `Uncaught ${shown}` };
    } catch {
      return { name: 'Error', message: 'the thrown value could not be described', stack: '' };
    }
  };

  const fail = (e) => {
    if (settled && failed) return;
    settled = true;
    failed = true;
    outcome = describeError(e);
  };

  const errorJson = (d) =>
    `{"name":${JSONStringify(StringSlice(d.name, 0, 1000))},"message":${JSONStringify(StringSlice(d.message, 0, 4096))},"stack":${JSONStringify(StringSlice(d.stack, 0, 8192))}}`;

  const finish = () => {
    if (failed) return `"error":${errorJson(outcome)}`;
    if (handler) return finishHandler();
    let json;
    let preview;
    try {
      json = toJson(outcome);
      preview = render(outcome, maxPreviewChars, { __proto__: null, known: resultPromises });
    } catch (e) {
      return `"error":${errorJson(describeError(e))}`;
    }
    const truncated = json.truncated === true || preview.length > maxPreviewChars;
    return `${json.absent ? '' : `"json":${JSONStringify(json.json)},`}"preview":${JSONStringify(preview)},"truncatedValue":${truncated}`;
  };

  const settle = (value) => {
    if (settled) return;
    settled = true;
    outcome = value;
    if (handler || !isObject(value)) return;
    // A first look finds the promises in the result and starts tracking them; the preview is drawn when reported.
    try {
      const slots = list();
      render(value, maxPreviewChars, { __proto__: null, slots });
      resultPromises = new MapCtor();
      for (let i = 0; i < slots.length; i++) MapSet(resultPromises, slots[i].promise, slots[i]);
      markSlots(slots);
    } catch {}
  };

  // The host's view after each call: new log lines, whether the run is over, and when the next timer is due.
  const report = () => {
    const done = settled && (failed || MapSize(pending) === 0);
    const next = done ? null : nextTimer();
    const wait = next === null ? -1 : MathMax(0, next.timer.due - (DateNow() - startedAt));
    return `{"logs":[${takeLogs()}],${firstField()}"logsTruncated":${logsTruncated},"done":${done},"next":${wait}${done ? `,${finish()}` : ''}}`;
  };

  // After the deadline cut the acorn off: only the logs, without touching anything of the acorn's.
  const flush = () => `{"logs":[${takeLogs()}],${firstField()}"logsTruncated":${logsTruncated},"done":false,"next":-1}`;

  // With live logs: the position of the report's first entry among all the run's entries.
  const firstField = () => (live === undefined ? '' : `"first":${reportFirst},`);

  // `entropy`: 64 hex digits from the host's CSPRNG, the key of crypto.getRandomValues for this run. `requestJson`:
  // set for a handler run, the Request the default export is called with (method, absolute URL, headers, body).
  // `liveLog`: the host's callback for live logs, or undefined (then logs only go out with the reports).
  const start = (main, inputJson, isModule, entropy, requestJson, liveLog, tableJson, refs) => {
    startedAt = DateNow();
    if (typeof liveLog === 'function') live = liveLog;
    webApi.seed(entropy);
    handler = requestJson !== undefined;
    // Made before the acorn's first line runs, so nothing it does can change how its Request is built.
    const request = handler ? webApi.request(JSONParse(requestJson)) : undefined;
    const input = handler || inputJson === undefined ? undefined : JSONParse(inputJson);
    defineGlobal('input', input);
    const self = tableJson === undefined ? undefined : startImports(tableJson, refs);
    let result;
    try {
      result = self === undefined ? ReflectApply(main, g, []) : ReflectApply(main, g, [self.S, self.D]);
    } catch (e) {
      fail(e);
      return;
    }
    let run = result;
    if (handler) {
      run = PromisePrototypeThen(result, (exported) => callHandler(isModule ? exported : undefined, request));
    } else if (isModule) {
      run = PromisePrototypeThen(result, (exported) => (typeof exported === 'function' ? exported(input) : exported));
    }
    PromisePrototypeThen(PromiseResolve(run), settle, fail);
  };

  const tick = () => {
    const next = nextTimer();
    if (next === null) return;
    const { id, timer } = next;
    if (timer.repeat) timer.due += timer.ms;
    else MapDelete(pending, id);
    try {
      ReflectApply(timer.callback, undefined, timer.args);
    } catch (e) {
      // An exception escaping a timer ends the run, as an uncaught exception ends a Node process.
      fail(e);
    }
  };

  return function control(op, main, inputJson, isModule, entropy, requestJson, liveLog, tableJson, ...refs) {
    if (op === 'start') start(main, inputJson, isModule, entropy, requestJson, liveLog, tableJson, refs);
    else if (op === 'tick') tick();
    else if (op === 'report') return report();
    else if (op === 'flush') return flush();
    return undefined;
  };
});
