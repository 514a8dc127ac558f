"""Check the translation files of the add-ons: every translated entry keeps the
placeholders, the markup and the surrounding spaces of its source.

Usage: python3 scripts/check_po.py [folder ...]   (default: addons)
Untranslated entries are not reported here (tests/test_i18n.py does that).
"""

import re
import sys
from collections import Counter
from pathlib import Path

import polib

PLACEHOLDER = re.compile(
    r"%\([A-Za-z_]\w*\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]|%[-#0 +]*\d*(?:\.\d+)?[sdifrx]|%%"
    r"|\{[A-Za-z_][\w.]*\}|\{\}"
)
TAG = re.compile(
    r"</?([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'))?)*)\s*/?>"
)
ATTRIBUTE = re.compile(r"([\w:.-]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'))?")
# Attributes whose value is human text, translated with the rest.
TEXT_ATTRIBUTES = {
    "title",
    "alt",
    "placeholder",
    "aria-label",
    "string",
    "help",
    "data-tooltip",
    "confirm",
}


def markup(text):
    """Tags and their non-text attributes, as a multiset."""
    found = Counter()
    for match in TAG.finditer(text):
        attributes = tuple(
            sorted(
                (name, value)
                for name, value in ATTRIBUTE.findall(match.group(2) or "")
                if name not in TEXT_ATTRIBUTES
            )
        )
        found[(match.group(0)[:2] == "</", match.group(1).lower(), attributes)] += 1
    return found


def check_entry(entry):
    problems = []
    source, target = entry.msgid, entry.msgstr
    if Counter(PLACEHOLDER.findall(source)) != Counter(PLACEHOLDER.findall(target)):
        problems.append(
            f"placeholders differ: {sorted(PLACEHOLDER.findall(source))} vs "
            f"{sorted(PLACEHOLDER.findall(target))}"
        )
    if markup(source) != markup(target):
        problems.append("markup differs (tags or non-text attributes)")
    for side, strip in (("leading", str.lstrip), ("trailing", str.rstrip)):
        src_ws = (
            source[: len(source) - len(strip(source))]
            if side == "leading"
            else source[len(strip(source)) :]
        )
        tgt_ws = (
            target[: len(target) - len(strip(target))]
            if side == "leading"
            else target[len(strip(target)) :]
        )
        if src_ws != tgt_ws:
            problems.append(f"{side} whitespace differs")
    return problems


def main(folders):
    count = errors = 0
    for folder in folders:
        for path in sorted(Path(folder).glob("*/i18n/*.po")):
            try:
                po = polib.pofile(str(path))
            except OSError as exc:
                sys.stderr.write(f"{path}: unreadable: {exc}\n")
                errors += 1
                continue
            for entry in po:
                if not entry.msgstr or entry.obsolete:
                    continue
                count += 1
                for problem in check_entry(entry):
                    errors += 1
                    sys.stderr.write(
                        f"{path}:{entry.linenum}: {problem}: {entry.msgid[:60]!r}\n"
                    )
    sys.stdout.write(f"{count} translations checked, {errors} problem(s)\n")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["addons"]))
