def uninstall_hook(env):
    """Delete the subscriptions through the ORM before the table goes: their
    automation rules and webhook actions go with them. Left behind, the
    actions would keep posting to partners' endpoints, unsigned."""
    env["prm.webhook.subscription"].sudo().with_context(active_test=False).search(
        []
    ).unlink()
