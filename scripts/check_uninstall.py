"""Install/uninstall check: uninstalls every prm_* module of a database and
verifies nothing of them is left (tables, columns, models, menus, data).

Usage: python3 scripts/check_uninstall.py -c odoo.conf -d DB
(the database must have the modules installed; it is changed: use a throwaway one)
"""

import argparse
import sys

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])

    with Registry(args.database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        modules = env["ir.module.module"].search(
            [("name", "=like", "prm\\_%"), ("state", "=", "installed")]
        )
        names = modules.mapped("name")
        if not names:
            sys.stderr.write("no prm_* module installed\n")
            return 1
        models = env["ir.model.data"].search(
            [("module", "in", names), ("model", "=", "ir.model")]
        )
        own_models = [
            env["ir.model"].browse(d.res_id).model
            for d in models
            if env[env["ir.model"].browse(d.res_id).model]._original_module in names
        ]
        modules.button_immediate_uninstall()

    problems = []
    with Registry(args.database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        left = env["ir.module.module"].search(
            [("name", "in", names), ("state", "!=", "uninstalled")]
        )
        problems += [f"module {m.name} is {m.state}" for m in left]
        cr.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_name LIKE 'prm\\_%%'"
        )
        problems += [f"table {t} left" for (t,) in cr.fetchall()]
        cr.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND column_name LIKE 'prm\\_%%'"
        )
        problems += [f"column {t}.{c} left" for t, c in cr.fetchall()]
        problems += [f"model {m} left" for m in own_models if m in env]
        data = env["ir.model.data"].search_count([("module", "in", names)])
        if data:
            problems.append(f"{data} ir.model.data records of {names} left")
    for problem in problems:
        sys.stderr.write(problem + "\n")
    sys.stdout.write(
        f"uninstalled {', '.join(names)}: {len(own_models)} models, "
        f"{len(problems)} problem(s)\n"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
