"""Refresh the translation files of the prm_* modules.

Usage: python3 scripts/i18n.py --database DB [MODULE ...]

For each module: exports ``i18n/<module>.pot`` from a database where the modules
are installed, then merges it into ``i18n/es.po`` and ``i18n/ru.po`` (creating
them when missing), keeping existing translations; reports untranslated entries.
"""

import argparse
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGS = {"es": "Spanish", "ru": "Russian"}


def export_pot(database, module):
    target = ROOT / "addons" / module / "i18n"
    target.mkdir(exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            f"--addons-path={ROOT / 'addons'}",
            "i18n",
            "export",
            "-d",
            database,
            "-o",
            str(target / f"{module}.pot"),
            module,
        ],
        check=True,
    )
    return target / f"{module}.pot"


def merge(pot_path, lang):
    po_path = pot_path.parent / f"{lang}.po"
    pot = polib.pofile(str(pot_path))
    old = polib.pofile(str(po_path)) if po_path.exists() else None
    known = {}
    if old is not None:
        for entry in old:
            if entry.msgstr:
                known[(entry.msgctxt, entry.msgid)] = entry.msgstr
                known.setdefault((None, entry.msgid), entry.msgstr)
    po = polib.POFile(wrapwidth=78)
    po.metadata = dict(pot.metadata)
    po.metadata["Language"] = lang
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata["Plural-Forms"] = (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
        if lang == "ru"
        else "nplurals=2; plural=(n != 1);"
    )
    missing = 0
    for entry in pot:
        msgstr = known.get((entry.msgctxt, entry.msgid)) or known.get(
            (None, entry.msgid), ""
        )
        missing += not msgstr
        po.append(
            polib.POEntry(
                msgid=entry.msgid,
                msgctxt=entry.msgctxt,
                msgstr=msgstr,
                occurrences=entry.occurrences,
                comment=entry.comment,
                tcomment=entry.tcomment,
                flags=entry.flags,
            )
        )
    po.save(str(po_path))
    return po_path, missing


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", "-d", required=True)
    parser.add_argument("modules", nargs="*")
    args = parser.parse_args()
    modules = args.modules or sorted(
        p.parent.name for p in (ROOT / "addons").glob("prm_*/__manifest__.py")
    )
    status = 0
    for module in modules:
        pot = export_pot(args.database, module)
        for lang in LANGS:
            po_path, missing = merge(pot, lang)
            sys.stdout.write(f"{po_path.relative_to(ROOT)}: {missing} untranslated\n")
            status |= bool(missing)
    return status


if __name__ == "__main__":
    sys.exit(main())
