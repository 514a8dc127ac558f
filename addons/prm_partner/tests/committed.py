"""Tests that need real, separate transactions: two users racing for the same
rows, each in its own cursor. A ``TransactionCase`` runs everything in one
transaction, so these classes commit their fixtures and remove them after."""

import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests.common import BaseCase, get_db_name
from odoo.tools import mute_logger

NO_MAIL = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}


class PrmCommittedCase(BaseCase):
    """Subclasses commit their fixtures in ``_prm_commit_fixtures(env)`` and
    remove them in ``_prm_remove_fixtures(env)`` (class methods)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._prm_in_transaction, cls._prm_remove_fixtures)
        cls._prm_in_transaction(cls._prm_commit_fixtures)

    @classmethod
    def _prm_commit_fixtures(cls, env):
        pass

    @classmethod
    def _prm_remove_fixtures(cls, env):
        pass

    @classmethod
    @contextmanager
    def committed_env(cls):
        """A superuser environment on a new cursor: committed when the block
        ends without error, rolled back otherwise."""
        with cls.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, NO_MAIL)

    @classmethod
    def _prm_in_transaction(cls, function):
        with cls.committed_env() as env:
            return function(env)

    def _prm_race(self, work, args, losing_errors):
        """Run ``work(env, arg, start)`` for every arg at the same time, one
        thread and transaction each; ``work`` calls ``start()`` once its
        snapshot is taken, so that no transaction sees another's writes.
        Returns per arg what ``work`` returned, or the name of the error it
        lost with (raised inside, or by the commit)."""
        barrier = threading.Barrier(len(args))

        def run(arg):
            try:
                with self.committed_env() as env:
                    return work(env, arg, lambda: barrier.wait(timeout=20))
            except losing_errors as error:
                return type(error).__name__

        with mute_logger("odoo.sql_db"), ThreadPoolExecutor(len(args)) as executor:
            futures = [executor.submit(run, arg) for arg in args]
            return [future.result(timeout=120) for future in futures]
