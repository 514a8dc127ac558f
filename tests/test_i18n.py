"""Translations: every term of every prm_* module is translated in Spanish and
Russian, and Odoo serves those translations at run time."""

from pathlib import Path

import polib

from odoo.exceptions import ValidationError
from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

LANGS = {"es": "es_ES", "ru": "ru_RU"}


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.modules = (
            cls.env["ir.module.module"]
            .search([("name", "=like", "prm\\_%"), ("state", "=", "installed")])
            .mapped("name")
        )

    def _po(self, module, lang):
        path = Path(get_module_path(module)) / "i18n" / f"{lang}.po"
        self.assertTrue(path.exists(), f"{module} ships no {path.name}")
        return polib.pofile(str(path))

    def test_po_files_cover_every_term_of_the_code(self):
        """A fresh export of each module's terms (code, views, data, fields) is
        fully translated: a new string without translation fails here."""
        self.assertIn("prm_partner", self.modules)
        for module in self.modules:
            reader = TranslationModuleReader(self.env.cr, modules=[module])
            terms = {source for _m, _t, _n, _r, source, _v, _c in reader}
            self.assertTrue(terms, f"no translatable term found in {module}")
            pot = Path(get_module_path(module)) / "i18n" / f"{module}.pot"
            self.assertTrue(pot.exists(), f"{module} ships no {pot.name}")
            for lang in LANGS:
                po = self._po(module, lang)
                translated = {e.msgid for e in po if e.msgstr and not e.obsolete}
                missing = sorted(terms - translated)
                if missing:
                    self.fail(
                        f"{module}/i18n/{lang}.po lacks {len(missing)} translation(s), "
                        f"e.g. {missing[:5]} (run scripts/i18n.py, then translate)"
                    )

    def test_translations_are_served(self):
        """Loading the languages makes menus and error messages speak them."""
        menu = self.env.ref("prm_partner.menu_prm_root")
        for short, code in LANGS.items():
            self.env["res.lang"]._activate_lang(code)
            modules = self.env["ir.module.module"].search(
                [("name", "in", self.modules)]
            )
            modules._update_translations(code)
            expected = {
                e.msgid: e.msgstr for e in self._po("prm_partner", short) if e.msgstr
            }
            self.assertEqual(
                menu.with_context(lang=code).name,
                expected[menu.with_context(lang="en_US").name],
            )
            rule_model = self.env["prm.tier.rule"].with_context(lang=code)
            with self.assertRaises(ValidationError) as error:
                rule_model._check_rule_vals({"threshold": -1})
            self.assertNotIn("cannot be negative", str(error.exception), code)
