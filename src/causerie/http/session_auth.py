"""Who is calling the HTTP API on behalf of a chat session.

The `welcome` frame gives each session a bearer token; HTTP requests send it as
`Authorization: Bearer <token>`. Any node can check it, because the store keeps its hash beside
the connection record, and it stops working when the connection closes.
"""

from __future__ import annotations

from starlette.requests import Request

from causerie.errors import CauserieError, ErrorCode
from causerie.store.base import ConnectionRecord, Store, token_digest

_SCHEME = "bearer "
MAX_TOKEN_CHARS = 128


def bearer_of(request: Request) -> str | None:
    """The token in the Authorization header, if it has a plausible shape."""
    header = request.headers.get("authorization", "")
    if not header.lower().startswith(_SCHEME):
        return None
    token = header[len(_SCHEME) :].strip()
    return token if 0 < len(token) <= MAX_TOKEN_CHARS else None


async def session_of(request: Request, store: Store) -> ConnectionRecord:
    """The open connection the request speaks for.

    Raises:
        CauserieError: `forbidden` when the token is missing, unknown or its session closed.
    """
    token = bearer_of(request)
    record = None if token is None else await store.connection_by_token(token_digest(token))
    if record is None:
        raise CauserieError(ErrorCode.FORBIDDEN, "session_required")
    return record
