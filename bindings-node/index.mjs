// sellkit for Node (ES module entry): the same objects as the CommonJS entry, so `instanceof`
// works whichever way a program loads the package.
import sellkit from './index.js';

export const {
  eqp,
  marktplaats,
  EqpClient,
  BatchResult,
  PagedList,
  parseCallback,
  MarktplaatsClient,
  authorizationUrl,
  verifyWebhook,
  catalogueFromCsv,
  catalogueFromJson,
  signWebhook,
  parseWebhook,
  resolveLocale,
  startSimulator,
  Simulator,
  patch,
  SellkitError,
  InvalidInputError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  ValidationError,
  RateLimitError,
  ServerError,
  APIError,
  APITimeoutError,
  APIConnectionError,
  DecodeError,
  InternalError,
  BatchError,
} = sellkit;

export default sellkit;
