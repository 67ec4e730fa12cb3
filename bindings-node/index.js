'use strict';
// sellkit for Node (CommonJS entry; index.mjs re-exports the same objects for ESM).

const { EqpClient } = require('./lib/eqp-client.js');
const { Simulator, startSimulator } = require('./lib/simulator.js');
const errors = require('./lib/errors.js');

module.exports = {
  EqpClient,
  startSimulator,
  Simulator,
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
};
