'use strict';
// sellkit for Node (CommonJS entry; index.mjs re-exports the same objects for ESM).

const { EqpClient, BatchResult, parseCallback } = require('./lib/eqp-client.js');
const mp = require('./lib/marktplaats-client.js');
const { Simulator, startSimulator } = require('./lib/simulator.js');
const { patch } = require('./lib/patch.js');
const errors = require('./lib/errors.js');

module.exports = {
  EqpClient,
  BatchResult,
  parseCallback,
  MarktplaatsClient: mp.MarktplaatsClient,
  authorizationUrl: mp.authorizationUrl,
  verifyWebhook: mp.verifyWebhook,
  signWebhook: mp.signWebhook,
  parseWebhook: mp.parseWebhook,
  resolveLocale: mp.resolveLocale,
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
