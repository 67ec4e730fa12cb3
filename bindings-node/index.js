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
const errors = require('./lib/errors.js');

module.exports = {
  eqp,
  marktplaats: mp,
  EqpClient: eqp.EqpClient,
  parseCallback: eqp.parseCallback,
  MarktplaatsClient: mp.MarktplaatsClient,
  authorizationUrl: mp.authorizationUrl,
  verifyWebhook: mp.verifyWebhook,
  catalogueFromCsv: mp.catalogueFromCsv,
  catalogueFromJson: mp.catalogueFromJson,
  signWebhook: mp.signWebhook,
  parseWebhook: mp.parseWebhook,
  resolveLocale,
  BatchResult,
  PagedList,
  startSimulator,
  Simulator,
  patch,
  SellkitError: errors.SellkitError,
  InvalidInputError: errors.InvalidInputError,
  AuthenticationError: errors.AuthenticationError,
  PermissionDeniedError: errors.PermissionDeniedError,
  NotFoundError: errors.NotFoundError,
  ConflictError: errors.ConflictError,
  ValidationError: errors.ValidationError,
  RateLimitError: errors.RateLimitError,
  ServerError: errors.ServerError,
  APIError: errors.APIError,
  APITimeoutError: errors.APITimeoutError,
  APIConnectionError: errors.APIConnectionError,
  DecodeError: errors.DecodeError,
  InternalError: errors.InternalError,
  BatchError: errors.BatchError,
};
