//! The operations of the Marktplaats API.

use bytes::Bytes;
use serde_json::{Map, Value};

use super::args::{Blob, Json, Seconds};
use super::clients::{MarktplaatsEnvironments, Name, Platforms};
use super::macros::operations;
use super::out::Raw;
use super::Property;
use crate::model::Ty;
use crate::auth::oauth2::TokenSet;
use crate::marktplaats::models::{
    AdStatistics, Advertisement, Bid, Brands, Category, CategoryAttribute, CategoryFees, ChangeEmailResult, Collection, Feature,
    Image, LegalStatus, Order, OrderProduct, PostcodeLocation, Profile, ReviewSettings, Reviews, Transaction, User, WebhookEvent,
};
use crate::marktplaats::search::SearchQuery;
use crate::marktplaats::sync::{Catalogue, SyncOptions, SyncResult, DEFAULT_CONCURRENCY};
use crate::marktplaats::users::{ProfileImageKind, MAX_ADS_PAGE};
use crate::upload::UploadSource;
use crate::marktplaats::{AuthorizationRequest, Client};
use crate::patch::Operation as PatchOperation;

/// What the API is.
pub(super) const DOC: &str = "The Marktplaats / 2dehands / 2ememain API: place and manage ads on three hosts of two \
platforms, with OAuth2, euro-cent prices, JSON Patch updates, images, features, bids, users, orders, search and signed \
webhooks.";

/// The resources and what each holds.
pub(super) const RESOURCES: &[(&str, &str)] = &[
    ("ads", "Your advertisements."),
    ("images", "The images of advertisements."),
    ("categories", "The category tree, its attributes and fees."),
    ("features", "Features of advertisements (`dagtopper`, ...)."),
    ("transactions", "Third-party payment transactions of advertisements."),
    ("bids", "Bids on advertisements."),
    ("upcalls", "Phone upcall confirmations."),
    ("users", "Users, seller profiles, reviews and user features."),
    ("orders", "Orders made by buying features and renewing ads."),
    ("locations", "Postcode lookups."),
];

/// The client's read-only properties.
pub(super) static PROPERTIES: &[Property<Client>] = &[
    Property { name: "platform", doc: "`marktplaats`, `2dehands` or `2ememain`.", ty: || Ty::Str, get: |c| c.platform().as_str().into() },
    Property { name: "environment", doc: "`production` or `sandbox`.", ty: || Ty::Str, get: |c| c.environment().as_str().into() },
    Property { name: "base_url", doc: "The API's base URL.", ty: || Ty::Str, get: |c| c.base_url().into() },
    Property { name: "locale", doc: "The client's locale preference (`nl-BE`...), if any.", ty: || Ty::optional(Ty::Str), get: |c| c.locale().map(|l| l.as_str().to_owned()).into() },
    Property { name: "token_requests", doc: "How many tokens this client has requested.", ty: || Ty::Int, get: |c| c.token_requests().into() },
    Property { name: "api_version", doc: "`v1` or `v2`: the API paths the client calls.", ty: || Ty::Str, get: |c| c.api_version().as_str().into() },
    Property { name: "validate", doc: "Whether ads are checked against their category before they are sent.", ty: || Ty::Bool, get: |c| c.validates().into() },
];

operations! {
    client: Client;

    /// The URL to send the user to for the authorization-code flow, and the `state` to compare
    /// with the redirect's (a random one unless given). Scopes default to `read write`.
    function authorization_url(
        /// The client id of your application.
        client_id: String,
        /// Where the user's browser comes back with the code.
        redirect_uri: String;
        /// `marktplaats` (the default), `2dehands` or `2ememain`.
        platform: Name<Platforms>,
        /// `production` (the default) or `sandbox`.
        environment: Name<MarktplaatsEnvironments>,
        /// The authorization server instead of the platform's (`https://auth.example`).
        auth_base_url: String,
        /// The authorization endpoint itself.
        authorize_url: String,
        /// Scopes (`["read", "write"]` by default).
        scopes: Vec<String>,
        /// The `state` to use instead of a random one.
        state: String,
    ) -> (String, String) = |_| crate::marktplaats::authorization_url(&AuthorizationRequest {
        platform: platform.map(|p| p.0), environment: environment.map(|e| e.0), auth_base_url, authorize_url,
        client_id, redirect_uri,
        scopes, state,
    })?;

    /// Check `X-Ecg-Signature` (hex HMAC-SHA256 of the raw body) in constant time; a missing or
    /// empty signature is `false`.
    function verify_webhook(
        /// The raw request body, as received.
        body: Blob,
        /// The `X-Ecg-Signature` header (may be missing).
        signature: Option<String>,
        /// The secret shared with Marktplaats.
        secret: String,
    ) -> bool = |_| signature.is_some_and(|s| crate::marktplaats::verify_webhook(&body.0, &s, &secret));

    /// Read an `ads.sync` catalogue from CSV text with a header row: `key` (required), `title`,
    /// `description`, `category_id`, `price` (euros: `12`, `12.50`, `12,50`; becomes exact euro
    /// cents, never through a float), `price_model`, `minimal_bid`, `postcode`, `images` (URLs
    /// separated by spaces or `|`), `locale`, `status`, `attr.<name>` (a category attribute as
    /// text) and `attr.<name>:number`. Returns key → ad, in the file's order; an error names the
    /// line and column (`line 3: price`).
    function catalogue_from_csv(text: String) -> Map<String, Value> = |_| crate::marktplaats::sync::catalogue_from_csv(&text)?.into_map();

    /// Read an `ads.sync` catalogue from JSON text: an object mapping each key to its ad.
    function catalogue_from_json(text: String) -> Map<String, Value> = |_| crate::marktplaats::sync::catalogue_from_json(&text)?.into_map();

    /// The hex HMAC-SHA256 signature of `body` (to test your own receiver).
    function sign_webhook(body: Blob, secret: String) -> String = |_| crate::marktplaats::sign_webhook(&body.0, &secret);

    /// Verify a webhook delivery's signature and decode its envelope (`id`, `eventType`,
    /// `created`, `eventData`), in one call. A missing, empty or wrong signature is an
    /// authentication error (code `invalid-signature`, status 401: answer the delivery with it).
    function parse_webhook(
        /// The raw request body, as received.
        body: Blob,
        /// The `X-Ecg-Signature` header (may be missing).
        signature: Option<String>,
        /// The secret shared with Marktplaats.
        secret: String,
    ) -> WebhookEvent = |_| crate::marktplaats::parse_webhook(&body.0, signature.as_deref(), &secret)?;

    /// The URL to send the user to, with this client's platform and hosts, and its `state`.
    call authorization_url(
        /// Where the user's browser comes back with the code.
        redirect_uri: String;
        /// Scopes (`["read", "write"]` by default).
        scopes: Vec<String>,
        /// The `state` to use instead of a random one.
        state: String,
    ) -> (String, String) = |c| c.authorization_url(&redirect_uri, scopes.as_deref(), state.as_deref())?;

    /// Exchange an authorization code for tokens (the redirect's `code`); the token set holds
    /// secrets: persist it safely.
    call exchange_code(code: String, redirect_uri: String) -> TokenSet = |c| c.exchange_code(&code, &redirect_uri).await?;

    /// Get a client-credentials token for `scopes` (`create_account`, `confirm_upcall`).
    call authenticate_client(; scopes: Vec<String>) -> TokenSet =
        |c| c.authenticate_client(&scopes.unwrap_or_default()).await?;

    /// Make sure a valid access token is at hand (refreshing it if needed).
    call authenticate() -> () = |c| c.authenticate().await?;

    /// The locale a request of this client carries: `locale`, else the client's preference,
    /// else the host's default (`nl-BE`...).
    call resolve_locale(; locale: String) -> String = |c| c.resolve_locale(locale.as_deref())?.as_str().to_owned();

    /// `GET /v1`: the root resource (links).
    call root() -> Collection = |c| c.root().await?;

    /// Call any endpoint (`/v1/...`) with the client's auth, retries and errors; returns the
    /// decoded JSON body (`None`/`null` when empty).
    call request(
        /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE` or `HEAD`.
        method: String,
        /// The path, from `/v1`.
        path: String;
        /// A JSON body to send.
        json: Value,
    ) -> Value = |c| c.request(&method, &path, json.as_ref()).await?;

    /// Search ads; results are fetched lazily, following `next` links (at most 5,000).
    list search(;
        /// The search text (`and`, `or`, parentheses, `-` to negate); required unless
        /// `category_id` or `seller_id` is given.
        query: String,
        category_id: i64,
        with_images: bool,
        search_description: bool,
        seller_id: i64,
        /// A postcode (`1097DN`).
        post_code: String,
        /// Kilometres around `post_code`.
        distance: u64,
        /// `default`, `location` or `price`.
        sort_by: String,
        /// `ascending` or `descending`.
        sort_order: String,
        /// `nl-NL`, `nl-BE` or `fr-BE`.
        locale: String,
        /// Results per request (1–200, 30).
        page_size: u64,
        /// Stop after this many results (at most 5,000).
        limit: u64,
        /// Only ads asking at least this many euro cents.
        price_from: i64,
        /// Only ads asking at most this many euro cents.
        price_to: i64,
        /// Only ads whose category attributes have these values (`{"condition": "Nieuw"}`, or a
        /// list of accepted values per attribute).
        attributes: Map<String, Value>,
    ) -> Advertisement = |c| c.search(
        &SearchQuery { query, category_id, with_images, search_description, seller_id, post_code, distance, sort_by, sort_order, locale, page_size, offset: None, price_from, price_to, attributes },
        limit,
    )?;

    /// One page of search results (the response as sent, links and total included).
    call search_page(;
        query: String,
        category_id: i64,
        with_images: bool,
        search_description: bool,
        seller_id: i64,
        post_code: String,
        distance: u64,
        sort_by: String,
        sort_order: String,
        locale: String,
        /// Results per page (1–200, 30).
        page_size: u64,
        /// Start at this offset (a multiple of `page_size`).
        offset: u64,
        /// Only ads asking at least this many euro cents.
        price_from: i64,
        /// Only ads asking at most this many euro cents.
        price_to: i64,
        /// Only ads whose category attributes have these values.
        attributes: Map<String, Value>,
    ) -> Raw<Collection> = |c| Raw::new(c.search_page_value(
        &SearchQuery { query, category_id, with_images, search_description, seller_id, post_code, distance, sort_by, sort_order, locale, page_size, offset, price_from, price_to, attributes },
    ).await?);

    /// `GET /v1/advertisements` (the collection resource: links).
    call ads.collection() -> Collection = |c| c.ads().collection().await?;

    /// Check an ad against its category as `ads.create` would, without placing it: required
    /// members, a leaf category, mandatory attributes, allowed values, types, ranges and
    /// lengths. Raises an invalid-input error naming the field (`condition`,
    /// `attributes[2].value`), with every problem in its details; sends only the reads of the
    /// category (kept per client).
    call ads.validate(ad: Json<Advertisement>) -> () = |c| c.ads().validate_value(&ad.into_inner()).await?;

    /// Place an ad; returns it with its `itemId`. Amounts are integer euro cents. Members the
    /// server manages (`itemId`, `seller`, dates) are left out; the ad is checked against its
    /// category first (see `ads.validate`), and nothing is sent when that fails.
    call ads.create(ad: Json<Advertisement>;
        /// Check the ad against its category first (the client's `validate`, on by default).
        validate: bool,
    ) -> Raw<Advertisement> = |c| Raw::new(c.ads().with_validation_opt(validate).create_value(ad.into_inner()).await?);

    /// One of your ads.
    call ads.get(item_id: String) -> Raw<Advertisement> = |c| Raw::new(c.ads().get_value(&item_id).await?);

    /// Replace a whole ad (PUT). With validation, the ad on the server is read first: a change
    /// of `categoryId` or of an attribute that is not updateable is refused, naming it.
    call ads.replace(item_id: String, ad: Json<Advertisement>;
        /// Check the ad against its category and the ad on the server first (the client's
        /// `validate`, on by default).
        validate: bool,
    ) -> Raw<Advertisement> =
        |c| Raw::new(c.ads().with_validation_opt(validate).replace_value(&item_id, ad.into_inner()).await?);

    /// Change an ad with JSON Patch operations (`add`, `remove`, `replace` only). Operations on
    /// members the server manages (`/itemId`, `/seller`...) or set on create only
    /// (`/categoryId`) are refused, naming the member.
    call ads.patch(item_id: String, ops: Json<Vec<PatchOperation>>;
        /// When the patch writes category attributes, read the ad and check the result against
        /// its category first (the client's `validate`, on by default).
        validate: bool,
    ) -> Raw<Advertisement> =
        |c| Raw::new(c.ads().with_validation_opt(validate).patch_value(&item_id, &ops.into_inner()).await?);

    /// Change an ad from `old` to `new`: sends one JSON Patch of what differs. Members the
    /// server manages (`itemId`, `seller`, dates, HAL links) are left out of the diff; a change
    /// of `categoryId` is refused.
    call ads.update_from(item_id: String,
        /// The ad as it is now (as read).
        old_ad: Json<Advertisement>,
        /// The ad as it should be.
        new_ad: Json<Advertisement>;
        /// Check `new_ad` against its category first, attributes that are not updateable
        /// included (the client's `validate`, on by default).
        validate: bool,
    ) -> Raw<Advertisement> =
        |c| Raw::new(c.ads().with_validation_opt(validate).update_from_value(&item_id, &old_ad.into_inner(), &new_ad.into_inner()).await?);

    /// Delete an ad.
    call ads.delete(item_id: String) -> () = |c| c.ads().delete(&item_id).await?;

    /// Keep your ads in line with a catalogue: one result per key, in catalogue order (deleted
    /// keys last): `created`, `updated` (one JSON Patch of what changed; images replaced when
    /// they changed), `unchanged`, `deleted` (with `delete_missing`), `invalid` (refused
    /// locally, nothing sent; the error names the field) or `failed`, with counts per action.
    /// The state store remembers each key's ad id and fingerprint; a create whose answer was
    /// lost, or left by a run that was killed, is looked up among your ads before anything is
    /// sent again: never two ads for one key.
    call ads.sync(
        /// Your key (a SKU) → the ad as it should be (amounts in euro cents), optionally with
        /// `images`: a list of image URLs.
        catalogue: Json<Map<String, Value>>;
        /// Where each key's ad id and fingerprint are kept: `memory:` (this client's own, the
        /// default), `file:///absolute/path.json` or `redis://host:port/db`.
        state: String,
        /// Delete the ads of keys the state knows and the catalogue no longer has.
        delete_missing: bool,
        /// Plan only: read what is needed, send no change, write no state.
        dry_run: bool,
        /// Ads applied at once (1–32, 4).
        concurrency: u64,
        /// Check each ad against its category first (the client's `validate`, on by default).
        validate: bool,
    ) -> SyncResult = |c| c.ads().sync_url(
        &Catalogue::from(catalogue.into_object("catalogue")?),
        state.as_deref().unwrap_or("memory:"),
        SyncOptions {
            delete_missing: delete_missing.unwrap_or(false),
            dry_run: dry_run.unwrap_or(false),
            concurrency: concurrency.map_or(DEFAULT_CONCURRENCY, |n| usize::try_from(n).unwrap_or(usize::MAX)),
            validate,
            ..SyncOptions::new(c.sync_memory_store())
        },
    ).await?;

    /// Renew an ad that is about to expire (see `renewalPossible`); returns the order.
    call ads.renew(item_id: String;
        /// An order to add the renewal to.
        order_id: i64,
    ) -> Raw<Order> = |c| Raw::new(c.ads().renew_value(&item_id, order_id).await?);

    /// The counters of an ad.
    call ads.statistics(item_id: String) -> AdStatistics = |c| c.ads().statistics(&item_id).await?;

    /// The vehicle fitments of a part (`ktype`: by K-type number).
    call ads.fitments(item_id: String; ktype: bool) -> Value = |c| c.ads().fitments(&item_id, ktype.unwrap_or(false)).await?;

    /// The images of an ad.
    call images.list(item_id: String) -> Collection = |c| c.images().list(&item_id).await?;

    /// Add images to an ad by URL (downloaded by the server); returns the placeholders.
    call images.add(item_id: String, urls: Vec<String>;
        /// Replace the ad's images instead of adding to them.
        replace_all: bool,
    ) -> Raw<Collection> = |c| Raw::new(c.images().add_value(&item_id, &urls, replace_all.unwrap_or(false)).await?);

    /// One image and its download status.
    call images.get(media_id: String) -> Raw<Image> = |c| Raw::new(c.images().get_value(&media_id).await?);

    /// Poll an image until it is available (60 s at most, every 0.5 s by default).
    call images.wait_until_available(media_id: String;
        /// How long to wait at most (60 s).
        timeout: Seconds,
        /// Time between polls (0.5 s).
        interval: Seconds,
    ) -> Raw<Image> = |c| Raw::new(c.images().wait_until_available_value(&media_id, timeout.map(|t| t.0), interval.map(|i| i.0)).await?);

    /// The metadata of one size of an image.
    call images.meta(media_id: String, size: String) -> Value = |c| c.images().meta(&media_id, &size).await?;

    /// The bytes of one size of an image.
    call images.blob(media_id: String, size: String) -> Bytes = |c| c.images().blob(&media_id, &size).await?.0;

    /// The category tree, or one category with its children.
    call categories.list(; category_id: i64) -> Raw<Category> = |c| Raw::new(c.categories().list_value(category_id).await?);

    /// An L1 category, or an L2 (leaf) category.
    call categories.get(l1_category_id: i64; l2_category_id: i64) -> Raw<Category> =
        |c| Raw::new(c.categories().get_value(l1_category_id, l2_category_id).await?);

    /// The attribute definitions of a leaf category (kept per client for `category_cache_ttl`).
    call categories.attributes(l1_category_id: i64, l2_category_id: i64) -> Vec<CategoryAttribute> =
        |c| c.categories().attributes(l1_category_id, l2_category_id).await?;

    /// The listing fees of a leaf category.
    call categories.fees(l1_category_id: i64, l2_category_id: i64) -> Raw<CategoryFees> =
        |c| Raw::new(c.categories().fees_value(l1_category_id, l2_category_id).await?);

    /// The features of an ad (bought and buyable).
    call features.list(item_id: String) -> Collection = |c| c.features().list(&item_id).await?;

    /// One feature of an ad.
    call features.get(item_id: String, name: String) -> Feature = |c| c.features().get(&item_id, &name).await?;

    /// Buy a feature for an ad (paid by invoice); returns the order.
    call features.buy(item_id: String, name: String; order_id: i64) -> Raw<Order> =
        |c| Raw::new(c.features().buy_value(&item_id, &name, order_id).await?);

    /// The features bought for an ad.
    call features.purchased(item_id: String) -> Collection = |c| c.features().purchased(&item_id).await?;

    /// The transactions of an ad.
    call transactions.list(item_id: String) -> Collection = |c| c.transactions().list(&item_id).await?;

    /// One transaction of an ad.
    call transactions.get(item_id: String, transaction_id: i64) -> Transaction = |c| c.transactions().get(&item_id, transaction_id).await?;

    /// Record a transaction (`{buyerId, amount, shippingCosts}`, amounts in cents).
    call transactions.create(item_id: String, transaction: Json<Transaction>) -> Raw<Transaction> =
        |c| Raw::new(c.transactions().create_value(&item_id, transaction.into_inner()).await?);

    /// The bids on an ad.
    call bids.list(item_id: String) -> Collection = |c| c.bids().list(&item_id).await?;

    /// One bid.
    call bids.get(item_id: String, bid_id: i64) -> Bid = |c| c.bids().get(&item_id, bid_id).await?;

    /// Delete a bid (as the bid's or the ad's owner).
    call bids.delete(item_id: String, bid_id: i64) -> Value = |c| c.bids().delete(&item_id, bid_id).await?;

    /// E-mail a bidder a question.
    call bids.ask_bidder_question(item_id: String, bid_id: i64, message: String, phone_number: String) -> Value =
        |c| c.bids().ask_bidder_question(&item_id, bid_id, &message, &phone_number).await?;

    /// Confirm a phone upcall (client credentials with `confirm_upcall`).
    call upcalls.confirm(item_id: String,
        /// `{callerPhoneNumber, calleePhoneNumber, startTime, endTime}`.
        confirmation: Json<Map<String, Value>>,
    ) -> () = |c| c.upcalls().confirm(&item_id, &confirmation.into_inner()).await?;

    /// Your ads, fetched lazily page by page.
    list users.ads(;
        /// Whose ads (the current user by default).
        user_id: i64,
        /// Stop after this many ads.
        limit: u64,
        /// Ads per request (1–100, 100).
        page_size: u64,
    ) -> Advertisement = |c| c.users().ads(user_id, limit, page_size)?;

    /// The current user.
    call users.me() -> Raw<User> = |c| Raw::new(c.users().me_value().await?);

    /// A user.
    call users.get(user_id: i64) -> User = |c| c.users().get(user_id).await?;

    /// `GET /v1/users` (the collection resource: links).
    call users.collection() -> Collection = |c| c.users().collection().await?;

    /// Create an account (client credentials with `create_account`).
    call users.create(user: Json<User>) -> Raw<User> = |c| Raw::new(c.users().create_value(&user.into_inner()).await?);

    /// Ask to change a user's e-mail address (confirmed by mail).
    call users.change_email(user_id: i64, new_email: String) -> Raw<ChangeEmailResult> =
        |c| Raw::new(c.users().change_email_value(user_id, &new_email).await?);

    /// One page of a user's ads (`offset` a multiple of `limit`).
    call users.ads_page(user_id: i64; offset: u64, limit: u64) -> Raw<Collection> =
        |c| Raw::new(c.users().ads_page_value(user_id, offset.unwrap_or(0), limit.unwrap_or(MAX_ADS_PAGE)).await?);

    /// The brands on a user's profile.
    call users.brands(user_id: i64) -> Brands = |c| c.users().brands(user_id).await?;

    /// A user's seller profile.
    call users.profile(user_id: i64) -> Profile = |c| c.users().profile(user_id).await?;

    /// Replace a seller profile (PUT).
    call users.replace_profile(user_id: i64, profile: Json<Profile>) -> Raw<Profile> =
        |c| Raw::new(c.users().replace_profile(user_id, &profile.into_inner()).await?);

    /// Change a seller profile with JSON Patch operations.
    call users.patch_profile(user_id: i64, ops: Json<Vec<PatchOperation>>) -> Raw<Profile> =
        |c| Raw::new(c.users().patch_profile(user_id, &ops.into_inner()).await?);

    /// One image of a seller profile.
    call users.profile_image(user_id: i64,
        /// `profile`, `backdrop` or `logo`.
        kind: ProfileImageKind,
    ) -> Raw<Image> = |c| Raw::new(c.users().profile_image(user_id, kind).await?);

    /// Set an image of a seller profile by URL.
    call users.set_profile_image(user_id: i64, kind: ProfileImageKind, url: String) -> Raw<Image> =
        |c| Raw::new(c.users().set_profile_image(user_id, kind, &url).await?);

    /// Upload an image of a seller profile as a file (JPG, PNG or BMP, under 8 MB).
    upload users.upload_profile_image(user_id: i64, kind: ProfileImageKind,
        /// A path, `(filename, bytes)` / `{filename, data}`, or a readable stream.
        file: UploadSource,
    ) -> Raw<Image> = |c| Raw::new(c.users().upload_profile_image(user_id, kind, file).await?);

    /// Remove an image of a seller profile.
    call users.delete_profile_image(user_id: i64, kind: ProfileImageKind) -> () =
        |c| c.users().delete_profile_image(user_id, kind).await?;

    /// A user's reviews and their averages.
    call users.reviews(user_id: i64) -> Reviews = |c| c.users().reviews(user_id).await?;

    /// Where a user's external reviews come from.
    call users.review_settings(user_id: i64) -> ReviewSettings = |c| c.users().review_settings(user_id).await?;

    /// Replace the review settings (PUT).
    call users.replace_review_settings(user_id: i64, settings: Json<ReviewSettings>) -> Raw<ReviewSettings> =
        |c| Raw::new(c.users().replace_review_settings(user_id, &settings.into_inner()).await?);

    /// Change the review settings with JSON Patch operations.
    call users.patch_review_settings(user_id: i64, ops: Json<Vec<PatchOperation>>) -> Raw<ReviewSettings> =
        |c| Raw::new(c.users().patch_review_settings(user_id, &ops.into_inner()).await?);

    /// A user's features.
    call users.features(user_id: i64) -> Collection = |c| c.users().features(user_id).await?;

    /// Buy a user feature (`bedrijfsprofilering`, `klantscore`); returns the order.
    call users.buy_feature(user_id: i64, name: String; order_id: i64) -> Raw<Order> =
        |c| Raw::new(c.users().buy_feature_value(user_id, &name, order_id).await?);

    /// A user's statistics.
    call users.statistics(user_id: i64) -> Value = |c| c.users().statistics(user_id).await?;

    /// A user's legal (DSA) status.
    call users.legal_status(user_id: i64) -> LegalStatus = |c| c.users().legal_status(user_id).await?;

    /// An order with its products.
    call orders.get(order_id: i64) -> Order = |c| c.orders().get(order_id).await?;

    /// The products of an order.
    call orders.products(order_id: i64) -> Collection = |c| c.orders().products(order_id).await?;

    /// One product of an order.
    call orders.product(order_id: i64, product_id: i64) -> OrderProduct = |c| c.orders().product(order_id, product_id).await?;

    /// Street, city and province of a postcode.
    call locations.by_postcode(postcode: String) -> Raw<PostcodeLocation> =
        |c| Raw::new(c.locations().by_postcode_value(&postcode).await?);

    /// Read a date-time of the API as a UTC instant (an aware `datetime` in Python, a `Date` in Node).
    /// It reads ISO 8601, as in an ad's `startDate` or a bid's `placeDate`.
    function parse_time(
        /// The text, as a response holds it.
        text: String,
    ) -> crate::eqp::model::UtcDateTime = |_| crate::eqp::model::UtcDateTime::parse(&text)?;
}
