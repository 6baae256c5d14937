// Stands in for `@squirrelbin/sandbox` in Lambda bundles of routes that never run acorns, so only the run
// functions carry isolated-vm and the sandbox's files. Any use of it fails loudly; importing it does not.
function fail() {
  throw new Error('the sandbox is only shipped with the functions of routes that run acorns (runsAcorns)');
}
module.exports = new Proxy(fail, { get: (_target, key) => (key === '__esModule' ? false : fail) });
