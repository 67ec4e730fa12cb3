// Connect a seller's Marktplaats account to an Express app with OAuth2 (authorization code).
//
//   npm install sellkit express express-session better-sqlite3
//   export SELLKIT_MP_PLATFORM=2dehands SELLKIT_MP_CLIENT_ID=... SELLKIT_MP_CLIENT_SECRET=...
//   export APP_REDIRECT_URI=https://app.example.com/marktplaats/callback APP_SESSION_SECRET=...
//   node oauth-express.mjs
//
// /marktplaats/connect sends the browser to the platform's consent page with a fresh `state`
// kept in the session; /marktplaats/callback checks that `state`, exchanges the code, and
// `onToken` writes every token set to SQLite, a rotated refresh token included, before it is
// used. /marktplaats/ads then works from the stored refresh token, in this process or the next.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import express from 'express';
import session from 'express-session';
import { AuthenticationError, MarktplaatsClient } from 'sellkit';

/** The Marktplaats tokens of each of your app's users, in SQLite. */
export class TokenStore {
  constructor(path) {
    this.db = new Database(path);
    this.db.exec(`CREATE TABLE IF NOT EXISTS marktplaats_tokens (
      account TEXT PRIMARY KEY, refresh_token TEXT NOT NULL,
      access_token TEXT, expires_at REAL, updated_at REAL NOT NULL)`);
    this.upsert = this.db.prepare(`INSERT INTO marktplaats_tokens
      (account, refresh_token, access_token, expires_at, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (account) DO UPDATE SET refresh_token = excluded.refresh_token,
      access_token = excluded.access_token, expires_at = excluded.expires_at,
      updated_at = excluded.updated_at`);
  }

  // Called by sellkit (and awaited) before a new access token is used: once this returns, a
  // rotated refresh token is safe, and the old one may already be void.
  save(account, tokens) {
    const now = Date.now() / 1000;
    const expiresAt = tokens.expires_in == null ? null : now + tokens.expires_in;
    this.upsert.run(account, tokens.refresh_token, tokens.access_token, expiresAt, now);
  }

  refreshToken(account) {
    const row = this.db.prepare('SELECT refresh_token FROM marktplaats_tokens WHERE account = ?').get(account);
    return row ? row.refresh_token : undefined;
  }

  forget(account) {
    this.db.prepare('DELETE FROM marktplaats_tokens WHERE account = ?').run(account);
  }
}

/**
 * The app. `clientOptions` go to `MarktplaatsClient` (platform, clientId, clientSecret,
 * baseUrl...); what is not given comes from the `SELLKIT_MP_*` variables.
 */
export function createApp({ redirectUri, sessionSecret, dbPath, ...clientOptions }) {
  const store = new TokenStore(dbPath);
  const app = express();
  // The session carries the OAuth `state` between /connect and /callback. Behind HTTPS, keep
  // the cookie off plain HTTP (and use a session store other than the in-memory default).
  app.use(session({
    secret: sessionSecret,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: redirectUri.startsWith('https://') },
  }));

  const clientFor = (account, refreshToken) => new MarktplaatsClient({
    ...clientOptions,
    refreshToken,
    onToken: (tokens) => store.save(account, tokens),
  });

  // Your own login decides who the user is; this example gives each browser an id.
  const accountOf = (req) => (req.session.account ??= randomBytes(12).toString('base64url'));

  app.get('/marktplaats/connect', async (req, res) => {
    const [url, state] = await clientFor(accountOf(req)).authorizationUrl(redirectUri);
    req.session.oauthState = state;
    res.redirect(302, url);
  });

  app.get('/marktplaats/callback', async (req, res) => {
    const expected = req.session.oauthState;
    delete req.session.oauthState;
    const { code, state, error } = req.query;
    if (error) return res.status(400).json({ error: `the seller did not connect: ${error}` });
    if (typeof code !== 'string' || !sameSecret(state, expected)) {
      return res.status(400).json({ error: 'unknown or reused OAuth state: start again at /marktplaats/connect' });
    }
    const client = clientFor(accountOf(req));
    await client.exchangeCode(code, redirectUri); // onToken has stored the tokens
    const me = await client.users.me();
    res.json({ connected: true, marktplaatsUser: me.userId });
  });

  app.get('/marktplaats/ads', async (req, res) => {
    const account = accountOf(req);
    const refreshToken = store.refreshToken(account);
    if (!refreshToken) return res.status(409).json({ error: 'no Marktplaats account connected: visit /marktplaats/connect' });
    try {
      const titles = [];
      for await (const ad of clientFor(account, refreshToken).users.ads({ limit: 50 })) titles.push(ad.title);
      res.json({ ads: titles });
    } catch (err) {
      if (!(err instanceof AuthenticationError)) throw err;
      // The seller revoked the app, or the refresh token expired: connect again.
      store.forget(account);
      res.status(409).json({ error: 'the Marktplaats connection has expired: visit /marktplaats/connect' });
    }
  });

  return app;
}

function sameSecret(a, b) {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// `node oauth-express.mjs`: listen on PORT (a free port when unset) and print the address.
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const app = createApp({
    redirectUri: process.env.APP_REDIRECT_URI,
    sessionSecret: process.env.APP_SESSION_SECRET,
    dbPath: process.env.APP_DB ?? 'tokens.sqlite3',
  });
  const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    console.log(`listening on http://127.0.0.1:${server.address().port}`);
  });
}
