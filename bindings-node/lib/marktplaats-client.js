'use strict';
// The Marktplaats / 2dehands / 2ememain client. One method per core operation; arguments go
// to the native `call(op, args)` with snake_case names (see `call.js`); every rule is the core's.

const native = require('./native.js');
const { errorFromJson, InvalidInputError } = require('./errors.js');
const { toJson, split, invoke, list, unwrap } = require('./call.js');

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');
const FROM_NATIVE = Symbol('sellkit.fromNative');

/** A resource group: `this.run(op, options, fixed)` and `this.list(op, options, fixed)`. */
class Group {
  #client;
  constructor(client) { this.#client = client; }
  run(op, options, fixed) { return this.#client._run(op, options, fixed); }
  list(op, options, fixed) { return this.#client._list(op, options, fixed); }
  [inspectCustom]() { return `${this.constructor.name} {}`; }
}

class MpAds extends Group {
  /** `GET /v1/advertisements` (the collection resource). */
  collection(opts) { return this.run('ads.collection', opts); }
  /** Place an ad; resolves to the created ad including its `itemId`. Amounts are integer cents. */
  create(ad, opts) { return this.run('ads.create', opts, { ad }); }
  get(itemId, opts) { return this.run('ads.get', opts, { item_id: itemId }); }
  /** PUT the whole ad. */
  replace(itemId, ad, opts) { return this.run('ads.replace', opts, { item_id: itemId, ad }); }
  /** PATCH with JSON Patch operations (`add`/`remove`/`replace` only). */
  patch(itemId, ops, opts) { return this.run('ads.patch', opts, { item_id: itemId, ops }); }
  /** PATCH with the diff of `oldAd` → `newAd`. */
  updateFrom(itemId, oldAd, newAd, opts) { return this.run('ads.update_from', opts, { item_id: itemId, old: oldAd, new: newAd }); }
  /** Resolves to null. */
  delete(itemId, opts) { return this.run('ads.delete', opts, { item_id: itemId }); }
  /** `{orderId}` optional; resolves to the order. */
  renew(itemId, options) { return this.run('ads.renew', options, { item_id: itemId }); }
  statistics(itemId, opts) { return this.run('ads.statistics', opts, { item_id: itemId }); }
  /** `{ktype: true}` for K-type numbers. */
  fitments(itemId, options) { return this.run('ads.fitments', options, { item_id: itemId }); }
}

class MpImages extends Group {
  list(itemId, opts) { return this.run('images.list', opts, { item_id: itemId }); }
  /** Add images by URL (`{replaceAll}`); resolves to the placeholders (202). */
  add(itemId, urls, options) { return this.run('images.add', options, { item_id: itemId, urls }); }
  get(mediaId, opts) { return this.run('images.get', opts, { media_id: mediaId }); }
  /** Poll until the image is available: `{timeout, interval}` in milliseconds (60 s, 0.5 s). */
  waitUntilAvailable(mediaId, options = {}) {
    const { timeout, interval, ...rest } = options ?? {};
    return this.run('images.wait_until_available', rest, {
      media_id: mediaId,
      timeout: timeout == null ? undefined : timeout / 1000,
      interval: interval == null ? undefined : interval / 1000,
    });
  }
  meta(mediaId, size, opts) { return this.run('images.meta', opts, { media_id: mediaId, size }); }
}

class MpCategories extends Group {
  /** The tree, or one category with `categoryId`. */
  list(categoryId, opts) { return this.run('categories.list', opts, { category_id: categoryId }); }
  get(l1CategoryId, l2CategoryId, opts) { return this.run('categories.get', opts, { l1_category_id: l1CategoryId, l2_category_id: l2CategoryId }); }
  attributes(l1CategoryId, l2CategoryId, opts) { return this.run('categories.attributes', opts, { l1_category_id: l1CategoryId, l2_category_id: l2CategoryId }); }
  fees(l1CategoryId, l2CategoryId, opts) { return this.run('categories.fees', opts, { l1_category_id: l1CategoryId, l2_category_id: l2CategoryId }); }
}

class MpFeatures extends Group {
  list(itemId, opts) { return this.run('features.list', opts, { item_id: itemId }); }
  get(itemId, name, opts) { return this.run('features.get', opts, { item_id: itemId, name }); }
  /** `{orderId}` optional; resolves to the order. */
  buy(itemId, name, options) { return this.run('features.buy', options, { item_id: itemId, name }); }
  purchased(itemId, opts) { return this.run('features.purchased', opts, { item_id: itemId }); }
}

class MpTransactions extends Group {
  list(itemId, opts) { return this.run('transactions.list', opts, { item_id: itemId }); }
  get(itemId, transactionId, opts) { return this.run('transactions.get', opts, { item_id: itemId, transaction_id: transactionId }); }
  /** `{buyerId, amount, shippingCosts}` (cents). */
  create(itemId, transaction, opts) { return this.run('transactions.create', opts, { item_id: itemId, transaction }); }
}

class MpBids extends Group {
  list(itemId, opts) { return this.run('bids.list', opts, { item_id: itemId }); }
  get(itemId, bidId, opts) { return this.run('bids.get', opts, { item_id: itemId, bid_id: bidId }); }
  delete(itemId, bidId, opts) { return this.run('bids.delete', opts, { item_id: itemId, bid_id: bidId }); }
  /** `{message, phoneNumber}`. */
  askBidderQuestion(itemId, bidId, options) { return this.run('bids.ask_bidder_question', options, { item_id: itemId, bid_id: bidId }); }
}

class MpUpcalls extends Group {
  /** Needs a client-credentials token with `confirm_upcall`; resolves to null. */
  confirm(itemId, confirmation, opts) { return this.run('upcalls.confirm', opts, { item_id: itemId, confirmation }); }
}

class MpProfileImage extends Group {
  /** `kind`: 'profile' | 'backdrop' | 'logo'. */
  get(userId, kind, opts) { return this.run('users.profile_image.get', opts, { user_id: userId, kind }); }
  add(userId, kind, url, opts) { return this.run('users.profile_image.add', opts, { user_id: userId, kind, url }); }
  delete(userId, kind, opts) { return this.run('users.profile_image.delete', opts, { user_id: userId, kind }); }
}

class MpUsers extends Group {
  #profileImage;
  constructor(client) {
    super(client);
    this.#profileImage = new MpProfileImage(client);
  }
  get profileImage() { return this.#profileImage; }
  /** The current user (the API's 302 followed). */
  me(opts) { return this.run('users.me', opts); }
  get(userId, opts) { return this.run('users.get', opts, { user_id: userId }); }
  collection(opts) { return this.run('users.collection', opts); }
  /** Needs a client-credentials token with `create_account`. */
  create(user, opts) { return this.run('users.create', opts, { user }); }
  changeEmail(userId, newEmail, opts) { return this.run('users.change_email', opts, { user_id: userId, new_email: newEmail }); }
  /** A user's ads, paged lazily (`userId` null: the current user): `{limit, pageSize}`. */
  ads(userId, options) { return this.list('users.ads', options, { user_id: userId ?? undefined }); }
  /** One page of a user's ads: `{offset, limit}` (offset a multiple of limit). */
  adsPage(userId, options) { return this.run('users.ads_page', options, { user_id: userId }); }
  brands(userId, opts) { return this.run('users.brands', opts, { user_id: userId }); }
  profile(userId, opts) { return this.run('users.profile', opts, { user_id: userId }); }
  replaceProfile(userId, profile, opts) { return this.run('users.replace_profile', opts, { user_id: userId, profile }); }
  patchProfile(userId, ops, opts) { return this.run('users.patch_profile', opts, { user_id: userId, ops }); }
  reviews(userId, opts) { return this.run('users.reviews', opts, { user_id: userId }); }
  reviewSettings(userId, opts) { return this.run('users.review_settings', opts, { user_id: userId }); }
  replaceReviewSettings(userId, settings, opts) { return this.run('users.replace_review_settings', opts, { user_id: userId, settings }); }
  patchReviewSettings(userId, ops, opts) { return this.run('users.patch_review_settings', opts, { user_id: userId, ops }); }
  features(userId, opts) { return this.run('users.features', opts, { user_id: userId }); }
  buyFeature(userId, name, options) { return this.run('users.buy_feature', options, { user_id: userId, name }); }
  statistics(userId, opts) { return this.run('users.statistics', opts, { user_id: userId }); }
  legalStatus(userId, opts) { return this.run('users.legal_status', opts, { user_id: userId }); }
}

class MpOrders extends Group {
  get(orderId, opts) { return this.run('orders.get', opts, { order_id: orderId }); }
  products(orderId, opts) { return this.run('orders.products', opts, { order_id: orderId }); }
  product(orderId, productId, opts) { return this.run('orders.product', opts, { order_id: orderId, product_id: productId }); }
}

class MpLocations extends Group {
  byPostcode(postcode, opts) { return this.run('locations.by_postcode', opts, { postcode }); }
}

/**
 * The JS side of `onToken`: settle the caller's callback (sync or a Promise) and tell the core,
 * which waits before using the new token.
 */
function tokenBridge(onToken) {
  return ([tokenJson, id]) => {
    Promise.resolve()
      .then(() => onToken(JSON.parse(tokenJson)))
      .then(
        () => native.mpTokenAck(id, null),
        (e) => native.mpTokenAck(id, String((e && e.message) || e || 'rejected')),
      );
  };
}

class MarktplaatsClient {
  #native;
  #groups;

  /**
   * @param {object} options platform, environment, baseUrl, authBaseUrl, tokenUrl, authorizeUrl,
   *   clientId, clientSecret, accessToken, accessTokenExpiresIn (s), refreshToken,
   *   onToken(tokenSet) (sync or async; runs before the new token is used), locale,
   *   acceptLanguage, timeout (ms), connectTimeout (ms), maxRetries, userAgentSuffix,
   *   maxResponseBytes
   */
  constructor(options = {}, handle = undefined) {
    if (options === FROM_NATIVE) {
      this.#native = handle;
    } else {
      if (options === null || typeof options !== 'object') {
        throw new InvalidInputError('options: expected an object', { field: 'options' });
      }
      const { onToken, ...rest } = options;
      if (onToken != null && typeof onToken !== 'function') {
        throw new InvalidInputError('onToken: expected a function', { field: 'onToken' });
      }
      const built = native.buildMarktplaatsClient(toJson('options', rest), onToken ? tokenBridge(onToken) : null);
      if (typeof built === 'string') throw errorFromJson(built);
      this.#native = built;
    }
    this.#groups = {
      ads: new MpAds(this), images: new MpImages(this), categories: new MpCategories(this),
      features: new MpFeatures(this), transactions: new MpTransactions(this), bids: new MpBids(this),
      upcalls: new MpUpcalls(this), users: new MpUsers(this), orders: new MpOrders(this),
      locations: new MpLocations(this),
    };
  }

  /** @internal */
  async _run(op, options, fixed = {}) {
    const { args, settings, names } = split(options);
    return invoke(native, this.#native, op, { ...args, ...fixed }, settings, names);
  }
  /** @internal */
  _list(op, options, fixed = {}) {
    const { args, settings, names } = split(options);
    return list(native, this.#native, op, { ...args, ...fixed }, settings, names);
  }

  get platform() { return this.#native.platform; }
  get environment() { return this.#native.environment; }
  get baseUrl() { return this.#native.baseUrl; }
  get ads() { return this.#groups.ads; }
  get images() { return this.#groups.images; }
  get categories() { return this.#groups.categories; }
  get features() { return this.#groups.features; }
  get transactions() { return this.#groups.transactions; }
  get bids() { return this.#groups.bids; }
  get upcalls() { return this.#groups.upcalls; }
  get users() { return this.#groups.users; }
  get orders() { return this.#groups.orders; }
  get locations() { return this.#groups.locations; }

  /** This client's authorization URL: `{redirectUri, scopes?, state?}` → `{url, state}`. */
  authorizationUrl(options) { return this._run('authorization_url', options); }
  /** Exchange an authorization code (`{redirectUri}`); resolves to the token set (persist it). */
  exchangeCode(code, options) { return this._run('exchange_code', options, { code }); }
  /** Client credentials: `{scopes: ['create_account']}`; resolves to the token set. */
  authenticateClient(options) { return this._run('authenticate_client', options); }
  /** Make sure a valid token is at hand; resolves to null. */
  authenticate(opts) { return this._run('authenticate', opts); }
  /** Which locale an entity gets: its own `locale`, else the client's, else the host default. */
  resolveLocale(locale, opts) { return this._run('resolve_locale', opts, { locale: locale ?? undefined }); }
  /** `GET /v1`. */
  root(opts) { return this._run('root', opts); }
  /**
   * Search ads, paged lazily through `next` links: `{query, categoryId, withImages,
   * searchDescription, sellerId, postCode, distance, sortBy, sortOrder, locale, pageSize, limit}`.
   */
  search(options) { return this._list('search', options); }
  /** One page of a search (`offset` too). */
  searchPage(options) { return this._run('search.page', options); }
  /** Call any endpoint with the client's auth, retries and errors. */
  request(method, path, json, opts) {
    return this._run('request', opts, json === undefined ? { method, path } : { method, path, json });
  }
  /** A client sharing connections and tokens, with other call settings (`{timeout, maxRetries}`). */
  withOptions(options = {}) {
    const derived = this.#native.withOptions(toJson('options', options));
    if (typeof derived === 'string') throw errorFromJson(derived);
    return new MarktplaatsClient(FROM_NATIVE, derived);
  }
  close() { this.#native.close(); }

  #describe() { return { platform: this.platform, environment: this.environment, baseUrl: this.baseUrl, closed: this.#native.closed }; }
  toJSON() { return this.#describe(); }
  toString() { return `MarktplaatsClient(platform=${this.platform}, baseUrl=${this.baseUrl})`; }
  [inspectCustom](depth, options, inspect) {
    return `MarktplaatsClient ${inspect ? inspect(this.#describe(), options) : JSON.stringify(this.#describe())}`;
  }
}

/** Static operations (no client). */
function callStatic(op, options, fixed = {}) {
  const { args } = split(options);
  return unwrap(native.mpCallStatic(op, toJson('args', { ...args, ...fixed })));
}

function bodyText(body) {
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body) || ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  throw new InvalidInputError('body: expected a Buffer or a string', { field: 'body' });
}

/**
 * `{platform, clientId, redirectUri, scopes, environment, authBaseUrl, authorizeUrl, state}` →
 * `{url, state}` (a fresh random state unless given: check it on the redirect).
 */
function authorizationUrl(options) { return callStatic('authorization_url', options); }
/** Check `X-Ecg-Signature` (hex HMAC-SHA256 of the raw body), in constant time. */
function verifyWebhook(body, signature, secret) { return callStatic('verify_webhook', {}, { body: bodyText(body), signature, secret }); }
/** The hex signature of a body (for tests and local receivers). */
function signWebhook(body, secret) { return callStatic('sign_webhook', {}, { body: bodyText(body), secret }); }
/** Parse a webhook body into its envelope (unknown fields kept). */
function parseWebhook(body) { return callStatic('parse_webhook', {}, { body: bodyText(body) }); }
/**
 * The locale an entity gets on `platform`: `entityLocale`, else `userLocale`, else the host
 * default; a locale the platform does not allow throws an InvalidInputError naming the allowed ones.
 */
function resolveLocale(platform, options) { return callStatic('locale.resolve', options, { platform }); }

module.exports = { MarktplaatsClient, authorizationUrl, verifyWebhook, signWebhook, parseWebhook, resolveLocale };
