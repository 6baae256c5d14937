// Replaces core-js/internals/global-this.js in the bundle. core-js finds the global object itself and installs onto
// it (and keeps a `__core-js_shared__` store there); web.js gives it one of its own instead, whose prototype is the
// context's global, so that what core-js defines can be taken from it, and so that core-js's feature detection does
// not see web.js's own globals (it would wrap `fetch` if it saw `Headers`, and take our `structuredClone` for native).
module.exports = __coreJsGlobal;
