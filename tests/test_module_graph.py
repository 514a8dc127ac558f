"""The module graph holds: no prm_* module uses a model of a module it does not
depend on (directly or not), in its code, views, data or tests.

`make test` also installs prm_partner alone, with CRM and with Sales and runs
each module's tests there; this check covers the code paths no test reaches.
"""

import re
from pathlib import Path

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged

PY_PATTERNS = [
    re.compile(r"""env\[\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']\s*\]"""),
    re.compile(
        r"""fields\.(?:Many2one|One2many|Many2many)\(\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']"""
    ),
    re.compile(r"""_inherit\s*=\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']"""),
]
XML_PATTERNS = [
    re.compile(r"""<record\b[^>]*\bmodel="([a-z0-9_]+(?:\.[a-z0-9_]+)+)\""""),
    re.compile(
        r"""<field name="(?:model|res_model)">([a-z0-9_]+(?:\.[a-z0-9_]+)+)</field>"""
    ),
]


@tagged("post_install", "-at_install")
class TestModuleGraph(TransactionCase):
    def _closure(self, module):
        """The module and every module it depends on, recursively."""
        Module = self.env["ir.module.module"]
        seen, todo = set(), [module]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            todo += Module.search([("name", "=", name)]).dependencies_id.mapped("name")
        return seen

    def _used_models(self, module):
        """{model name: first file using it} of the module's Python and XML."""
        root = Path(get_module_path(module))
        used = {}
        for path in sorted(root.rglob("*")):
            if path.suffix == ".py":
                patterns = PY_PATTERNS
            elif path.suffix == ".xml" and "static" not in path.parts:
                patterns = XML_PATTERNS
            else:
                continue
            text = path.read_text(encoding="utf-8")
            for pattern in patterns:
                for model in pattern.findall(text):
                    used.setdefault(model, path.relative_to(root))
        return used

    def test_modules_use_only_the_models_of_their_dependencies(self):
        modules = (
            self.env["ir.module.module"]
            .search([("name", "=like", "prm\\_%"), ("state", "=", "installed")])
            .mapped("name")
        )
        self.assertGreaterEqual(len(modules), 4)
        checked = 0
        for module in modules:
            closure = self._closure(module)
            for model, path in self._used_models(module).items():
                if model not in self.env:
                    continue  # a name that is no model (a module, a dotted id...)
                owner = self.env[model]._original_module
                checked += 1
                self.assertIn(
                    owner,
                    closure,
                    f"{module}/{path} uses {model}, a model of {owner}, which "
                    f"{module} does not depend on",
                )
        self.assertGreater(checked, 100, "the check must see real model uses")
