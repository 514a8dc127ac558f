"""Activation codes: alphabet, check character, generation and keyed hash.

The alphabet leaves out the characters people misread on a scratch card
(0/O, 1/I/L); the last character of a code is a check character, the sum of
the characters' values weighted by their position modulo 31 (a prime, as
ISBN-10 does with 11). It catches every single wrong character and every swap
of two neighbours before any lookup is made.
"""

import hashlib
import hmac
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_INDEX = {char: index for index, char in enumerate(ALPHABET)}
_BASE = len(ALPHABET)
# Bytes at or above this limit are dropped so that every character is equally
# likely (256 is no multiple of 31).
_BYTE_LIMIT = 256 - 256 % _BASE
GROUP = 4


def check_char(payload):
    """Check character of ``payload`` (characters of ALPHABET, at most 30):
    a wrong character at position i changes the sum by i times a non-zero
    difference, and swapping neighbours by their difference, never a multiple
    of the prime 31."""
    total = sum(weight * _INDEX[char] for weight, char in enumerate(payload, 1))
    return ALPHABET[total % _BASE]


def normalize(code):
    """The code as stored and hashed: upper case, without spaces or dashes."""
    return "".join((code or "").split()).replace("-", "").upper()


def is_well_formed(code, length):
    """Whether normalized ``code`` has ``length`` payload characters of the
    alphabet plus a valid check character."""
    if len(code) != length + 1 or any(char not in _INDEX for char in code):
        return False
    return check_char(code[:-1]) == code[-1]


def has_valid_check(code):
    """Whether normalized ``code`` (any length) is made of the alphabet and
    ends with its check character."""
    if len(code) < 2 or any(char not in _INDEX for char in code):
        return False
    return check_char(code[:-1]) == code[-1]


def random_codes(count, length):
    """``count`` distinct random codes of ``length`` payload characters plus
    the check character, from the operating system's CSPRNG."""
    codes = set()
    while len(codes) < count:
        missing = count - len(codes)
        # Enough bytes for the missing codes after dropping the biased ones.
        raw = secrets.token_bytes(missing * length * 9 // 8 + length)
        chars = "".join(ALPHABET[byte % _BASE] for byte in raw if byte < _BYTE_LIMIT)
        for start in range(0, len(chars) - length + 1, length):
            payload = chars[start : start + length]
            codes.add(payload + check_char(payload))
            if len(codes) == count:
                break
    return list(codes)


def keyed_hash(secret, code):
    """HMAC-SHA256 of normalized ``code`` under the database secret: what the
    database stores; without the secret it tells nothing of the code."""
    return hmac.new(secret.encode(), code.encode(), hashlib.sha256).hexdigest()


def display(code):
    """``code`` in groups of four for printing: ABCD-EFGH-JKMN-P."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
