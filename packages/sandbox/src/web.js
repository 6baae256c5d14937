// The web platform globals of every acorn context: Headers, Request, Response, TextEncoder, TextDecoder, atob, btoa,
// DOMException, crypto (getRandomValues, randomUUID), fetch (which only says there is no network), structuredClone,
// and URL and URLSearchParams from core-js (built into dist/web-globals.js, see scripts/build-web-globals.ts).
// Compiled with bootstrap.js as one script (isolate-pool.ts) and called by it while the context is prepared, before
// any acorn code exists; it returns what the bootstrap needs for a handler run: the incoming Request, built from the
// host's plan, and the parts of a returned Response, read from the Response's own private state.
//
// Laziness: measured here, making the classes costs ~0.15–0.3 ms in a context and core-js's URL ~1–2 ms, which a
// run that uses none of them must not pay. So the globals are accessors at first (~20 µs a context: v8 makes defining
// properties on a global object dear); the first read or write of one of ours makes all of ours, which then stay
// ordinary data properties (URL and URLSearchParams load core-js the same way; structuredClone loads it when called).
// Captures: plain reads happen here, eagerly; binds and getters when the classes are made. In a handler run that is
// before the acorn's first line, because the host reads the Response it returns; in any other run it is at the first
// touch, where an acorn that replaced built-ins before can only break its own objects: the host reads none of them.
//
// The rules of bootstrap.js hold here too, because this code runs beside hostile code: no acorn-replaceable method
// is called on our own data (records and lists are null-prototype objects, never arrays; no iteration protocol, no
// spread, no `instanceof`, no string method that looks up a symbol); classes keep their state in private fields, so
// reading a Response's status or body never goes through a getter an acorn could replace. Acorn values are converted
// the way WebIDL says (their `toString`, getters and iterators do run, in the acorn's own time).
// biome-ignore-all lint/complexity/noArguments: WebIDL counts the arguments given; functions keep their declared length
(function web(coreJs) {
  // biome-ignore lint/suspicious/noRedundantUseStrict: this file is compiled as part of a script, not a module
  'use strict';
  const g = globalThis;
  // Plain reads, which cost nothing: the rest is captured when the classes are made (see the top of this file).
  const FunctionPrototype = Function.prototype;
  const ErrorCtor = Error;
  const FunctionBind = FunctionPrototype.bind;
  const FunctionCall = FunctionPrototype.call;
  const RawGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const ObjectSetPrototypeOf = Object.setPrototypeOf;
  const ObjectGetPrototypeOf = Object.getPrototypeOf;
  const ObjectDefineProperty = Object.defineProperty;
  const ReflectApply = Reflect.apply;
  /** A descriptor without a prototype: reading a field it lacks must not reach Object.prototype. */
  const describe = (o, key) => {
    const d = RawGetOwnPropertyDescriptor(o, key);
    if (d !== undefined) ObjectSetPrototypeOf(d, null);
    return d;
  };
  const uncurry = (fn) => ReflectApply(FunctionBind, FunctionCall, [fn]);
  const getter = (proto, name) => uncurry(describe(proto, name).get);

  let seedHex;
  /** Called by the bootstrap as a run starts: 64 hex digits from the host's CSPRNG, the key of this run's ChaCha20. */
  const seed = (hex) => {
    seedHex = hex;
  };

  // ---- everything else is made on first use -------------------------------------------------------------------------

  let web;
  const webGroup = () => {
    web ??= createWeb();
    return web;
  };

  const createWeb = () => {
    const ReflectOwnKeys = Reflect.ownKeys;
    const StringFromCharCode = String.fromCharCode;
    const StringCharCodeAt = uncurry(String.prototype.charCodeAt);
    const NumberToString = uncurry(Number.prototype.toString);
    const MathTrunc = Math.trunc;
    const NumberIsFinite = Number.isFinite;
    const JSONStringify = JSON.stringify;
    const JSONParse = JSON.parse;
    const PromiseCtor = Promise;
    const PromiseResolveMethod = PromiseCtor.resolve;
    const PromiseRejectMethod = PromiseCtor.reject;
    const PromiseResolve = (v) => ReflectApply(PromiseResolveMethod, PromiseCtor, [v]);
    const PromiseReject = (e) => ReflectApply(PromiseRejectMethod, PromiseCtor, [e]);
    const TypeErrorCtor = TypeError;
    const RangeErrorCtor = RangeError;
    const Uint8ArrayCtor = Uint8Array;
    const Uint32ArrayCtor = Uint32Array;
    const TypedArrayPrototype = ObjectGetPrototypeOf(Uint8ArrayCtor.prototype);
    /** The typed array's kind ('Uint8Array'…), or undefined for anything else; never throws. */
    const TypedArrayTag = getter(TypedArrayPrototype, Symbol.toStringTag);
    const TypedArrayBuffer = getter(TypedArrayPrototype, 'buffer');
    const TypedArrayByteOffset = getter(TypedArrayPrototype, 'byteOffset');
    const TypedArrayByteLength = getter(TypedArrayPrototype, 'byteLength');
    const TypedArrayLength = getter(TypedArrayPrototype, 'length');
    const TypedArraySet = uncurry(TypedArrayPrototype.set);
    const ArrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength');
    const DataViewBuffer = getter(DataView.prototype, 'buffer');
    const DataViewByteOffset = getter(DataView.prototype, 'byteOffset');
    const DataViewByteLength = getter(DataView.prototype, 'byteLength');
    const SymbolIterator = Symbol.iterator;
    const SymbolToStringTag = Symbol.toStringTag;
    const IteratorPrototype = ObjectGetPrototypeOf(ObjectGetPrototypeOf([][SymbolIterator]()));

    // ---- small tools on our own data --------------------------------------------------------------------------------

    const list = () => ({ __proto__: null, length: 0 });
    const push = (l, item) => {
      l[l.length] = item;
      l.length++;
    };
    /** A real array for the acorn, filled without [[Set]] (an index setter on Array.prototype would fire). */
    const toArray = (l) => {
      const a = [];
      for (let i = 0; i < l.length; i++) {
        ObjectDefineProperty(a, i, {
          __proto__: null,
          value: l[i],
          writable: true,
          enumerable: true,
          configurable: true,
        });
      }
      return a;
    };
    const isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');
    const brand = (check, value) => {
      try {
        check(value);
        return true;
      } catch {
        return false;
      }
    };
    /**
     * A string built from UTF-16 code units: the first few by concatenation, the rest a chunk at a time through
     * `String.fromCharCode` applied to CHUNK, a packed array of ours. Measured: 5× faster than a null-prototype list,
     * 20× faster than concatenating every unit. CHUNK is filled when the classes are made (in a handler run before
     * the acorn's first line) and only ever written at indices it has: its elements stay its own, so apply reads no
     * getter and no index setter on Array.prototype fires. One per context, so builders must not nest (none calls
     * another, or acorn code, while it builds). Units is a class, not a null-prototype record: v8 keeps those as
     * dictionaries, and its fields are read for every unit (own fields, never looked up on a prototype).
     */
    const CHUNK_LENGTH = 8192;
    const CHUNK = uncurry(Array.prototype.fill)(new Array(CHUNK_LENGTH), 0);
    class Units {
      chunked = false;
      length = 0;
      text = '';
    }
    const codeUnits = () => new Units();
    const addUnit = (b, unit) => {
      if (!b.chunked) {
        if (b.length < 64) {
          b.text += StringFromCharCode(unit);
          b.length++;
          return;
        }
        b.chunked = true;
        b.length = 0;
      }
      CHUNK[b.length++] = unit;
      if (b.length === CHUNK_LENGTH) {
        b.text += ReflectApply(StringFromCharCode, undefined, CHUNK);
        b.length = 0;
      }
    };
    const unitsText = (b) => {
      if (b.chunked) for (let i = 0; i < b.length; i++) b.text += StringFromCharCode(CHUNK[i]);
      return b.text;
    };
    /** Defines methods and accessors the way WebIDL does (non-enumerable here; classes already are). */
    const hide = (target, key, value) =>
      ObjectDefineProperty(target, key, {
        __proto__: null,
        value,
        writable: true,
        enumerable: false,
        configurable: true,
      });
    const tag = (proto, name) =>
      ObjectDefineProperty(proto, SymbolToStringTag, { __proto__: null, value: name, configurable: true });

    // ---- conversions, as WebIDL does them ---------------------------------------------------------------------------

    /** DOMString: the acorn's own toString for objects; a Symbol throws, as in WebIDL. */
    const toDOMString = (v) => `${v}`;
    /** USVString: lone surrogates become U+FFFD. */
    const toUSVString = (v) => {
      const s = `${v}`;
      for (let i = 0; i < s.length; i++) {
        const c = StringCharCodeAt(s, i);
        if (c >= 0xd800 && c <= 0xdfff) return wellFormed(s);
      }
      return s;
    };
    const wellFormed = (s) => {
      const b = codeUnits();
      for (let i = 0; i < s.length; i++) {
        const c = StringCharCodeAt(s, i);
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
          const d = StringCharCodeAt(s, i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            addUnit(b, c);
            addUnit(b, d);
            i++;
            continue;
          }
        }
        addUnit(b, c >= 0xd800 && c <= 0xdfff ? 0xfffd : c);
      }
      return unitsText(b);
    };
    const toByteString = (v, what) => {
      const s = `${v}`;
      for (let i = 0; i < s.length; i++) {
        if (StringCharCodeAt(s, i) > 0xff) throw new TypeErrorCtor(`${what} has a character above U+00FF: ${s}`);
      }
      return s;
    };
    /** WebIDL `unsigned short`: modulo 2^16, as `new Response('', { status: 65736 })` (200) shows. */
    const toUnsignedShort = (v) => {
      let n = +v;
      if (!NumberIsFinite(n)) return 0;
      n = MathTrunc(n) % 65536;
      return n < 0 ? n + 65536 : n;
    };
    const lowerAscii = (s) => {
      for (let i = 0; i < s.length; i++) {
        const c = StringCharCodeAt(s, i);
        if (c >= 65 && c <= 90) {
          let out = '';
          for (let j = 0; j < s.length; j++) {
            const d = StringCharCodeAt(s, j);
            out += StringFromCharCode(d >= 65 && d <= 90 ? d + 32 : d);
          }
          return out;
        }
      }
      return s;
    };
    const upperAscii = (s) => {
      let out = '';
      for (let j = 0; j < s.length; j++) {
        const d = StringCharCodeAt(s, j);
        out += StringFromCharCode(d >= 97 && d <= 122 ? d - 32 : d);
      }
      return out;
    };
    /** RFC 9110 token characters (header names, methods). */
    const isToken = (s) => {
      if (s.length === 0) return false;
      for (let i = 0; i < s.length; i++) {
        const c = StringCharCodeAt(s, i);
        const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
        const symbol =
          c === 33 ||
          (c >= 35 && c <= 39) ||
          c === 42 ||
          c === 43 ||
          c === 45 ||
          c === 46 ||
          c === 94 ||
          c === 95 ||
          c === 96 ||
          c === 124 ||
          c === 126;
        if (!alnum && !symbol) return false;
      }
      return true;
    };
    const isHttpWhitespace = (c) => c === 9 || c === 10 || c === 13 || c === 32;
    const sliceString = (s, from, to) => {
      const b = codeUnits();
      for (let i = from; i < to; i++) addUnit(b, StringCharCodeAt(s, i));
      return unitsText(b);
    };
    /** A header value: leading and trailing HTTP whitespace removed; no NUL, CR or LF inside. */
    const headerValue = (v) => {
      const s = toByteString(v, 'A header value');
      let from = 0;
      let to = s.length;
      while (from < to && isHttpWhitespace(StringCharCodeAt(s, from))) from++;
      while (to > from && isHttpWhitespace(StringCharCodeAt(s, to - 1))) to--;
      const value = from === 0 && to === s.length ? s : sliceString(s, from, to);
      for (let i = 0; i < value.length; i++) {
        const c = StringCharCodeAt(value, i);
        if (c === 0 || c === 10 || c === 13) throw new TypeErrorCtor(`Invalid header value: ${JSONStringify(value)}`);
      }
      return value;
    };
    const headerName = (v) => {
      const s = toByteString(v, 'A header name');
      if (!isToken(s)) throw new TypeErrorCtor(`Invalid header name: ${JSONStringify(s)}`);
      return lowerAscii(s);
    };

    // ---- bytes: UTF-8 and base64 ------------------------------------------------------------------------------------

    const utf8Length = (s) => {
      let n = 0;
      for (let i = 0; i < s.length; i++) {
        const c = StringCharCodeAt(s, i);
        if (c < 0x80) n += 1;
        else if (c < 0x800) n += 2;
        else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && isLowSurrogate(StringCharCodeAt(s, i + 1))) {
          n += 4;
          i++;
        } else n += 3;
      }
      return n;
    };
    const isLowSurrogate = (c) => c >= 0xdc00 && c <= 0xdfff;
    /** Writes the UTF-8 of `s` from index `from` into `out`; stops before a character that would not fit. */
    const utf8Write = (s, from, out, offset, room) => {
      let i = from;
      let at = offset;
      const end = offset + room;
      for (; i < s.length; i++) {
        let c = StringCharCodeAt(s, i);
        let units = 1;
        if (c >= 0xd800 && c <= 0xdfff) {
          if (c <= 0xdbff && i + 1 < s.length && isLowSurrogate(StringCharCodeAt(s, i + 1))) {
            c = 0x10000 + ((c - 0xd800) << 10) + (StringCharCodeAt(s, i + 1) - 0xdc00);
            units = 2;
          } else c = 0xfffd;
        }
        if (c < 0x80) {
          if (at + 1 > end) break;
          out[at++] = c;
        } else if (c < 0x800) {
          if (at + 2 > end) break;
          out[at++] = 0xc0 | (c >> 6);
          out[at++] = 0x80 | (c & 63);
        } else if (c < 0x10000) {
          if (at + 3 > end) break;
          out[at++] = 0xe0 | (c >> 12);
          out[at++] = 0x80 | ((c >> 6) & 63);
          out[at++] = 0x80 | (c & 63);
        } else {
          if (at + 4 > end) break;
          out[at++] = 0xf0 | (c >> 18);
          out[at++] = 0x80 | ((c >> 12) & 63);
          out[at++] = 0x80 | ((c >> 6) & 63);
          out[at++] = 0x80 | (c & 63);
        }
        i += units - 1;
      }
      return { __proto__: null, read: i - from, written: at - offset };
    };
    const utf8Encode = (s) => {
      const out = new Uint8ArrayCtor(utf8Length(s));
      utf8Write(s, 0, out, 0, TypedArrayLength(out));
      return out;
    };

    /**
     * The WHATWG UTF-8 decoder: maximal subparts of bad sequences become U+FFFD (or throw when `fatal`). `state`
     * carries an incomplete sequence between streaming calls.
     */
    const utf8Decode = (bytes, from, to, fatal, state) => {
      const b = codeUnits();
      let needed = state.needed;
      let seen = state.seen;
      let point = state.point;
      let lower = state.lower;
      let upper = state.upper;
      const bad = () => {
        if (fatal) throw new TypeErrorCtor('The encoded data was not valid for encoding utf-8');
        addUnit(b, 0xfffd);
      };
      const emit = (c) => {
        if (c < 0x10000) addUnit(b, c);
        else {
          addUnit(b, 0xd800 + ((c - 0x10000) >> 10));
          addUnit(b, 0xdc00 + ((c - 0x10000) & 0x3ff));
        }
      };
      for (let i = from; i < to; i++) {
        const byte = bytes[i];
        if (needed === 0) {
          if (byte <= 0x7f) addUnit(b, byte);
          else if (byte >= 0xc2 && byte <= 0xdf) {
            needed = 1;
            point = byte & 0x1f;
          } else if (byte >= 0xe0 && byte <= 0xef) {
            if (byte === 0xe0) lower = 0xa0;
            if (byte === 0xed) upper = 0x9f;
            needed = 2;
            point = byte & 0xf;
          } else if (byte >= 0xf0 && byte <= 0xf4) {
            if (byte === 0xf0) lower = 0x90;
            if (byte === 0xf4) upper = 0x8f;
            needed = 3;
            point = byte & 0x7;
          } else bad();
          continue;
        }
        if (byte < lower || byte > upper) {
          needed = 0;
          seen = 0;
          point = 0;
          lower = 0x80;
          upper = 0xbf;
          bad();
          i--; // the byte starts over
          continue;
        }
        lower = 0x80;
        upper = 0xbf;
        point = (point << 6) | (byte & 0x3f);
        seen++;
        if (seen === needed) {
          emit(point);
          needed = 0;
          seen = 0;
          point = 0;
        }
      }
      if (state.stream) {
        state.needed = needed;
        state.seen = seen;
        state.point = point;
        state.lower = lower;
        state.upper = upper;
      } else {
        state.needed = 0;
        state.seen = 0;
        state.point = 0;
        state.lower = 0x80;
        state.upper = 0xbf;
        if (needed !== 0) bad();
      }
      return unitsText(b);
    };
    const decoderState = (stream) => ({
      __proto__: null,
      stream,
      needed: 0,
      seen: 0,
      point: 0,
      lower: 0x80,
      upper: 0xbf,
    });
    /** UTF-8 decode, as `text()` does: a leading BOM is dropped, bad sequences become U+FFFD. */
    const utf8Text = (bytes) => {
      const from = TypedArrayLength(bytes) >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
      return utf8Decode(bytes, from, TypedArrayLength(bytes), false, decoderState(false));
    };

    const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    /** Each sextet's character code, and each ASCII character's sextet (64 for `=`, 255 for what is not base64). */
    const BASE64_CODES = new Uint8ArrayCtor(64);
    const BASE64_VALUES = new Uint8ArrayCtor(128);
    for (let i = 0; i < 128; i++) BASE64_VALUES[i] = 255;
    for (let i = 0; i < 64; i++) {
      BASE64_CODES[i] = StringCharCodeAt(BASE64, i);
      BASE64_VALUES[BASE64_CODES[i]] = i;
    }
    BASE64_VALUES[61] = 64;
    /** Base64 of the first `length` bytes; large inputs four characters at a time straight into CHUNK. */
    const base64Encode = (bytes, length) => {
      let text = '';
      let i = 0;
      if (length >= 3072) {
        let n = 0;
        for (; i + 2 < length; i += 3) {
          const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
          CHUNK[n] = BASE64_CODES[v >> 18];
          CHUNK[n + 1] = BASE64_CODES[(v >> 12) & 63];
          CHUNK[n + 2] = BASE64_CODES[(v >> 6) & 63];
          CHUNK[n + 3] = BASE64_CODES[v & 63];
          n += 4;
          if (n === CHUNK_LENGTH) {
            text += ReflectApply(StringFromCharCode, undefined, CHUNK);
            n = 0;
          }
        }
        for (let k = 0; k < n; k++) text += StringFromCharCode(CHUNK[k]);
      }
      const b = codeUnits();
      for (; i + 2 < length; i += 3) {
        const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
        addUnit(b, BASE64_CODES[v >> 18]);
        addUnit(b, BASE64_CODES[(v >> 12) & 63]);
        addUnit(b, BASE64_CODES[(v >> 6) & 63]);
        addUnit(b, BASE64_CODES[v & 63]);
      }
      if (i < length) {
        const v = (bytes[i] << 16) | (i + 1 < length ? bytes[i + 1] << 8 : 0);
        addUnit(b, BASE64_CODES[v >> 18]);
        addUnit(b, BASE64_CODES[(v >> 12) & 63]);
        addUnit(b, i + 1 < length ? BASE64_CODES[(v >> 6) & 63] : 61);
        addUnit(b, 61);
      }
      return text + unitsText(b);
    };
    /** WHATWG forgiving-base64 decode: the bytes, or undefined when `s` is not base64. */
    const base64Decode = (s) => {
      const length = s.length;
      const values = new Uint8ArrayCtor(length);
      let n = 0;
      for (let i = 0; i < length; i++) {
        const c = StringCharCodeAt(s, i);
        if (c === 9 || c === 10 || c === 12 || c === 13 || c === 32) continue;
        const v = c < 128 ? BASE64_VALUES[c] : 255;
        if (v === 255) return undefined;
        values[n++] = v;
      }
      if (n % 4 === 0 && n > 0 && values[n - 1] === 64) {
        n--;
        if (values[n - 1] === 64) n--;
      }
      if (n % 4 === 1) return undefined;
      for (let i = 0; i < n; i++) if (values[i] === 64) return undefined;
      const out = new Uint8ArrayCtor((n * 3) >> 2);
      let at = 0;
      let i = 0;
      for (; i + 3 < n; i += 4) {
        const v = (values[i] << 18) | (values[i + 1] << 12) | (values[i + 2] << 6) | values[i + 3];
        out[at++] = v >> 16;
        out[at++] = (v >> 8) & 255;
        out[at++] = v & 255;
      }
      if (n - i === 2) out[at++] = ((values[i] << 18) | (values[i + 1] << 12)) >> 16;
      else if (n - i === 3) {
        const v = (values[i] << 18) | (values[i + 1] << 12) | (values[i + 2] << 6);
        out[at++] = v >> 16;
        out[at++] = (v >> 8) & 255;
      }
      return out;
    };

    /** The bytes an ArrayBuffer or view covers, as a Uint8Array over them (no copy), or undefined. */
    const bufferSourceBytes = (v) => {
      if (!isObject(v)) return undefined;
      if (TypedArrayTag(v) !== undefined) {
        return new Uint8ArrayCtor(TypedArrayBuffer(v), TypedArrayByteOffset(v), TypedArrayByteLength(v));
      }
      if (brand(DataViewByteLength, v)) {
        return new Uint8ArrayCtor(DataViewBuffer(v), DataViewByteOffset(v), DataViewByteLength(v));
      }
      if (brand(ArrayBufferByteLength, v)) return new Uint8ArrayCtor(v);
      return undefined;
    };
    const copyBytes = (bytes) => {
      const out = new Uint8ArrayCtor(TypedArrayLength(bytes));
      TypedArraySet(out, bytes);
      return out;
    };

    // ---- entropy: ChaCha20, keyed with the run's seed ---------------------------------------------------------------

    let chacha;
    const rotl = (x, n) => (x << n) | (x >>> (32 - n));
    const quarter = (s, a, b, c, d) => {
      s[a] = (s[a] + s[b]) | 0;
      s[d] = rotl(s[d] ^ s[a], 16);
      s[c] = (s[c] + s[d]) | 0;
      s[b] = rotl(s[b] ^ s[c], 12);
      s[a] = (s[a] + s[b]) | 0;
      s[d] = rotl(s[d] ^ s[a], 8);
      s[c] = (s[c] + s[d]) | 0;
      s[b] = rotl(s[b] ^ s[c], 7);
    };
    const startChacha = () => {
      if (typeof seedHex !== 'string' || seedHex.length !== 64)
        throw new ErrorCtor('The sandbox gave this run no entropy');
      const input = new Uint32ArrayCtor(16);
      input[0] = 0x61707865;
      input[1] = 0x3320646e;
      input[2] = 0x79622d32;
      input[3] = 0x6b206574;
      for (let i = 0; i < 8; i++) {
        let word = 0;
        for (let j = 0; j < 8; j++) word = word * 16 + base16(StringCharCodeAt(seedHex, i * 8 + j));
        input[4 + i] = word;
      }
      // Words 12–15: the block counter and a zero nonce; a run draws at most 2^32 blocks (256 GiB).
      return new ChaCha(input);
    };
    /** A class, for the same reason as Units: read for every byte drawn. */
    class ChaCha {
      work = new Uint32ArrayCtor(16);
      block = new Uint8ArrayCtor(64);
      used = 64;
      input;
      constructor(input) {
        this.input = input;
      }
    }
    const base16 = (c) => (c <= 57 ? c - 48 : (c | 32) - 87);
    const nextBlock = (k) => {
      const s = k.work;
      const input = k.input;
      for (let i = 0; i < 16; i++) s[i] = input[i];
      for (let round = 0; round < 10; round++) {
        quarter(s, 0, 4, 8, 12);
        quarter(s, 1, 5, 9, 13);
        quarter(s, 2, 6, 10, 14);
        quarter(s, 3, 7, 11, 15);
        quarter(s, 0, 5, 10, 15);
        quarter(s, 1, 6, 11, 12);
        quarter(s, 2, 7, 8, 13);
        quarter(s, 3, 4, 9, 14);
      }
      const out = k.block;
      for (let i = 0; i < 16; i++) {
        const w = (s[i] + input[i]) | 0;
        out[i * 4] = w;
        out[i * 4 + 1] = w >>> 8;
        out[i * 4 + 2] = w >>> 16;
        out[i * 4 + 3] = w >>> 24;
      }
      input[12] = (input[12] + 1) | 0;
      k.used = 0;
    };
    const randomFill = (bytes) => {
      chacha ??= startChacha();
      const length = TypedArrayLength(bytes);
      for (let i = 0; i < length; i++) {
        if (chacha.used === 64) nextBlock(chacha);
        bytes[i] = chacha.block[chacha.used];
        chacha.block[chacha.used++] = 0; // what was handed out is not kept
      }
      return bytes;
    };

    const illegal = () => new TypeErrorCtor('Illegal constructor');
    const illegalInvocation = () => new TypeErrorCtor('Illegal invocation');
    const required = (what, n, given) => {
      if (given < n) throw new TypeErrorCtor(`Failed to execute '${what}': ${n} argument${n > 1 ? 's' : ''} required`);
    };
    /** Internal construction: the next `new` of one of our classes takes this state instead of its arguments. */
    let building;

    // ---- DOMException -----------------------------------------------------------------------------------------------

    const CODES = {
      __proto__: null,
      IndexSizeError: 1,
      HierarchyRequestError: 3,
      WrongDocumentError: 4,
      InvalidCharacterError: 5,
      NoModificationAllowedError: 7,
      NotFoundError: 8,
      NotSupportedError: 9,
      InUseAttributeError: 10,
      InvalidStateError: 11,
      SyntaxError: 12,
      InvalidModificationError: 13,
      NamespaceError: 14,
      InvalidAccessError: 15,
      TypeMismatchError: 17,
      SecurityError: 18,
      NetworkError: 19,
      AbortError: 20,
      URLMismatchError: 21,
      QuotaExceededError: 22,
      TimeoutError: 23,
      InvalidNodeTypeError: 24,
      DataCloneError: 25,
    };
    /** The legacy code constants, 1 to 25 in this order. */
    const CONSTANTS = [
      'INDEX_SIZE_ERR',
      'DOMSTRING_SIZE_ERR',
      'HIERARCHY_REQUEST_ERR',
      'WRONG_DOCUMENT_ERR',
      'INVALID_CHARACTER_ERR',
      'NO_DATA_ALLOWED_ERR',
      'NO_MODIFICATION_ALLOWED_ERR',
      'NOT_FOUND_ERR',
      'NOT_SUPPORTED_ERR',
      'INUSE_ATTRIBUTE_ERR',
      'INVALID_STATE_ERR',
      'SYNTAX_ERR',
      'INVALID_MODIFICATION_ERR',
      'NAMESPACE_ERR',
      'INVALID_ACCESS_ERR',
      'VALIDATION_ERR',
      'TYPE_MISMATCH_ERR',
      'SECURITY_ERR',
      'NETWORK_ERR',
      'ABORT_ERR',
      'URL_MISMATCH_ERR',
      'QUOTA_EXCEEDED_ERR',
      'TIMEOUT_ERR',
      'INVALID_NODE_TYPE_ERR',
      'DATA_CLONE_ERR',
    ];
    /** DOMException is made when first needed: its 50 constants cost more than the rest of Response's group. */
    let DOMExceptionClass;
    const domExceptionClass = () => {
      if (DOMExceptionClass !== undefined) return DOMExceptionClass;
      // An Error underneath (v8's stack, Error.prototype above it), its name and message in private fields behind the
      // prototype's getters, as WebIDL has them.
      class DOMException extends ErrorCtor {
        #name;
        #message;
        constructor(message = '', options = 'Error') {
          const text = toDOMString(message);
          // v8 takes an error's message for its stack when it is made, from the own property: given, then removed,
          // so that `message` is the prototype's getter as WebIDL has it, and the stack still reads "Name: message".
          super(text);
          delete this.message;
          this.#message = text;
          if (isObject(options)) {
            const name = options.name;
            this.#name = name === undefined ? 'Error' : toDOMString(name);
            if ('cause' in options) hide(this, 'cause', options.cause);
          } else this.#name = toDOMString(options);
        }
        static #own(e) {
          if (!isObject(e) || !(#name in e)) throw illegalInvocation();
          return e;
        }
        get name() {
          return DOMException.#own(this).#name;
        }
        get message() {
          return DOMException.#own(this).#message;
        }
        get code() {
          return CODES[DOMException.#own(this).#name] ?? 0;
        }
      }
      for (let i = 0; i < CONSTANTS.length; i++) {
        const d = { __proto__: null, value: i + 1, writable: false, enumerable: true, configurable: false };
        ObjectDefineProperty(DOMException, CONSTANTS[i], d);
        ObjectDefineProperty(DOMException.prototype, CONSTANTS[i], d);
      }
      tag(DOMException.prototype, 'DOMException');
      DOMExceptionClass = DOMException;
      return DOMException;
    };
    const domError = (message, name) => new (domExceptionClass())(message, name);

    // ---- atob, btoa -------------------------------------------------------------------------------------------------

    const atob = function atob(data) {
      required('atob', 1, arguments.length);
      const bytes = base64Decode(toDOMString(data));
      if (bytes === undefined) {
        throw domError('The string to be decoded is not correctly encoded.', 'InvalidCharacterError');
      }
      const b = codeUnits();
      for (let i = 0; i < TypedArrayLength(bytes); i++) addUnit(b, bytes[i]);
      return unitsText(b);
    };
    const btoa = function btoa(data) {
      required('btoa', 1, arguments.length);
      const s = toDOMString(data);
      const bytes = new Uint8ArrayCtor(s.length);
      for (let i = 0; i < s.length; i++) {
        const c = StringCharCodeAt(s, i);
        if (c > 0xff) {
          throw domError(
            'The string to be encoded contains characters outside of the Latin1 range.',
            'InvalidCharacterError',
          );
        }
        bytes[i] = c;
      }
      return base64Encode(bytes, TypedArrayLength(bytes));
    };

    // ---- TextEncoder, TextDecoder -----------------------------------------------------------------------------------

    class TextEncoder {
      #utf8 = true;
      static #own(e) {
        if (!isObject(e) || !(#utf8 in e)) throw illegalInvocation();
      }
      get encoding() {
        TextEncoder.#own(this);
        return 'utf-8';
      }
      encode(input = '') {
        TextEncoder.#own(this);
        return utf8Encode(toUSVString(input));
      }
      encodeInto(source, destination) {
        TextEncoder.#own(this);
        required('encodeInto', 2, arguments.length);
        const s = toUSVString(source);
        if (TypedArrayTag(destination) !== 'Uint8Array') {
          throw new TypeErrorCtor("Failed to execute 'encodeInto': parameter 2 is not of type 'Uint8Array'");
        }
        const out = new Uint8ArrayCtor(
          TypedArrayBuffer(destination),
          TypedArrayByteOffset(destination),
          TypedArrayByteLength(destination),
        );
        const r = utf8Write(s, 0, out, 0, TypedArrayLength(out));
        return { read: r.read, written: r.written };
      }
    }
    tag(TextEncoder.prototype, 'TextEncoder');

    const UTF8_LABELS = {
      __proto__: null,
      'unicode-1-1-utf-8': true,
      unicode11utf8: true,
      unicode20utf8: true,
      'utf-8': true,
      utf8: true,
      'x-unicode20utf8': true,
    };
    const isAsciiWhitespace = (c) => c === 9 || c === 10 || c === 12 || c === 13 || c === 32;
    const trimAscii = (s) => {
      let from = 0;
      let to = s.length;
      while (from < to && isAsciiWhitespace(StringCharCodeAt(s, from))) from++;
      while (to > from && isAsciiWhitespace(StringCharCodeAt(s, to - 1))) to--;
      return from === 0 && to === s.length ? s : sliceString(s, from, to);
    };
    class TextDecoder {
      #fatal;
      #ignoreBOM;
      #state = decoderState(false);
      /** Bytes were decoded since the stream (re)started: a BOM is only looked for at its start. */
      #started = false;
      constructor(label = 'utf-8', options = undefined) {
        const name = lowerAscii(trimAscii(toDOMString(label)));
        if (UTF8_LABELS[name] !== true) {
          throw new RangeErrorCtor(
            `Failed to construct 'TextDecoder': The encoding label provided ('${name}') is not supported (only utf-8 is).`,
          );
        }
        if (options !== undefined && options !== null && !isObject(options)) {
          throw new TypeErrorCtor(
            "Failed to construct 'TextDecoder': The provided value is not of type 'TextDecoderOptions'",
          );
        }
        this.#fatal = isObject(options) ? !!options.fatal : false;
        this.#ignoreBOM = isObject(options) ? !!options.ignoreBOM : false;
      }
      static #own(d) {
        if (!isObject(d) || !(#fatal in d)) throw illegalInvocation();
        return d;
      }
      get encoding() {
        TextDecoder.#own(this);
        return 'utf-8';
      }
      get fatal() {
        return TextDecoder.#own(this).#fatal;
      }
      get ignoreBOM() {
        return TextDecoder.#own(this).#ignoreBOM;
      }
      decode(input = undefined, options = undefined) {
        const self = TextDecoder.#own(this);
        let bytes = EMPTY;
        if (input !== undefined) {
          bytes = bufferSourceBytes(input);
          if (bytes === undefined) {
            throw new TypeErrorCtor(
              "Failed to execute 'decode' on 'TextDecoder': The provided value is not of type '(ArrayBuffer or ArrayBufferView)'",
            );
          }
        }
        const stream = isObject(options) ? !!options.stream : false;
        const state = self.#state;
        let from = 0;
        const length = TypedArrayLength(bytes);
        // A BOM split across streaming calls is decoded as text (browsers hold its first bytes back).
        if (!self.#started && !self.#ignoreBOM && length >= 3) {
          if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) from = 3;
        }
        if (length > 0) self.#started = true;
        state.stream = stream;
        try {
          return utf8Decode(bytes, from, length, self.#fatal, state);
        } catch (e) {
          self.#state = decoderState(false);
          self.#started = false;
          throw e;
        } finally {
          if (!stream) self.#started = false;
        }
      }
    }
    tag(TextDecoder.prototype, 'TextDecoder');

    // ---- crypto -----------------------------------------------------------------------------------------------------

    const INTEGER_ARRAYS = {
      __proto__: null,
      Int8Array: true,
      Uint8Array: true,
      Uint8ClampedArray: true,
      Int16Array: true,
      Uint16Array: true,
      Int32Array: true,
      Uint32Array: true,
      BigInt64Array: true,
      BigUint64Array: true,
    };
    class Crypto {
      #crypto = true;
      constructor() {
        if (building !== Crypto) throw illegal();
        building = undefined;
      }
      static #own(c) {
        if (!isObject(c) || !(#crypto in c)) throw illegalInvocation();
      }
      getRandomValues(array) {
        Crypto.#own(this);
        required('getRandomValues', 1, arguments.length);
        const kind = TypedArrayTag(array);
        if (kind === undefined) {
          if (isObject(array) && brand(DataViewByteLength, array)) {
            throw domError('The data argument must be an integer-type TypedArray', 'TypeMismatchError');
          }
          throw new TypeErrorCtor("Failed to execute 'getRandomValues': parameter 1 is not of type 'ArrayBufferView'");
        }
        if (INTEGER_ARRAYS[kind] !== true) {
          throw domError('The data argument must be an integer-type TypedArray', 'TypeMismatchError');
        }
        const length = TypedArrayByteLength(array);
        if (length > 65536) {
          throw domError(
            `The ArrayBufferView's byte length (${length}) exceeds the number of bytes of entropy available via this API (65536).`,
            'QuotaExceededError',
          );
        }
        randomFill(new Uint8ArrayCtor(TypedArrayBuffer(array), TypedArrayByteOffset(array), length));
        return array;
      }
      randomUUID() {
        Crypto.#own(this);
        const b = randomFill(new Uint8ArrayCtor(16));
        b[6] = (b[6] & 0x0f) | 0x40; // version 4
        b[8] = (b[8] & 0x3f) | 0x80; // variant 10
        let out = '';
        for (let i = 0; i < 16; i++) {
          if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
          out += (b[i] < 16 ? '0' : '') + NumberToString(b[i], 16);
        }
        return out;
      }
    }
    tag(Crypto.prototype, 'Crypto');
    building = Crypto;
    const crypto = new Crypto();

    // ---- fetch ------------------------------------------------------------------------------------------------------

    const fetch = function fetch(_input) {
      return PromiseReject(new TypeErrorCtor('fetch is not available: acorns have no network access'));
    };

    // ---- Headers ----------------------------------------------------------------------------------------------------
    // A header list is a list of { name (lowercase), value } records in the order they were added.

    const appendEntry = (entries, name, value) => push(entries, { __proto__: null, name, value });
    const combined = (entries, name) => {
      let value = null;
      for (let i = 0; i < entries.length; i++) {
        if (entries[i].name === name) value = value === null ? entries[i].value : `${value}, ${entries[i].value}`;
      }
      return value;
    };
    const removeFrom = (entries, from, name) => {
      let keep = from;
      for (let i = from; i < entries.length; i++) if (entries[i].name !== name) entries[keep++] = entries[i];
      for (let i = keep; i < entries.length; i++) entries[i] = undefined;
      entries.length = keep;
    };
    /** The list as iteration shows it: names sorted, values of a name combined, except Set-Cookie's, one by one. */
    const sortAndCombine = (entries) => {
      const names = list();
      for (let i = 0; i < entries.length; i++) {
        const name = entries[i].name;
        let seen = false;
        for (let j = 0; j < names.length && !seen; j++) seen = names[j] === name;
        if (seen) continue;
        let at = names.length;
        while (at > 0 && names[at - 1] > name) {
          names[at] = names[at - 1];
          at--;
        }
        names[at] = name;
        names.length++;
      }
      const out = list();
      for (let n = 0; n < names.length; n++) {
        const name = names[n];
        if (name !== 'set-cookie') {
          appendEntry(out, name, combined(entries, name));
          continue;
        }
        for (let i = 0; i < entries.length; i++) if (entries[i].name === name) appendEntry(out, name, entries[i].value);
      }
      return out;
    };

    let headersOf;
    let makeHeaders;
    class Headers {
      #entries = list();
      #immutable = false;
      constructor(init = undefined) {
        if (init !== undefined) fillHeaders(this.#entries, init);
      }
      static #own(h) {
        if (!isObject(h) || !(#entries in h)) throw illegalInvocation();
        return h;
      }
      static #mutable(h) {
        const self = Headers.#own(h);
        if (self.#immutable) throw new TypeErrorCtor('Headers are immutable');
        return self.#entries;
      }
      static {
        headersOf = (h) => (isObject(h) && #entries in h ? h : undefined);
        makeHeaders = (entries, immutable) => {
          const h = new Headers();
          for (let i = 0; i < entries.length; i++) appendEntry(h.#entries, entries[i].name, entries[i].value);
          h.#immutable = immutable;
          return h;
        };
      }
      /** The header list and guard of a Headers known to be one. */
      static entriesOf(h) {
        return h.#entries;
      }
      static immutable(h) {
        return h.#immutable;
      }
      append(name, value) {
        required('append', 2, arguments.length);
        const entries = Headers.#mutable(this);
        appendEntry(entries, headerName(name), headerValue(value));
      }
      delete(name) {
        required('delete', 1, arguments.length);
        const entries = Headers.#mutable(this);
        removeFrom(entries, 0, headerName(name));
      }
      get(name) {
        required('get', 1, arguments.length);
        return combined(Headers.#own(this).#entries, headerName(name));
      }
      getSetCookie() {
        const entries = Headers.#own(this).#entries;
        const out = list();
        for (let i = 0; i < entries.length; i++) if (entries[i].name === 'set-cookie') push(out, entries[i].value);
        return toArray(out);
      }
      has(name) {
        required('has', 1, arguments.length);
        const entries = Headers.#own(this).#entries;
        const key = headerName(name);
        for (let i = 0; i < entries.length; i++) if (entries[i].name === key) return true;
        return false;
      }
      set(name, value) {
        required('set', 2, arguments.length);
        const entries = Headers.#mutable(this);
        const key = headerName(name);
        const v = headerValue(value);
        for (let i = 0; i < entries.length; i++) {
          if (entries[i].name === key) {
            entries[i] = { __proto__: null, name: key, value: v };
            removeFrom(entries, i + 1, key);
            return;
          }
        }
        appendEntry(entries, key, v);
      }
      forEach(callback, thisArg = undefined) {
        const self = Headers.#own(this);
        if (typeof callback !== 'function') {
          throw new TypeErrorCtor("Failed to execute 'forEach' on 'Headers': parameter 1 is not of type 'Function'");
        }
        // The list may change under the callback: sorted again at every step, as the spec's iteration does.
        for (let i = 0; ; i++) {
          const pairs = sortAndCombine(self.#entries);
          if (i >= pairs.length) return;
          ReflectApply(callback, thisArg, [pairs[i].value, pairs[i].name, self]);
        }
      }
      keys() {
        return newIterator(Headers.#own(this).#entries, 'key');
      }
      values() {
        return newIterator(Headers.#own(this).#entries, 'value');
      }
      entries() {
        return newIterator(Headers.#own(this).#entries, 'key+value');
      }
    }
    const headerEntries = Headers.entriesOf;
    const headersImmutable = Headers.immutable;
    delete Headers.entriesOf;
    delete Headers.immutable;
    hide(Headers.prototype, SymbolIterator, Headers.prototype.entries);
    tag(Headers.prototype, 'Headers');

    class HeadersIterator {
      #entries;
      #kind;
      #index = 0;
      constructor() {
        if (building === undefined || building.iterator !== true) throw illegal();
        this.#entries = building.entries;
        this.#kind = building.kind;
        building = undefined;
      }
      next() {
        if (!isObject(this) || !(#entries in this)) throw illegalInvocation();
        const pairs = sortAndCombine(this.#entries);
        if (this.#index >= pairs.length) return { value: undefined, done: true };
        const pair = pairs[this.#index++];
        const kind = this.#kind;
        const value = kind === 'key' ? pair.name : kind === 'value' ? pair.value : [pair.name, pair.value];
        return { value, done: false };
      }
    }
    ObjectSetPrototypeOf(HeadersIterator.prototype, IteratorPrototype);
    tag(HeadersIterator.prototype, 'Headers Iterator');
    // Iterator prototypes have no constructor of their own (%IteratorPrototype%'s is inherited).
    delete HeadersIterator.prototype.constructor;
    const newIterator = (entries, kind) => {
      building = { __proto__: null, iterator: true, entries, kind };
      return new HeadersIterator();
    };

    /** A HeadersInit into a header list: another Headers, a sequence of [name, value] pairs, or a record. */
    const fillHeaders = (entries, init) => {
      const other = headersOf(init);
      if (other !== undefined) {
        const from = headerEntries(other);
        for (let i = 0; i < from.length; i++) appendEntry(entries, from[i].name, from[i].value);
        return;
      }
      if (!isObject(init)) {
        throw new TypeErrorCtor(
          "Failed to construct 'Headers': The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'",
        );
      }
      const method = init[SymbolIterator];
      if (method !== undefined && method !== null) {
        const pairs = sequenceOf(init, method, Infinity);
        for (let i = 0; i < pairs.length; i++) {
          const pair = pairs[i];
          if (!isObject(pair)) throw new TypeErrorCtor('A header pair must be a sequence of a name and a value');
          const items = sequenceOf(pair, pair[SymbolIterator], 3);
          if (items.length !== 2) {
            throw new TypeErrorCtor('A header pair must have exactly two items: a name and a value');
          }
          appendEntry(entries, headerName(items[0]), headerValue(items[1]));
        }
        return;
      }
      // A record: own enumerable string keys, in order.
      const keys = ReflectOwnKeys(init);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        if (typeof key !== 'string') continue;
        const d = describe(init, key);
        if (d === undefined || !d.enumerable) continue;
        appendEntry(entries, headerName(key), headerValue(init[key]));
      }
    };
    /** A WebIDL sequence from an iterable, as a list (at most `max` items are taken). */
    const sequenceOf = (value, method, max) => {
      if (typeof method !== 'function') throw new TypeErrorCtor('The value is not iterable');
      const iterator = ReflectApply(method, value, []);
      if (!isObject(iterator)) throw new TypeErrorCtor('The iterator is not an object');
      const next = iterator.next;
      const out = list();
      while (out.length < max) {
        const step = ReflectApply(next, iterator, []);
        if (!isObject(step)) throw new TypeErrorCtor('The iterator result is not an object');
        if (step.done) break;
        push(out, step.value);
      }
      return out;
    };

    // ---- bodies -----------------------------------------------------------------------------------------------------
    // A body is { bytes: a Uint8Array of ours, never handed out and never changed, type: the Content-Type it implies }.

    const EMPTY = new Uint8ArrayCtor(0);
    const extractBody = (init) => {
      const bytes = bufferSourceBytes(init);
      if (bytes !== undefined) return { __proto__: null, bytes: copyBytes(bytes), type: null };
      const params = urlParamsText(init);
      if (params !== undefined) {
        return {
          __proto__: null,
          bytes: utf8Encode(params),
          type: 'application/x-www-form-urlencoded;charset=UTF-8',
        };
      }
      return { __proto__: null, bytes: utf8Encode(toUSVString(init)), type: 'text/plain;charset=UTF-8' };
    };
    /** The body methods of Request and Response, on their state ({ body, used }). */
    const consume = (state, convert) => {
      if (state.used) return PromiseReject(new TypeErrorCtor('Body is unusable: Body has already been read'));
      const bytes = state.body === null ? EMPTY : state.body.bytes;
      if (state.body !== null) state.used = true;
      try {
        return PromiseResolve(convert(bytes));
      } catch (e) {
        return PromiseReject(e);
      }
    };
    const asText = (bytes) => utf8Text(bytes);
    const asJson = (bytes) => JSONParse(utf8Text(bytes));
    const asArrayBuffer = (bytes) => TypedArrayBuffer(copyBytes(bytes));
    const withContentType = (headers, body) => {
      if (body === null || body.type === null) return;
      const entries = headerEntries(headers);
      if (combined(entries, 'content-type') === null) appendEntry(entries, 'content-type', body.type);
    };

    // ---- Request ----------------------------------------------------------------------------------------------------

    const NORMALIZED_METHODS = {
      __proto__: null,
      DELETE: true,
      GET: true,
      HEAD: true,
      OPTIONS: true,
      POST: true,
      PUT: true,
    };
    const FORBIDDEN_METHODS = { __proto__: null, CONNECT: true, TRACE: true, TRACK: true };
    const REDIRECT_MODES = { __proto__: null, follow: true, error: true, manual: true };
    const normalizeMethod = (m) => {
      const upper = upperAscii(m);
      return NORMALIZED_METHODS[upper] === true ? upper : m;
    };
    /** scheme://user:pass@host…: an `@` before the path, which only credentials put in a serialised URL. */
    const hasCredentials = (href) => {
      let i = 0;
      while (i < href.length && StringCharCodeAt(href, i) !== 58) i++;
      if (StringCharCodeAt(href, i + 1) !== 47 || StringCharCodeAt(href, i + 2) !== 47) return false;
      for (let j = i + 3; j < href.length; j++) {
        const c = StringCharCodeAt(href, j);
        if (c === 64) return true;
        if (c === 47 || c === 63 || c === 35 || c === 92) return false;
      }
      return false;
    };
    const requestState = () => ({
      __proto__: null,
      method: 'GET',
      url: '',
      headers: null,
      body: null,
      used: false,
      redirect: 'follow',
    });

    let requestOf;
    class Request {
      #state;
      constructor(input, init = undefined) {
        if (building !== undefined && building.request === true) {
          this.#state = building.state;
          building = undefined;
          return;
        }
        if (arguments.length === 0) throw new TypeErrorCtor("Failed to construct 'Request': 1 argument required");
        const from = requestOf(input);
        const state = requestState();
        if (from === undefined) {
          const href = urlHref(toUSVString(input));
          if (href === undefined) {
            throw new TypeErrorCtor(`Failed to construct 'Request': Invalid URL ${JSONStringify(toUSVString(input))}`);
          }
          if (hasCredentials(href)) {
            throw new TypeErrorCtor(
              "Failed to construct 'Request': Request cannot be constructed from a URL that includes credentials",
            );
          }
          state.url = href;
        } else {
          state.method = from.method;
          state.url = from.url;
          state.redirect = from.redirect;
        }
        if (init !== undefined && init !== null && !isObject(init)) {
          throw new TypeErrorCtor("Failed to construct 'Request': The provided value is not of type 'RequestInit'");
        }
        // The members WebIDL reads, in its (alphabetical) order; the rest of RequestInit means nothing here.
        const o = isObject(init) ? init : undefined;
        const bodyInit = o === undefined ? undefined : o.body;
        const headersInit = o === undefined ? undefined : o.headers;
        const methodInit = o === undefined ? undefined : o.method;
        const redirectInit = o === undefined ? undefined : o.redirect;
        if (methodInit !== undefined) {
          const m = toByteString(methodInit, 'A method');
          if (!isToken(m)) throw new TypeErrorCtor(`Failed to construct 'Request': '${m}' is not a valid HTTP method.`);
          if (FORBIDDEN_METHODS[upperAscii(m)] === true) {
            throw new TypeErrorCtor(`Failed to construct 'Request': '${m}' HTTP method is unsupported.`);
          }
          state.method = normalizeMethod(m);
        }
        if (redirectInit !== undefined) {
          const r = toDOMString(redirectInit);
          if (REDIRECT_MODES[r] !== true) {
            throw new TypeErrorCtor(`Failed to construct 'Request': '${r}' is not a valid value for redirect`);
          }
          state.redirect = r;
        }
        state.headers = new Headers(headersInit === undefined && from !== undefined ? from.headers : headersInit);
        const hasBodyInit = bodyInit !== undefined && bodyInit !== null;
        const inputBody = from === undefined ? null : from.body;
        if ((hasBodyInit || inputBody !== null) && (state.method === 'GET' || state.method === 'HEAD')) {
          throw new TypeErrorCtor("Failed to construct 'Request': Request with GET/HEAD method cannot have body.");
        }
        if (hasBodyInit) {
          state.body = extractBody(bodyInit);
          withContentType(state.headers, state.body);
        } else if (inputBody !== null) {
          if (from.used) {
            throw new TypeErrorCtor(
              "Failed to construct 'Request': Cannot construct a Request with a Request object that has already been used.",
            );
          }
          state.body = inputBody;
          from.used = true; // the new Request takes the body over, as it would take over a stream
        }
        this.#state = state;
      }
      static #own(r) {
        if (!isObject(r) || !(#state in r)) throw illegalInvocation();
        return r.#state;
      }
      static {
        requestOf = (r) => (isObject(r) && #state in r ? r.#state : undefined);
      }
      get method() {
        return Request.#own(this).method;
      }
      get url() {
        return Request.#own(this).url;
      }
      get headers() {
        return Request.#own(this).headers;
      }
      get redirect() {
        return Request.#own(this).redirect;
      }
      get bodyUsed() {
        return Request.#own(this).used;
      }
      get cache() {
        Request.#own(this);
        return 'default';
      }
      get credentials() {
        Request.#own(this);
        return 'same-origin';
      }
      get destination() {
        Request.#own(this);
        return '';
      }
      get integrity() {
        Request.#own(this);
        return '';
      }
      get keepalive() {
        Request.#own(this);
        return false;
      }
      get mode() {
        Request.#own(this);
        return 'cors';
      }
      get referrer() {
        Request.#own(this);
        return 'about:client';
      }
      get referrerPolicy() {
        Request.#own(this);
        return '';
      }
      clone() {
        const state = Request.#own(this);
        if (state.used) throw new TypeErrorCtor("Failed to execute 'clone' on 'Request': Request body is already used");
        const copy = requestState();
        copy.method = state.method;
        copy.url = state.url;
        copy.redirect = state.redirect;
        copy.headers = makeHeaders(headerEntries(state.headers), false);
        copy.body = state.body; // bytes are never changed once a body holds them
        return newRequest(copy);
      }
      text() {
        return consume(Request.#own(this), asText);
      }
      json() {
        return consume(Request.#own(this), asJson);
      }
      arrayBuffer() {
        return consume(Request.#own(this), asArrayBuffer);
      }
      bytes() {
        return consume(Request.#own(this), copyBytes);
      }
    }
    tag(Request.prototype, 'Request');
    const newRequest = (state) => {
      building = { __proto__: null, request: true, state };
      return new Request();
    };

    // ---- Response ---------------------------------------------------------------------------------------------------

    const NULL_BODY_STATUS = { __proto__: null, 101: true, 103: true, 204: true, 205: true, 304: true };
    const REDIRECT_STATUS = { __proto__: null, 301: true, 302: true, 303: true, 307: true, 308: true };
    const isReasonPhrase = (s) => {
      for (let i = 0; i < s.length; i++) {
        const c = StringCharCodeAt(s, i);
        if (!(c === 9 || (c >= 32 && c <= 126) || c >= 0x80)) return false;
      }
      return true;
    };
    const responseState = () => ({
      __proto__: null,
      type: 'default',
      status: 200,
      statusText: '',
      headers: null,
      body: null,
      used: false,
    });
    /** A ResponseInit (headers, status, statusText, read in WebIDL's order) and the body, onto a state. */
    const initResponse = (state, init, body) => {
      if (init !== undefined && init !== null && !isObject(init)) {
        throw new TypeErrorCtor("Failed to construct 'Response': The provided value is not of type 'ResponseInit'");
      }
      const o = isObject(init) ? init : undefined;
      const headersInit = o === undefined ? undefined : o.headers;
      const statusInit = o === undefined ? undefined : o.status;
      const statusTextInit = o === undefined ? undefined : o.statusText;
      const status = statusInit === undefined ? 200 : toUnsignedShort(statusInit);
      const statusText = statusTextInit === undefined ? '' : toByteString(statusTextInit, 'statusText');
      if (status < 200 || status > 599) {
        throw new RangeErrorCtor(
          `Failed to construct 'Response': The status provided (${status}) is outside the range [200, 599].`,
        );
      }
      if (!isReasonPhrase(statusText)) {
        throw new TypeErrorCtor("Failed to construct 'Response': Invalid statusText");
      }
      state.status = status;
      state.statusText = statusText;
      state.headers = new Headers(headersInit);
      if (body === null) return;
      if (NULL_BODY_STATUS[status] === true) {
        throw new TypeErrorCtor(
          `Failed to construct 'Response': Response with null body status (${status}) cannot have body`,
        );
      }
      state.body = body;
      withContentType(state.headers, body);
    };

    let responseOf;
    class Response {
      #state;
      constructor(body = null, init = undefined) {
        if (building !== undefined && building.response === true) {
          this.#state = building.state;
          building = undefined;
          return;
        }
        const state = responseState();
        initResponse(state, init, body === null || body === undefined ? null : extractBody(body));
        this.#state = state;
      }
      static #own(r) {
        if (!isObject(r) || !(#state in r)) throw illegalInvocation();
        return r.#state;
      }
      static {
        responseOf = (r) => (isObject(r) && #state in r ? r.#state : undefined);
      }
      static error() {
        const state = responseState();
        state.type = 'error';
        state.status = 0;
        state.headers = makeHeaders(list(), true);
        return newResponse(state);
      }
      static redirect(url, status = 302) {
        required('redirect', 1, arguments.length);
        const href = urlHref(toUSVString(url));
        if (href === undefined) {
          throw new TypeErrorCtor(
            `Failed to execute 'redirect' on 'Response': Invalid URL ${JSONStringify(toUSVString(url))}`,
          );
        }
        const code = toUnsignedShort(status);
        if (REDIRECT_STATUS[code] !== true) {
          throw new RangeErrorCtor(`Failed to execute 'redirect' on 'Response': Invalid status code ${code}`);
        }
        const state = responseState();
        state.status = code;
        const entries = list();
        appendEntry(entries, 'location', href);
        state.headers = makeHeaders(entries, true);
        return newResponse(state);
      }
      static json(data, init = undefined) {
        required('json', 1, arguments.length);
        const text = JSONStringify(data);
        if (text === undefined) {
          throw new TypeErrorCtor("Failed to execute 'json' on 'Response': The data is not JSON serializable");
        }
        const state = responseState();
        initResponse(state, init, { __proto__: null, bytes: utf8Encode(text), type: 'application/json' });
        return newResponse(state);
      }
      get type() {
        return Response.#own(this).type;
      }
      get url() {
        Response.#own(this);
        return '';
      }
      get redirected() {
        Response.#own(this);
        return false;
      }
      get status() {
        return Response.#own(this).status;
      }
      get ok() {
        const status = Response.#own(this).status;
        return status >= 200 && status <= 299;
      }
      get statusText() {
        return Response.#own(this).statusText;
      }
      get headers() {
        return Response.#own(this).headers;
      }
      get bodyUsed() {
        return Response.#own(this).used;
      }
      clone() {
        const state = Response.#own(this);
        if (state.used) {
          throw new TypeErrorCtor("Failed to execute 'clone' on 'Response': Response body is already used");
        }
        const copy = responseState();
        copy.type = state.type;
        copy.status = state.status;
        copy.statusText = state.statusText;
        copy.headers = makeHeaders(headerEntries(state.headers), headersImmutable(state.headers));
        copy.body = state.body; // bytes are never changed once a body holds them
        return newResponse(copy);
      }
      text() {
        return consume(Response.#own(this), asText);
      }
      json() {
        return consume(Response.#own(this), asJson);
      }
      arrayBuffer() {
        return consume(Response.#own(this), asArrayBuffer);
      }
      bytes() {
        return consume(Response.#own(this), copyBytes);
      }
    }
    tag(Response.prototype, 'Response');
    const ResponsePrototype = Response.prototype;
    const newResponse = (state) => {
      building = { __proto__: null, response: true, state };
      return new Response();
    };

    // ---- structuredClone: core-js's, loaded on the first call -------------------------------------------------------

    const structuredClone = function structuredClone(value, ...options) {
      if (arguments.length === 0) {
        throw new TypeErrorCtor("Failed to execute 'structuredClone': 1 argument required, but only 0 present.");
      }
      const clone = coreJsPart('clone').structuredClone;
      return options.length === 0 ? clone(value) : clone(value, options[0]);
    };

    // ---- what the bootstrap needs for a handler run -----------------------------------------------------------------

    /** The incoming Request, from the host's plan: method, absolute URL (normalised by the host), headers, body. */
    const planRequest = (plan) => {
      const state = requestState();
      state.method = normalizeMethod(plan.method);
      state.url = plan.url;
      const entries = list();
      const headers = plan.headers;
      for (let i = 0; i < headers.length; i++) {
        // A header no HTTP message could carry is left out rather than failing the acorn.
        try {
          appendEntry(entries, headerName(headers[i][0]), headerValue(headers[i][1]));
        } catch {}
      }
      state.headers = makeHeaders(entries, false);
      const upper = upperAscii(state.method);
      if (typeof plan.bodyBase64 === 'string' && upper !== 'GET' && upper !== 'HEAD') {
        const bytes = base64Decode(plan.bodyBase64);
        if (bytes !== undefined) state.body = { __proto__: null, bytes, type: null };
      }
      return newRequest(state);
    };

    /**
     * A handler's return value, read from private state only (no getter or method an acorn could replace is called):
     * `{ response: true, status, headers (sorted and combined), bytes }` for a Response of ours, `{ error }` for one
     * that cannot be sent, or `{ response: false, imitation }` for anything else, `imitation` when it inherits from
     * Response.prototype without being one (a Proxy, Object.create) and so must not be sent as JSON.
     */
    const responseParts = (value) => {
      const state = responseOf(value);
      if (state === undefined) {
        // A Proxy's getPrototypeOf trap runs here (acorn code, in the acorn's time): what it throws fails the run.
        let imitation = false;
        let p = value;
        for (let i = 0; i < 100 && isObject(p) && !imitation; i++) {
          p = ObjectGetPrototypeOf(p);
          imitation = p === ResponsePrototype;
        }
        return { __proto__: null, response: false, imitation };
      }
      if (state.type === 'error') {
        return {
          __proto__: null,
          error: new TypeErrorCtor('The handler returned Response.error(), which cannot be sent'),
        };
      }
      if (state.used) {
        return {
          __proto__: null,
          error: new TypeErrorCtor('The handler returned a Response whose body was already read'),
        };
      }
      const bytes = state.body === null ? EMPTY : state.body.bytes;
      return {
        __proto__: null,
        response: true,
        status: state.status,
        headers: sortAndCombine(headerEntries(state.headers)),
        bytes,
      };
    };

    const values = {
      __proto__: null,
      Headers,
      Request,
      Response,
      TextEncoder,
      TextDecoder,
      Crypto,
      crypto,
      fetch,
      atob,
      btoa,
      structuredClone,
    };
    return { __proto__: null, values, domExceptionClass, planRequest, responseParts, utf8Encode, base64Encode };
  };

  // ---- core-js: URL and URLSearchParams, and structuredClone --------------------------------------------------------

  let coreLoad;
  let coreGlobal;
  let url;
  /**
   * Loads a part of core-js ('url' or 'clone') into this context. core-js gets a global object of its own whose
   * prototype is the real one: what it defines lands there (its `__core-js_shared__` store too), and the globals of
   * this file, lazy or not, are hidden from its feature detection. It replaces Function.prototype.toString with one of
   * its own (to show its functions as native): what was there before is put back.
   */
  const coreJsPart = (part) => {
    coreGlobal ??= {
      __proto__: g,
      URL: undefined,
      URLSearchParams: undefined,
      structuredClone: undefined,
      fetch: undefined,
      Headers: undefined,
      Request: undefined,
      Response: undefined,
      TextEncoder: undefined,
      TextDecoder: undefined,
      atob: undefined,
      btoa: undefined,
      crypto: undefined,
      Crypto: undefined,
      DOMException: webGroup().domExceptionClass(),
      '__core-js_shared__': undefined,
      process: undefined,
      Deno: undefined,
      Bun: undefined,
      navigator: undefined,
      window: undefined,
      self: undefined,
      document: undefined,
      MessageChannel: undefined,
      PerformanceMark: undefined,
    };
    const functionToString = describe(FunctionPrototype, 'toString');
    // core-js's feature detection throws (and catches) errors by the dozen: without stacks they cost less.
    const stackTraceLimit = describe(ErrorCtor, 'stackTraceLimit');
    const quiet = stackTraceLimit !== undefined && stackTraceLimit.writable === true;
    try {
      if (quiet) ObjectDefineProperty(ErrorCtor, 'stackTraceLimit', { __proto__: null, value: 0 });
      coreLoad ??= coreJs();
      coreLoad(coreGlobal, part);
    } finally {
      if (functionToString !== undefined) ObjectDefineProperty(FunctionPrototype, 'toString', functionToString);
      if (quiet) ObjectDefineProperty(ErrorCtor, 'stackTraceLimit', stackTraceLimit);
    }
    return coreGlobal;
  };
  const urlGroup = () => {
    if (url !== undefined) return url;
    const core = coreJsPart('url');
    const URL = core.URL;
    const URLSearchParams = core.URLSearchParams;
    url = {
      __proto__: null,
      values: { __proto__: null, URL, URLSearchParams },
      URL,
      href: getter(URL.prototype, 'href'),
      paramsToString: uncurry(URLSearchParams.prototype.toString),
    };
    return url;
  };
  /** The serialised form of an absolute URL, or undefined when `s` is not one. */
  const urlHref = (s) => {
    const { URL, href } = urlGroup();
    try {
      return href(new URL(s));
    } catch {
      return undefined;
    }
  };
  /** A URLSearchParams' serialisation, or undefined for anything else (core-js checks its own brand). */
  const urlParamsText = (v) => {
    if (url === undefined || v === null || (typeof v !== 'object' && typeof v !== 'function')) return undefined;
    try {
      return url.paramsToString(v);
    } catch {
      return undefined;
    }
  };

  // ---- the globals: accessors until first touched -------------------------------------------------------------------

  // Interface objects are not enumerable, operations (and `crypto`) are, as WebIDL defines them on a global.
  const WEB = ['Headers', 'Request', 'Response', 'TextEncoder', 'TextDecoder', 'Crypto'];
  const DOM = ['DOMException'];
  const WEB_ENUMERABLE = ['crypto', 'fetch', 'atob', 'btoa', 'structuredClone'];
  const URL_GROUP = ['URL', 'URLSearchParams'];
  /** Each lazy global's getter, by name: how a global still lazy is told from one the acorn has set. */
  const lazyGetters = new Map();
  const MapGet = uncurry(Map.prototype.get);
  const defineData = (name, value, enumerable) =>
    ObjectDefineProperty(g, name, { __proto__: null, value, writable: true, enumerable, configurable: true });
  /** Makes the group; each of its globals that is still our accessor becomes the data property it stays. */
  const materialize = (names, enumerableNames, values) => {
    const settle = (list, enumerable) => {
      for (let i = 0; i < list.length; i++) {
        const name = list[i];
        const d = describe(g, name);
        if (d !== undefined && d.get !== undefined && d.get === MapGet(lazyGetters, name)) {
          defineData(name, values[name], enumerable);
        }
      }
    };
    settle(names, false);
    if (enumerableNames !== undefined) settle(enumerableNames, true);
  };
  const webValues = () => {
    const values = webGroup().values;
    materialize(WEB, WEB_ENUMERABLE, values);
    return values;
  };
  const domValues = () => {
    const values = { __proto__: null, DOMException: webGroup().domExceptionClass() };
    materialize(DOM, undefined, values);
    return values;
  };
  const urlValues = () => {
    const values = urlGroup().values;
    materialize(URL_GROUP, undefined, values);
    return values;
  };
  // Defined while no acorn code exists yet: plain literals are safe here, and cheaper than null-prototype ones.
  const lazy = (names, enumerable, values) => {
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const get = () => values()[name];
      lazyGetters.set(name, get);
      const set = (value) => defineData(name, value, enumerable);
      ObjectDefineProperty(g, name, { get, set, enumerable, configurable: true });
    }
  };
  lazy(WEB, false, webValues);
  lazy(WEB_ENUMERABLE, true, webValues);
  lazy(DOM, false, domValues);
  lazy(URL_GROUP, false, urlValues);

  return {
    __proto__: null,
    seed,
    /** The incoming Request of a handler run (see planRequest). */
    request: (plan) => webGroup().planRequest(plan),
    /** What a handler returned (see responseParts); nothing to read when no Response was ever made. */
    responseParts: (value) =>
      web === undefined ? { __proto__: null, response: false, imitation: false } : web.responseParts(value),
    utf8Encode: (s) => webGroup().utf8Encode(s),
    base64Encode: (bytes, length) => webGroup().base64Encode(bytes, length),
  };
});
