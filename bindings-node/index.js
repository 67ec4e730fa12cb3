'use strict';
// sellkit for Node (CommonJS entry; index.mjs re-exports the same objects for ESM). The client
// classes and the functions of each API are generated from the catalogue in the Rust core
// (lib/eqp.js, lib/marktplaats.js).

const eqp = require('./lib/eqp.js');
const mp = require('./lib/marktplaats.js');
const { BatchResult, PagedList } = require('./lib/client.js');
const { Simulator, startSimulator } = require('./lib/simulator.js');
const { patch } = require('./lib/patch.js');
const { resolveLocale } = require('./lib/locale.js');
// Every error class, from the table generated out of core's error tree.
const { errorFrom: _errorFrom, errorFromJson: _errorFromJson, ...errorClasses } = require('./lib/errors.js');

module.exports = {
  eqp,
  marktplaats: mp,
  EqpClient: eqp.EqpClient,
  parseCallback: eqp.parseCallback,
  parseTimestamp: eqp.parseTimestamp,
  raiseForScanFailures: eqp.raiseForScanFailures,
  MarktplaatsClient: mp.MarktplaatsClient,
  authorizationUrl: mp.authorizationUrl,
  verifyWebhook: mp.verifyWebhook,
  catalogueFromCsv: mp.catalogueFromCsv,
  catalogueFromJson: mp.catalogueFromJson,
  signWebhook: mp.signWebhook,
  parseWebhook: mp.parseWebhook,
  parseTime: mp.parseTime,
  resolveLocale,
  BatchResult,
  PagedList,
  startSimulator,
  Simulator,
  patch,
  ...errorClasses,
};
