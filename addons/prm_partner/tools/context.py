"""Flags the suite's own code passes down the ORM through the context."""


def internal_flag(env, key):
    """Whether the context flag ``key`` is raised by the suite itself.

    Any RPC caller can send any context key, so a flag that switches work off
    (a history sync, a re-check) counts only for the superuser: the code that
    raises it writes as superuser, after checking the caller's rights.
    """
    return bool(env.su and env.context.get(key))
