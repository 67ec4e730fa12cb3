'use strict';
// The compiled addon, loaded once through the loader that `napi build` generates.
// Loading names the runtime for the User-Agent and reads SELLKIT_LOG.

const native = require('../native.js');

const [major, minor] = process.versions.node.split('.');
native.init(`node ${major}.${minor}`);

module.exports = native;
