"""The operator's Ed25519 signing key for export bundles.

The key lives in a file (PKCS#8 PEM, readable by its owner only), by default
`<data_dir>/legal/operator-ed25519.key`, created on first use. Its public half is written into
every bundle; the fingerprint (`fingerprint`) is what an operator publishes or hands to the
authorities so they can tell the bundle was signed by this service and no one else.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from causerie.errors import ConfigError


def load_or_create(path: Path) -> Ed25519PrivateKey:
    """The key in `path`, made (with a parent directory only its owner can enter) if absent.

    Raises:
        ConfigError: the file exists but is not an Ed25519 private key, or cannot be written.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return _create(path)
    except OSError as exc:
        raise ConfigError(f"the signing key {path} cannot be read: {exc.strerror}") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise ConfigError(f"{path} is not a PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError(f"{path} holds a private key that is not Ed25519")
    return key


def _create(path: Path) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(pem)
    except FileExistsError:  # made by another process meanwhile: use that one
        return load_or_create(path)
    except OSError as exc:
        raise ConfigError(f"the signing key {path} cannot be created: {exc.strerror}") from None
    return key


def public_bytes(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The public key as unpadded base64url (32 bytes)."""
    return base64.urlsafe_b64encode(public_bytes(key)).decode().rstrip("=")


def public_from_text(text: str) -> Ed25519PublicKey:
    """Raises ValueError when `text` is not a base64url Ed25519 public key."""
    raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    return Ed25519PublicKey.from_public_bytes(raw)


def fingerprint(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, first 16 bytes, as hex in groups of four."""
    digest = hashlib.sha256(public_bytes(key)).hexdigest()[:32]
    return ":".join(digest[i : i + 4] for i in range(0, 32, 4))


def sign(key: Ed25519PrivateKey, data: bytes) -> str:
    return base64.urlsafe_b64encode(key.sign(data)).decode().rstrip("=")


def signature_ok(public: Ed25519PublicKey, data: bytes, signature: str) -> bool:
    try:
        raw = base64.urlsafe_b64decode(signature.strip() + "=" * (-len(signature.strip()) % 4))
        public.verify(raw, data)
    except (InvalidSignature, ValueError):
        return False
    return True
