"""Badge codes: genuine ones verify; forged, altered, foreign and expired ones do not."""

import base64
import datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from checkin import signing

NOW = datetime.datetime(2026, 5, 22, 9, tzinfo=datetime.UTC)
SERIAL = signing.serial_text(bytes(range(10)))


@pytest.fixture
def key():
    return Ed25519PrivateKey.generate()


def make(key, **overrides):
    fields = {
        "key": key,
        "event_id": 7,
        "serial": SERIAL,
        "valid_from": NOW - datetime.timedelta(days=7),
        "valid_until": NOW + datetime.timedelta(days=1),
        **overrides,
    }
    return signing.sign(**fields)


def test_genuine_code_verifies_and_says_whose_it_is(key):
    code = make(key)
    assert code.startswith("VC1:")
    assert set(code[4:]) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    claims = signing.verify(code, public_key=key.public_key(), now=NOW)
    assert claims.event_id == 7
    assert claims.serial == SERIAL
    assert claims.valid_until == NOW + datetime.timedelta(days=1)


def test_code_typed_in_lower_case_with_a_line_end_still_verifies(key):
    code = make(key)
    assert signing.verify(code.lower() + "\r\n", public_key=key.public_key(), now=NOW)


def test_code_signed_with_another_key_is_forged(key):
    code = make(Ed25519PrivateKey.generate())
    with pytest.raises(signing.CodeError) as error:
        signing.verify(code, public_key=key.public_key(), now=NOW)
    assert error.value.reason == "forged"


@pytest.mark.parametrize("position", [0, 5, 14, 22, 30, 86])
def test_any_altered_byte_is_refused(key, position):
    code = make(key)
    data = bytearray(base64.b32decode(code[4:] + "=" * (-len(code[4:]) % 8)))
    data[position] ^= 0x01
    altered = "VC1:" + base64.b32encode(bytes(data)).decode().rstrip("=")
    with pytest.raises(signing.CodeError) as error:
        signing.verify(altered, public_key=key.public_key(), now=NOW)
    assert error.value.reason in {"forged", "unknown"}


def test_serial_swapped_into_a_genuine_signature_is_forged(key):
    genuine = make(key)
    other = make(key, serial=signing.serial_text(b"\xff" * 10))
    payload_chars = 23 * 8 // 5  # the payload's first 36 base32 characters cover 22.5 bytes
    spliced = other[: 4 + payload_chars] + genuine[4 + payload_chars :]
    with pytest.raises(signing.CodeError):
        signing.verify(spliced, public_key=key.public_key(), now=NOW)


def test_expired_and_early_codes_are_refused(key):
    code = make(key)
    with pytest.raises(signing.CodeError) as error:
        signing.verify(code, public_key=key.public_key(), now=NOW + datetime.timedelta(days=1))
    assert error.value.reason == "expired"
    with pytest.raises(signing.CodeError) as error:
        signing.verify(code, public_key=key.public_key(), now=NOW - datetime.timedelta(days=8))
    assert error.value.reason == "outside_window"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "VC1:",
        "VC1:!!!!",
        "VC1:" + "A" * 140,
        "VC1:" + "A" * 10_000,
        "VC2:AAAA",
        "\x00",
    ],
)
def test_garbage_is_unknown_never_an_exception(key, text):
    with pytest.raises(signing.CodeError) as error:
        signing.verify(text, public_key=key.public_key(), now=NOW)
    assert error.value.reason in {"unknown", "forged"}


def test_code_of_an_edition_without_a_key_is_forged(key):
    with pytest.raises(signing.CodeError) as error:
        signing.verify(make(key), public_key=None, now=timezone.now())
    assert error.value.reason == "forged"
