// The entry of dist/web-globals.js (see ../build-web-globals.ts): core-js's URL, URLSearchParams and structuredClone,
// loaded on demand by src/web.js onto the global object it passes (not the context's own: see global-this.cjs).

/** Installs `part` ('url' or 'clone') of core-js onto `global`. Modules run once: later calls only add parts. */
exports.load = function load(global, part) {
  // Declared by the bundle's banner; core-js reaches it through global-this.cjs and the build's `define`s.
  __coreJsGlobal ??= global;
  if (part === 'url') {
    require('core-js/modules/web.url');
    require('core-js/modules/web.url.can-parse');
    require('core-js/modules/web.url.parse');
    require('core-js/modules/web.url.to-json');
    require('core-js/modules/web.url-search-params');
    require('core-js/modules/web.url-search-params.delete');
    require('core-js/modules/web.url-search-params.has');
    require('core-js/modules/web.url-search-params.size');
  } else if (part === 'clone') {
    require('core-js/modules/web.structured-clone');
  }
};
