"""Fail on malformed XML and on view markup Odoo 19 rejects or ignores.

Usage: python3 scripts/check_xml.py <folder> [<folder> ...]
"""

import re
import sys
from pathlib import Path

from lxml import etree

# Markup that Odoo 19 refuses at install time or silently drops.
FORBIDDEN = [
    (re.compile(r"<tree[\s>/]"), "<tree> is gone in 19.0, use <list>"),
    (
        re.compile(r"\battrs\s*="),
        "attrs= is gone in 19.0, use invisible/readonly expressions",
    ),
    (
        re.compile(r"\bstates\s*=\s*\""),
        "states= is gone in 19.0, use invisible expressions",
    ),
    (re.compile(r"t-name=\"kanban-box\""), "kanban-box is gone in 19.0, use card"),
    (re.compile(r"class=\"oe_chatter\""), "use <chatter/> in 19.0"),
]


def check(path):
    errors = []
    try:
        etree.parse(str(path))
    except etree.XMLSyntaxError as exc:
        errors.append(f"{path}: not well-formed: {exc}")
        return errors
    text = path.read_text(encoding="utf-8")
    for lineno, line in enumerate(text.splitlines(), 1):
        for pattern, why in FORBIDDEN:
            if pattern.search(line):
                errors.append(f"{path}:{lineno}: {why}")
    return errors


def main(folders):
    errors = []
    count = 0
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.xml")):
            count += 1
            errors.extend(check(path))
    for error in errors:
        sys.stderr.write(error + "\n")
    sys.stdout.write(f"{count} XML files checked, {len(errors)} problem(s)\n")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["addons"]))
