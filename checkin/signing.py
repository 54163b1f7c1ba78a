"""Badge codes that cannot be forged: a delegate's badge serial, signed with the edition's key.

A code is ``VC1:`` followed by base32 (A–Z, 2–7: QR alphanumeric mode, and what a USB scanner
types the same on any keyboard layout) of a 23-byte payload and its 64-byte Ed25519 signature:

    version (1) | edition id (4) | badge serial (10) | valid from (4) | valid until (4)

as in pretix's signed secrets. Whoever holds the edition's public key can check a code without
the database (an offline scanner); only the server, which holds the private key, can make one.
A code says nothing about its holder: the serial is random, and what it stands for (and whether
it was revoked) is in the database.
"""

import base64
import binascii
import datetime
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PREFIX = "VC1:"
VERSION = 1
SERIAL_BYTES = 10
SIGNATURE_BYTES = 64
_PAYLOAD = struct.Struct(">BI10sII")


class CodeError(Exception):
    """A code that cannot be trusted; ``reason`` is one of checkin.models.Scan.Reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Payload:
    event_id: int
    serial: str
    valid_from: datetime.datetime | None
    valid_until: datetime.datetime | None


def serial_text(raw: bytes) -> str:
    return base64.b32encode(raw).decode()


def _timestamp(moment: datetime.datetime | None) -> int:
    return 0 if moment is None else int(moment.timestamp())


def _moment(value: int) -> datetime.datetime | None:
    return None if value == 0 else datetime.datetime.fromtimestamp(value, tz=datetime.UTC)


def sign(
    *,
    key: Ed25519PrivateKey,
    event_id: int,
    serial: str,
    valid_from: datetime.datetime | None = None,
    valid_until: datetime.datetime | None = None,
) -> str:
    """Return the code of a badge."""
    raw_serial = base64.b32decode(serial)
    payload = _PAYLOAD.pack(
        VERSION, event_id, raw_serial, _timestamp(valid_from), _timestamp(valid_until)
    )
    data = payload + key.sign(payload)
    return PREFIX + base64.b32encode(data).decode().rstrip("=")


def parse(code: str) -> tuple[Payload, bytes, bytes]:
    """Split a code into its claims, the signed bytes and the signature; check nothing else."""
    # Scanners add line ends; people type lower case and spaces.
    text = "".join(code.split()).upper()
    if not text.startswith(PREFIX) or len(text) > 300:
        raise CodeError("unknown")
    body = text[len(PREFIX) :]
    try:
        data = base64.b32decode(body + "=" * (-len(body) % 8))
    except (binascii.Error, ValueError):
        raise CodeError("unknown") from None
    if len(data) != _PAYLOAD.size + SIGNATURE_BYTES:
        raise CodeError("unknown")
    payload, signature = data[: _PAYLOAD.size], data[_PAYLOAD.size :]
    version, event_id, raw_serial, valid_from, valid_until = _PAYLOAD.unpack(payload)
    if version != VERSION:
        raise CodeError("unknown")
    claims = Payload(
        event_id=event_id,
        serial=serial_text(raw_serial),
        valid_from=_moment(valid_from),
        valid_until=_moment(valid_until),
    )
    return claims, payload, signature


def verify(code: str, *, public_key: Ed25519PublicKey | None, now: datetime.datetime) -> Payload:
    """Return what a genuine, current code says, or raise CodeError with the reason.

    ``public_key`` is the key of the edition the code claims (None when that edition has none).
    """
    claims, payload, signature = parse(code)
    if public_key is None:
        raise CodeError("forged")
    try:
        public_key.verify(signature, payload)
    except InvalidSignature:
        raise CodeError("forged") from None
    if claims.valid_until is not None and now >= claims.valid_until:
        raise CodeError("expired")
    if claims.valid_from is not None and now < claims.valid_from:
        raise CodeError("outside_window")
    return claims
