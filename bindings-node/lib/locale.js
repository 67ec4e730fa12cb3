'use strict';
// Locales of the Marktplaats platforms: the entity's own locale wins, then the user's
// preference, then the host default. The rule lives in the Rust core.

const native = require('./native.js');
const { errorFrom } = require('./errors.js');

/** The locale to use on `platform` ('marktplaats' | '2dehands' | '2ememain'). */
function resolveLocale(platform, { entityLocale = null, userLocale = null } = {}) {
  const outcome = JSON.parse(native.resolveLocale(String(platform), entityLocale ?? null, userLocale ?? null));
  if (outcome.error) throw errorFrom(outcome.error);
  return outcome.value;
}

module.exports = { resolveLocale };
