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
  parseTimestamp,
  raiseForScanFailures,
  MarktplaatsClient,
  authorizationUrl,
  verifyWebhook,
  catalogueFromCsv,
  catalogueFromJson,
  signWebhook,
  parseWebhook,
  parseTime,
  resolveLocale,
  startSimulator,
  Simulator,
  patch,
  SellkitError,
  APIConnectionError,
  APITimeoutError,
  APIStatusError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  ValidationError,
  RateLimitError,
  ServerError,
  UnexpectedStatusError,
  InvalidInputError,
  DecodeError,
  InternalError,
  BatchError,
} = sellkit;

export default sellkit;
