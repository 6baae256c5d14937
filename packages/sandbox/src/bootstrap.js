// Runs inside every fresh acorn context before the acorn: installs console, timers and `input`, removes what an
// acorn must not have, and returns the one function the host drives the run through. Everything it needs is
// captured here, before acorn code exists, so an acorn that pollutes prototypes or replaces JSON can only fool
// itself, never the serialiser that turns its logs and result into the capped strings the host reads.
// It is a script whose completion value is a function; the host compiles it once per isolate from cached data.
(function bootstrap(maxOutputChars, maxLogEntries, maxPreviewChars) {
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
  const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const ObjectGetOwnPropertySymbols = Object.getOwnPropertySymbols;
  const ObjectDefineProperty = Object.defineProperty;
  const ArrayIsArray = Array.isArray;
  const ArrayBufferIsView = ArrayBuffer.isView;
  const DateNow = Date.now;
  const StringCtor = String;
  const MathMax = Math.max;
  const MathFloor = Math.floor;
  const NumberIsFinite = Number.isFinite;
  const ObjectIs = Object.is;
  const PromiseResolve = Promise.resolve.bind(Promise);
  const PromisePrototypeThen = uncurry(Promise.prototype.then);
  const StringSlice = uncurry(String.prototype.slice);
  const StringCharCodeAt = uncurry(String.prototype.charCodeAt);
  const StringIndexOf = uncurry(String.prototype.indexOf);
  const StringRepeat = uncurry(String.prototype.repeat);
  const NumberToString = uncurry(Number.prototype.toString);
  const FunctionToString = uncurry(Function.prototype.toString);
  const SymbolToString = uncurry(Symbol.prototype.toString);
  const DateGetTime = uncurry(Date.prototype.getTime);
  const DateToISOString = uncurry(Date.prototype.toISOString);
  const RegExpSource = getter(RegExp.prototype, 'source');
  const RegExpFlags = getter(RegExp.prototype, 'flags');
  const MapSize = getter(Map.prototype, 'size');
  const SetSize = getter(Set.prototype, 'size');
  const MapEntries = uncurry(Map.prototype.entries);
  const SetValues = uncurry(Set.prototype.values);
  const MapIteratorNext = uncurry(ObjectGetPrototypeOf(new Map().entries()).next);
  const SetIteratorNext = uncurry(ObjectGetPrototypeOf(new Set().values()).next);
  const TypedArrayLength = getter(ObjectGetPrototypeOf(Uint8Array.prototype), 'length');
  const ArrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength');
  const MapCtor = Map;
  const MapGet = uncurry(Map.prototype.get);
  const MapSet = uncurry(Map.prototype.set);
  const MapHas = uncurry(Map.prototype.has);
  const MapDelete = uncurry(Map.prototype.delete);
  const MapForEach = uncurry(Map.prototype.forEach);
  const ErrorPrototype = Error.prototype;
  const PromisePrototype = Promise.prototype;
  const AsyncFunctionPrototype = ObjectGetPrototypeOf(async () => {});
  const TypeErrorCtor = TypeError;

  // Not standard ECMAScript an acorn needs, and each is a way around the limits: WebAssembly memory is not counted
  // by the isolate's memory limit; SharedArrayBuffer and Atomics.wait block threads.
  delete g.WebAssembly;
  delete g.SharedArrayBuffer;
  delete g.Atomics;
  // v8's hook for formatting stacks runs acorn code whenever any stack is read, in places where v8 cannot stop it
  // (measured: a looping hook outlived both the call timeout and the isolate's disposal). Not ECMAScript: locked.
  ObjectDefineProperty(Error, 'prepareStackTrace', { value: undefined, writable: false, configurable: false });

  // ---- readable rendering, in the spirit of Node's util.inspect -------------------------------------------------

  const identifierLike = (key) => {
    if (key.length === 0) return false;
    for (let i = 0; i < key.length; i++) {
      const c = StringCharCodeAt(key, i);
      const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 36 || c === 95;
      if (!letter && !(i > 0 && c >= 48 && c <= 57)) return false;
    }
    return true;
  };

  const quote = (s) => {
    const q = StringIndexOf(s, "'") === -1 || StringIndexOf(s, '"') !== -1 ? "'" : '"';
    let out = q;
    for (let i = 0; i < s.length; i++) {
      const c = StringCharCodeAt(s, i);
      if (c === 10) out += '\\n';
      else if (c === 9) out += '\\t';
      else if (c === 13) out += '\\r';
      else if (c === 92) out += '\\\\';
      else if ((q === "'" && c === 39) || (q === '"' && c === 34)) out += `\\${q}`;
      else if (c < 32) out += `\\x${c < 16 ? '0' : ''}${NumberToString(c, 16)}`;
      else out += s[i];
      if (out.length > maxPreviewChars) break;
    }
    return `${out}${q}`;
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

  const functionName = (fn) => {
    const d = ObjectGetOwnPropertyDescriptor(fn, 'name');
    return d && typeof d.value === 'string' ? d.value : '';
  };

  const constructorName = (value) => {
    const proto = ObjectGetPrototypeOf(value);
    if (proto === null) return null;
    const d = ObjectGetOwnPropertyDescriptor(proto, 'constructor');
    return d && typeof d.value === 'function' ? functionName(d.value) : '';
  };

  const formatPrimitive = (value, nested) => {
    switch (typeof value) {
      case 'string':
        return nested ? quote(value) : value;
      case 'number':
        return ObjectIs(value, -0) ? '-0' : StringCtor(value);
      case 'bigint':
        return `${value}n`;
      case 'symbol':
        return SymbolToString(value);
      default:
        return StringCtor(value);
    }
  };

  const formatFunction = (fn) => {
    const name = functionName(fn);
    let source = '';
    try {
      source = FunctionToString(fn);
    } catch {}
    if (StringSlice(source, 0, 6) === 'class ' || StringSlice(source, 0, 6) === 'class{') {
      return `[class ${name || '(anonymous)'}]`;
    }
    const kind = protoChainHas(fn, AsyncFunctionPrototype) ? 'AsyncFunction' : 'Function';
    return name ? `[${kind}: ${name}]` : `[${kind} (anonymous)]`;
  };

  // `entries` is a null-prototype object used as a list, so index setters an acorn put on Array.prototype never fire.
  const join = (prefix, open, entries, count, close, indent) => {
    if (count === 0) return `${prefix}${open}${close}`;
    // Node's rule (reduceToSingleString): one line when entries plus this much overhead fit in 80 columns.
    let total = count + count + indent * 2 + prefix.length + open.length + 10;
    let oneLine = '';
    let multiline = false;
    for (let i = 0; i < count; i++) {
      oneLine += (i === 0 ? '' : ', ') + entries[i];
      total += entries[i].length;
      if (StringIndexOf(entries[i], '\n') !== -1) multiline = true;
    }
    if (!multiline && total <= 80) return `${prefix}${open} ${oneLine} ${close}`;
    const pad = `\n${StringRepeat('  ', indent + 1)}`;
    let out = `${prefix}${open}`;
    for (let i = 0; i < count; i++) out += `${pad}${entries[i]}${i < count - 1 ? ',' : ''}`;
    return `${out}\n${StringRepeat('  ', indent)}${close}`;
  };

  // `state` carries the ancestors (for [Circular *n]), the circular targets found, and the room left.
  const inspect = (value, depth, state) => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
      return formatPrimitive(value, depth > 0);
    }
    if (typeof value === 'function' && ObjectKeys(value).length === 0) return formatFunction(value);
    if (MapHas(state.ancestors, value)) {
      let n = MapGet(state.circular, value);
      if (n === undefined) {
        n = MapSize(state.circular) + 1;
        MapSet(state.circular, value, n);
      }
      return `[Circular *${n}]`;
    }
    let text = inspectObject(value, depth, state);
    const n = MapGet(state.circular, value);
    if (n !== undefined) text = `<ref *${n}> ${text}`;
    return text;
  };

  const inspectObject = (value, depth, state) => {
    if (protoChainHas(value, ErrorPrototype)) {
      const stack = ObjectGetOwnPropertyDescriptor(value, 'stack');
      if (stack && typeof stack.value === 'string') return depth > 0 ? `[${stack.value}]` : stack.value;
      return `[${constructorName(value) || 'Error'}]`;
    }
    if (brand(DateGetTime, value)) {
      const time = DateGetTime(value);
      return NumberIsFinite(time) ? DateToISOString(value) : 'Invalid Date';
    }
    if (brand(RegExpSource, value)) return `/${RegExpSource(value)}/${RegExpFlags(value)}`;
    if (protoChainHas(value, PromisePrototype)) return 'Promise { <unknown> }';

    const name = constructorName(value);
    const isArray = ArrayIsArray(value);
    const isMap = !isArray && brand(MapSize, value);
    const isSet = !isArray && !isMap && brand(SetSize, value);
    const isTyped = ArrayBufferIsView(value) && brand(TypedArrayLength, value);
    const isBuffer = brand(ArrayBufferByteLength, value);

    let prefix = '';
    if (typeof value === 'function') prefix = `${formatFunction(value)} `;
    else if (name === null) prefix = '[Object: null prototype] ';
    else if (isArray) prefix = name === 'Array' ? '' : `${name}(${value.length}) `;
    else if (isMap) prefix = `${name || 'Map'}(${MapSize(value)}) `;
    else if (isSet) prefix = `${name || 'Set'}(${SetSize(value)}) `;
    else if (isTyped) prefix = `${name}(${TypedArrayLength(value)}) `;
    else if (isBuffer) return `ArrayBuffer { byteLength: ${ArrayBufferByteLength(value)} }`;
    else if (name !== 'Object') prefix = `${name} `;

    if (depth > 2) return isArray ? '[Array]' : `[${name || 'Object'}]`;

    MapSet(state.ancestors, value, true);
    const entries = { __proto__: null };
    let count = 0;
    const add = (entry) => {
      state.room -= entry.length + 2;
      entries[count++] = entry;
      return state.room > 0 && count < 100;
    };
    const more = (total) => {
      if (total > count) entries[count++] = `... ${total - count + 1} more item${total - count === 0 ? '' : 's'}`;
    };
    const inspectChild = (v) => inspect(v, depth + 1, state);
    try {
      if (isArray || isTyped) {
        const length = isArray ? value.length : TypedArrayLength(value);
        for (let i = 0; i < length; i++) {
          const d = ObjectGetOwnPropertyDescriptor(value, i);
          if (!add(d === undefined ? '<empty item>' : describeProperty(d, inspectChild))) break;
        }
        more(length);
      } else if (isMap) {
        const it = MapEntries(value);
        for (let step = MapIteratorNext(it); !step.done; step = MapIteratorNext(it)) {
          if (!add(`${inspectChild(step.value[0])} => ${inspectChild(step.value[1])}`)) break;
        }
        more(MapSize(value));
      } else if (isSet) {
        const it = SetValues(value);
        for (let step = SetIteratorNext(it); !step.done; step = SetIteratorNext(it)) {
          if (!add(inspectChild(step.value))) break;
        }
        more(SetSize(value));
      }
      if (!isArray && !isTyped) {
        const keys = ObjectKeys(value);
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i];
          const d = ObjectGetOwnPropertyDescriptor(value, key);
          if (d === undefined) continue;
          const label = identifierLike(key) ? key : quote(key);
          if (!add(`${label}: ${describeProperty(d, inspectChild)}`)) break;
        }
        const symbols = ObjectGetOwnPropertySymbols(value);
        for (let i = 0; i < symbols.length && state.room > 0; i++) {
          const d = ObjectGetOwnPropertyDescriptor(value, symbols[i]);
          if (d?.enumerable) add(`[${SymbolToString(symbols[i])}]: ${describeProperty(d, inspectChild)}`);
        }
      }
    } finally {
      MapDelete(state.ancestors, value);
    }
    if (isArray || isTyped) return join(prefix, '[', entries, count, ']', depth);
    if (typeof value === 'function' && count === 0) return formatFunction(value);
    return join(prefix, '{', entries, count, '}', depth);
  };

  // Getters are shown, never called, as Node does: looking at a value must not run the acorn's code.
  const describeProperty = (d, inspectChild) => {
    if ('value' in d) return inspectChild(d.value);
    if (d.get && d.set) return '[Getter/Setter]';
    return d.get ? '[Getter]' : '[Setter]';
  };

  const render = (value, nested, room) => {
    const state = { ancestors: new MapCtor(), circular: new MapCtor(), room };
    const text = inspect(value, nested ? 1 : 0, state);
    return text.length > room ? `${StringSlice(text, 0, MathMax(0, room))}…` : text;
  };

  // ---- JSON with a budget: JSON.stringify's semantics, but it stops at the cap instead of building a gigabyte ----

  const TOO_BIG = {};
  const NOT_JSON = {};

  const toJson = (root) => {
    let out = '';
    const ancestors = new MapCtor();
    const emit = (s) => {
      out += s;
      if (out.length > maxOutputChars) throw TOO_BIG;
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
      if (ArrayBufferIsView(value) && brand(TypedArrayLength, value) && TypedArrayLength(value) * 6 > maxOutputChars) {
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

  let startedAt = DateNow();
  let logs = '';
  let logCount = 0;
  let logChars = 0;
  let logsTruncated = false;

  const formatArgs = (args) => {
    let room = maxOutputChars - logChars;
    let out = '';
    let i = 0;
    const first = args[0];
    if (typeof first === 'string' && StringIndexOf(first, '%') !== -1 && args.length > 1) {
      i = 1;
      let last = 0;
      for (let p = StringIndexOf(first, '%'); p !== -1 && p + 1 < first.length; p = StringIndexOf(first, '%', p + 1)) {
        const c = first[p + 1];
        let piece;
        if (c === '%') piece = '%';
        else if (
          i < args.length &&
          (c === 's' || c === 'd' || c === 'i' || c === 'f' || c === 'j' || c === 'o' || c === 'O')
        ) {
          const a = args[i++];
          if (c === 's') piece = typeof a === 'string' ? a : render(a, true, room);
          else if (c === 'd' || c === 'i' || c === 'f') piece = typeof a === 'bigint' ? `${a}n` : formatNumber(a, c);
          else if (c === 'j') piece = jsonForLog(a);
          else piece = render(a, true, room);
        } else continue;
        out += StringSlice(first, last, p) + piece;
        last = p + 2;
        p++;
      }
      out += StringSlice(first, last);
    }
    for (; i < args.length; i++) {
      room = maxOutputChars - logChars - out.length;
      if (room <= 0) break;
      out += (out.length > 0 || i > 0 ? ' ' : '') + render(args[i], false, room);
    }
    return out;
  };

  const jsonForLog = (a) => {
    const json = toJson(a);
    return json.absent ? (json.truncated ? '[too large]' : 'undefined') : json.json;
  };

  const formatNumber = (a, c) => {
    if (typeof a === 'symbol' || (a !== null && typeof a === 'object')) return 'NaN';
    const n = +a;
    if (c === 'f') return StringCtor(n);
    return NumberIsFinite(n) ? StringCtor(n < 0 ? -MathFloor(-n) : MathFloor(n)) : StringCtor(n);
  };

  const log = (level, args) => {
    if (logCount >= maxLogEntries || logChars >= maxOutputChars) {
      logsTruncated = true;
      return;
    }
    let message = formatArgs(args);
    const room = maxOutputChars - logChars;
    if (message.length > room) {
      message = StringSlice(message, 0, room);
      logsTruncated = true;
    }
    logChars += message.length;
    logCount++;
    logs += `${logs ? ',' : ''}[${JSONStringify(level)},${DateNow() - startedAt},${JSONStringify(message)}]`;
  };

  const consoleObject = {};
  const levels = { log: 'log', info: 'info', warn: 'warn', error: 'error', debug: 'debug', trace: 'debug', dir: 'log' };
  for (const method of ObjectKeys(levels)) {
    const level = levels[method];
    consoleObject[method] = {
      [method](...args) {
        log(level, args);
      },
    }[method];
  }
  ObjectDefineProperty(g, 'console', { value: consoleObject, writable: true, configurable: true, enumerable: false });

  // ---- timers, driven by the host: it asks for the next due time after each call and calls back with 'tick' ------

  const timers = new MapCtor();
  let timerSeq = 0;

  const schedule = (repeat) =>
    function timer(callback, delay, ...args) {
      if (typeof callback !== 'function') throw new TypeErrorCtor('The "callback" argument must be of type function');
      let ms = delay === undefined ? 1 : +delay;
      if (!(ms >= 1 && ms <= 2147483647)) ms = 1;
      const id = ++timerSeq;
      MapSet(timers, id, { callback, args, ms, due: DateNow() - startedAt + ms, repeat });
      return id;
    };
  const clear = function clear(id) {
    if (typeof id === 'number') MapDelete(timers, id);
  };
  const define = (name, value) =>
    ObjectDefineProperty(g, name, { value, writable: true, configurable: true, enumerable: true });
  define('setTimeout', schedule(false));
  define('setInterval', schedule(true));
  define('clearTimeout', clear);
  define('clearInterval', clear);
  define('queueMicrotask', function queueMicrotask(callback) {
    if (typeof callback !== 'function') throw new TypeErrorCtor('The "callback" argument must be of type function');
    PromisePrototypeThen(PromiseResolve(), () => callback());
  });

  const nextTimer = () => {
    let best = null;
    let bestId = 0;
    MapForEach(timers, (t, id) => {
      if (best === null || t.due < best.due || (t.due === best.due && id < bestId)) {
        best = t;
        bestId = id;
      }
    });
    return best === null ? null : { id: bestId, timer: best };
  };

  // ---- the run ----------------------------------------------------------------------------------------------------

  let settled = false;
  let failed = false;
  let outcome;

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
      const shown = render(e, true, 4096);
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
    let json;
    let preview;
    try {
      json = toJson(outcome);
      preview = render(outcome, false, maxPreviewChars);
    } catch (e) {
      return `"error":${errorJson(describeError(e))}`;
    }
    const truncated = json.truncated === true || preview.length > maxPreviewChars;
    return `${json.absent ? '' : `"json":${JSONStringify(json.json)},`}"preview":${JSONStringify(preview)},"truncatedValue":${truncated}`;
  };

  // The host's view after each call: new log lines, whether the run is over, and when the next timer is due.
  const report = () => {
    const done = settled && (failed || MapSize(timers) === 0);
    const next = done ? null : nextTimer();
    const wait = next === null ? -1 : MathMax(0, next.timer.due - (DateNow() - startedAt));
    const body = `{"logs":[${logs}],"logsTruncated":${logsTruncated},"done":${done},"next":${wait}${done ? `,${finish()}` : ''}}`;
    logs = '';
    return body;
  };

  // After the deadline cut the acorn off: only the logs, without touching anything of the acorn's.
  const flush = () => {
    const body = `{"logs":[${logs}],"logsTruncated":${logsTruncated},"done":false,"next":-1}`;
    logs = '';
    return body;
  };

  const start = (main, inputJson, isModule) => {
    startedAt = DateNow();
    const input = inputJson === undefined ? undefined : JSONParse(inputJson);
    define('input', input);
    let result;
    try {
      result = main.call(g);
    } catch (e) {
      fail(e);
      return;
    }
    const run = isModule
      ? PromisePrototypeThen(result, (exported) => (typeof exported === 'function' ? exported(input) : exported))
      : result;
    PromisePrototypeThen(
      PromiseResolve(run),
      (value) => {
        if (settled) return;
        settled = true;
        outcome = value;
      },
      fail,
    );
  };

  const tick = () => {
    const next = nextTimer();
    if (next === null) return;
    const { id, timer } = next;
    if (timer.repeat) timer.due += timer.ms;
    else MapDelete(timers, id);
    try {
      timer.callback(...timer.args);
    } catch (e) {
      // An exception escaping a timer ends the run, as an uncaught exception ends a Node process.
      fail(e);
    }
  };

  return function control(op, main, inputJson, isModule) {
    if (op === 'start') start(main, inputJson, isModule);
    else if (op === 'tick') tick();
    else if (op === 'report') return report();
    else if (op === 'flush') return flush();
    return undefined;
  };
});
