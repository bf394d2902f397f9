/* eslint-disable */
// Jest resolves package exports with the "require" condition only. A few
// schema packages the tests validate against (@kubernetes-models/*,
// kubernetes-models) publish ESM only ("import"). For those, and for imports
// made from inside them, also accept the "import" condition; Backstage's Jest
// transform turns the ESM into CommonJS.
const ESM_ONLY = /^(@kubernetes-models\/|kubernetes-models(\/|$))/;
const INSIDE =
  /[\\/]node_modules[\\/](@kubernetes-models[\\/]|kubernetes-models[\\/])/;

module.exports = (request, options) => {
  if (ESM_ONLY.test(request) || INSIDE.test(options.basedir)) {
    return options.defaultResolver(request, {
      ...options,
      conditions: [...(options.conditions ?? []), 'import'],
    });
  }
  return options.defaultResolver(request, options);
};
