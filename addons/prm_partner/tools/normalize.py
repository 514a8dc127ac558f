"""Normalisation of company identities for duplicate detection.

Pure functions, no ORM: the same keys are computed for partners, applications
and registered deals, so two records match when their keys are equal.
"""

import contextlib
import re
import unicodedata

from stdnum.util import get_cc_module

try:
    import phonenumbers
except ImportError:  # optional: a simpler normalisation is used without it
    phonenumbers = None

DEFAULT_FREE_MAIL_DOMAINS = (
    "gmail.com,googlemail.com,yahoo.com,yahoo.es,yahoo.fr,hotmail.com,hotmail.es,"
    "outlook.com,outlook.es,live.com,msn.com,icloud.com,me.com,aol.com,gmx.com,"
    "gmx.de,gmx.net,web.de,proton.me,protonmail.com,mail.com,zoho.com,yandex.ru,"
    "yandex.com,ya.ru,mail.ru,bk.ru,inbox.ru,list.ru,rambler.ru,qq.com,163.com"
)

# Legal forms dropped from company names, after accents and dots are removed
# ("S.L." -> "sl", "ООО" stays Cyrillic). Multi-word forms are matched at the end.
LEGAL_FORMS = {
    # English
    "llc",
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llp",
    "lp",
    "plc",
    "corp",
    "corporation",
    "co",
    "company",
    "pty",
    "pte",
    # German, Dutch, Nordic
    "gmbh",
    "ag",
    "kg",
    "ohg",
    "ug",
    "ev",
    "bv",
    "nv",
    "vof",
    "ab",
    "as",
    "asa",
    "oy",
    # Romance languages
    "sl",
    "slu",
    "sa",
    "sas",
    "sarl",
    "eurl",
    "snc",
    "srl",
    "spa",
    "sapa",
    "lda",
    "ltda",
    "sc",
    "scp",
    "sca",
    "sll",
    # Slavic and CIS (Latin transliterations and Cyrillic)
    "ooo",
    "zao",
    "oao",
    "pao",
    "ao",
    "ip",
    "too",
    "tov",
    "sp",
    "zoo",
    "sro",
    "ооо",
    "зао",
    "оао",
    "пао",
    "ао",
    "ип",
    "тоо",
    "тов",
    "чп",
}
LEGAL_SUFFIX_SEQUENCES = (
    ("de", "cv"),
    ("de", "rl"),
    ("s", "de", "rl"),
    ("sp", "z", "oo"),
)
_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")


def strip_accents(text):
    """'Tecnología' -> 'Tecnologia'; Cyrillic letters are kept as they are."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize_company_name(name):
    """Comparable key of a company name: case, accents, punctuation and legal
    forms removed. 'Iberia Soluciones, S.L.' and 'IBERIA SOLUCIONES SL' give
    'iberia soluciones'; 'ООО «Волга»' gives 'волга'."""
    if not name:
        return False
    text = strip_accents(name).casefold()
    # Dotted abbreviations glue together (s.l. -> sl); other punctuation splits.
    text = text.replace(".", "")
    text = _PUNCTUATION.sub(" ", text)
    tokens = text.split()
    changed = True
    while changed and tokens:
        changed = False
        for seq in LEGAL_SUFFIX_SEQUENCES:
            if len(tokens) > len(seq) and tuple(tokens[-len(seq) :]) == seq:
                tokens = tokens[: -len(seq)]
                changed = True
    tokens = [t for t in tokens if t not in LEGAL_FORMS]
    return " ".join(tokens) or False


def _vat_module(country_code):
    if not country_code:
        return None
    try:
        return get_cc_module(country_code.lower(), "vat")
    except (ImportError, AttributeError, ValueError):
        return None


def split_vat(vat, country_code=None):
    """(country code, number) of a VAT number; a leading 2-letter prefix wins."""
    compact = _NOT_ALNUM.sub("", vat or "").upper()
    prefix = compact[:2]
    if (
        len(compact) > 2
        and prefix.isalpha()
        and (_vat_module(prefix) or prefix == "EL")
    ):
        return prefix, compact[2:]
    return (country_code or "").upper() or None, compact


def normalize_vat(vat, country_code=None):
    """Comparable VAT key 'ESB12345678' (country prefix + compact number)."""
    if not vat:
        return False
    cc, number = split_vat(vat, country_code)
    module = _vat_module(cc)
    if module is not None:
        # stdnum raises various errors on junk; the plain compact form then stays.
        with contextlib.suppress(Exception):
            number = module.compact(number)
        number = _NOT_ALNUM.sub("", number).upper()
        if cc and number.startswith(cc):
            number = number[len(cc) :]
    return f"{cc or ''}{number}" or False


def is_valid_vat(vat, country_code=None):
    """True when stdnum knows the country and validates the number, None when
    the country has no VAT validator (nothing can be said), else False."""
    cc, number = split_vat(vat, country_code)
    module = _vat_module(cc)
    if module is None:
        return None
    try:
        return bool(module.is_valid(number)) or bool(module.is_valid(f"{cc}{number}"))
    except Exception:
        return False


def email_domain(email, free_mail_domains=()):
    """Lower-case domain of an email, False for free-mail providers."""
    if not email or "@" not in email:
        return False
    domain = email.strip().rsplit("@", 1)[1].strip(" >").lower()
    if not domain or "." not in domain:
        return False
    return False if domain in free_mail_domains else domain


def is_valid_email(email):
    return bool(
        email and re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>.]+", email.strip())
    )


def normalize_phone(phone, country_code=None, calling_code=None):
    """Phone in E.164 ('+34911234567'), False when it has too few digits."""
    if not phone:
        return False
    if phonenumbers is not None:
        # Unparsable input falls through to the digits-only normalisation.
        with contextlib.suppress(phonenumbers.NumberParseException):
            parsed = phonenumbers.parse(phone, (country_code or "").upper() or None)
            if phonenumbers.is_possible_number(parsed):
                return phonenumbers.format_number(
                    parsed, phonenumbers.PhoneNumberFormat.E164
                )
    digits = re.sub(r"\D", "", phone)
    stripped = phone.strip()
    if stripped.startswith("+"):
        result = digits
    elif stripped.startswith("00"):
        result = digits[2:]
    elif calling_code:
        result = f"{calling_code}{digits.lstrip('0')}"
    else:
        result = digits
    return f"+{result}" if len(result) >= 7 else False
