"""Reading a company's identity from an email: signature lines, legal
forms, web domains (partner applications received by email)."""

import re

from .normalize import LEGAL_FORMS, strip_accents

# Second-level labels of two-part public suffixes (co.uk, com.ar...).
SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu", "or", "ne", "gob"}
# A phone in a signature: international form, or after a "Tel" label.
PHONE = re.compile(
    r"(?:\+|\b00)\d[\d\s().-]{6,}\d"
    r"|(?<=tel)[\s.:]*\d[\d\s().-]{6,}\d"
    r"|(?<=phone)[\s.:]*\d[\d\s().-]{6,}\d"
    r"|(?<=тел)[\s.:]*\d[\d\s().-]{6,}\d",
    re.IGNORECASE,
)
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
VAT_LINE = re.compile(
    r"\b(?:VAT|TVA|IVA|CIF|NIF|USt-?IdNr\.?|ИНН)\b[\s.:#-]*([A-Z]{0,2}[\w .-]{5,20})",
    re.IGNORECASE,
)


def first_match(pattern, lines, group=0):
    for line in lines:
        match = pattern.search(line)
        if match:
            return match.group(group)
    return None


def signature_lines(body):
    """The last lines of an email body, where signatures live."""
    text = body.split("\n-- \n")[-1] if "\n-- \n" in body else body
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-8:]


def company_from_signature(lines):
    """A signature line ending with a legal form ('Rhein Systemhaus GmbH')."""
    for line in lines:
        if len(line) > 80:
            continue
        tokens = (
            strip_accents(line).casefold().replace(".", "").replace(",", " ").split()
        )
        if len(tokens) >= 2 and tokens[-1].strip("«»\"'") in LEGAL_FORMS:
            return line
        if (
            tokens
            and tokens[0].strip("«»\"'") in {"ооо", "ooo", "зао", "ао"}
            and len(tokens) >= 2
        ):
            return line
    return False


def company_from_domain(domain):
    """'sales.rhein-systemhaus.de' -> 'Rhein Systemhaus'."""
    labels = [label for label in domain.split(".") if label]
    if len(labels) < 2:
        return False
    if len(labels) >= 3 and labels[-2] in SECOND_LEVEL and len(labels[-1]) == 2:
        label = labels[-3]
    else:
        label = labels[-2]
    return " ".join(part.capitalize() for part in re.split(r"[-_]+", label) if part)
