"""Connect a seller's Marktplaats account to a FastAPI app with OAuth2 (authorization code).

    pip install sellkit fastapi uvicorn itsdangerous
    export SELLKIT_MP_PLATFORM=2dehands SELLKIT_MP_CLIENT_ID=... SELLKIT_MP_CLIENT_SECRET=...
    export APP_REDIRECT_URI=https://app.example.com/marktplaats/callback APP_SESSION_SECRET=...
    uvicorn --factory oauth_fastapi:app_from_env

/marktplaats/connect sends the browser to the platform's consent page with a fresh `state` kept
in the session; /marktplaats/callback checks that `state`, exchanges the code, and `on_token`
writes every token set to SQLite, a rotated refresh token included, before it is used.
/marktplaats/ads then works from the stored refresh token, in this process or the next.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import time
from typing import Any, Dict, Optional

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.middleware.sessions import SessionMiddleware

import sellkit
from sellkit import marktplaats
from sellkit.marktplaats.types import TokenSet


class TokenStore:
    """The Marktplaats tokens of each of your app's users, in SQLite."""

    def __init__(self, path: str) -> None:
        self.path = path
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS marktplaats_tokens ("
                " account TEXT PRIMARY KEY, refresh_token TEXT NOT NULL,"
                " access_token TEXT, expires_at REAL, updated_at REAL NOT NULL)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def save(self, account: str, tokens: TokenSet) -> None:
        # Called by sellkit before a new access token is used: once this returns, a rotated
        # refresh token is safe, and the old one may already be void.
        now = time.time()
        expires_at = now + tokens["expires_in"] if "expires_in" in tokens else None
        with self._connect() as db:
            db.execute(
                "INSERT INTO marktplaats_tokens (account, refresh_token, access_token, expires_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (account) DO UPDATE SET"
                " refresh_token = excluded.refresh_token, access_token = excluded.access_token,"
                " expires_at = excluded.expires_at, updated_at = excluded.updated_at",
                (account, tokens["refresh_token"], tokens["access_token"], expires_at, now),
            )

    def refresh_token(self, account: str) -> Optional[str]:
        with self._connect() as db:
            row = db.execute("SELECT refresh_token FROM marktplaats_tokens WHERE account = ?", (account,)).fetchone()
        return row[0] if row else None

    def forget(self, account: str) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM marktplaats_tokens WHERE account = ?", (account,))


def create_app(*, redirect_uri: str, session_secret: str, db_path: str, **client_settings: Any) -> FastAPI:
    """The app. `client_settings` go to `marktplaats.AsyncClient` (platform, client_id,
    client_secret, base_url...); what is not given comes from the `SELLKIT_MP_*` variables."""
    store = TokenStore(db_path)
    app = FastAPI()
    # The session (a signed cookie) carries the OAuth `state` between /connect and /callback.
    # Behind HTTPS, keep the cookie off plain HTTP.
    app.add_middleware(SessionMiddleware, secret_key=session_secret, same_site="lax",
                       https_only=redirect_uri.startswith("https://"))

    def client_for(account: str, refresh_token: Optional[str] = None) -> marktplaats.AsyncClient:
        return marktplaats.AsyncClient(
            refresh_token=refresh_token,
            on_token=lambda tokens: store.save(account, tokens),
            **client_settings,
        )

    def account_of(request: Request) -> str:
        # Your own login decides who the user is; this example gives each browser an id.
        if "account" not in request.session:
            request.session["account"] = secrets.token_urlsafe(12)
        return str(request.session["account"])

    @app.get("/marktplaats/connect")
    async def connect(request: Request) -> RedirectResponse:
        account = account_of(request)
        async with client_for(account) as client:
            url, state = await client.authorization_url(redirect_uri)
        request.session["oauth_state"] = state
        return RedirectResponse(url, status_code=302)

    @app.get("/marktplaats/callback")
    async def callback(request: Request, code: Optional[str] = None, state: Optional[str] = None,
                       error: Optional[str] = None) -> Dict[str, Any]:
        expected = request.session.pop("oauth_state", None)
        if error:
            raise HTTPException(400, f"the seller did not connect: {error}")
        if not code or not state or not expected or not secrets.compare_digest(state, expected):
            raise HTTPException(400, "unknown or reused OAuth state: start again at /marktplaats/connect")
        account = account_of(request)
        async with client_for(account) as client:
            await client.exchange_code(code, redirect_uri)  # on_token has stored the tokens
            me = await client.users.me()
        return {"connected": True, "marktplaats_user": me.get("userId")}

    @app.get("/marktplaats/ads")
    async def my_ads(request: Request) -> Dict[str, Any]:
        account = account_of(request)
        refresh_token = store.refresh_token(account)
        if refresh_token is None:
            raise HTTPException(409, "no Marktplaats account connected: visit /marktplaats/connect")
        try:
            async with client_for(account, refresh_token) as client:
                titles = [ad["title"] async for ad in client.users.ads(limit=50)]
        except sellkit.AuthenticationError:
            # The seller revoked the app, or the refresh token expired: connect again.
            store.forget(account)
            raise HTTPException(409, "the Marktplaats connection has expired: visit /marktplaats/connect")
        return {"ads": titles}

    return app


def app_from_env() -> FastAPI:
    """For `uvicorn --factory oauth_fastapi:app_from_env`."""
    return create_app(
        redirect_uri=os.environ["APP_REDIRECT_URI"],
        session_secret=os.environ["APP_SESSION_SECRET"],
        db_path=os.environ.get("APP_DB", "tokens.sqlite3"),
    )
