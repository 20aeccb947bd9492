"""The controller's command-signing key: kept on the controller, made on first start."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.commands import public_key_b64
from sync.settings import Settings

__all__ = ["signing_key_path", "load_or_create_signing_key", "KeyFileError",
           "PUBLIC_KEY_ENV", "PRIVATE_KEY_ENV"]

log = logging.getLogger(__name__)

PUBLIC_KEY_ENV = "STATIONNET__SECURITY__CONTROLLER_PUBLIC_KEY"
PRIVATE_KEY_ENV = "STATIONNET__SECURITY__CONTROLLER_PRIVATE_KEY_FILE"


class KeyFileError(RuntimeError):
    """The signing key file exists but cannot be used; the message says how to fix it."""


def signing_key_path(settings: Settings) -> Path:
    """Return the configured private key file, or ``<data>/controller/command-signing.pem``."""
    configured = settings.security.controller_private_key_file
    return Path(configured) if configured else (
        settings.data_path() / "controller" / "command-signing.pem")


def load_or_create_signing_key(path: Path) -> Ed25519PrivateKey:
    """Return the Ed25519 private key in ``path``, generating it (mode 0600) if missing."""
    if path.exists():
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError) as exc:
            raise KeyFileError(f"{path} is not an unencrypted PEM private key ({exc}); "
                               "restore it from backup or delete it to make a new one "
                               "(then give kiosks the new public key)") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyFileError(f"{path} holds a {type(key).__name__}, not an Ed25519 key")
        return key
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    log.warning("made a new command-signing key %s; kiosks need controller_public_key = %s",
                path, public_key_b64(key))
    return key


def demo_signing_env(path: Path) -> dict[str, str]:
    """Return the environment that gives a demo's controller its key and kiosks the public key."""
    if PUBLIC_KEY_ENV in os.environ:
        return {}
    key = load_or_create_signing_key(path)
    return {PRIVATE_KEY_ENV: str(path), PUBLIC_KEY_ENV: public_key_b64(key)}
