"""What every portal controller of the suite asks first: may the logged-in
user's contact open this page? (Its program roles decide, see
``res.partner._prm_portal_allows``.)"""

from werkzeug.exceptions import NotFound

from odoo.fields import Domain
from odoo.http import request


def portal_contact(page):
    """The logged-in user's contact when its program roles open ``page``;
    otherwise 404, never a hint that the page exists."""
    contact = request.env.user.partner_id
    if request.env.user._is_public() or not contact._prm_portal_allows(page):
        raise NotFound()
    return contact


def portal_count(model, page, domain=None):
    """The /my home counter of ``page``: the records of ``model`` the user
    reads through its record rules, or 0 when the page is closed to it."""
    records = request.env[model]
    contact = request.env.user.partner_id
    if not (contact._prm_portal_allows(page) and records.has_access("read")):
        return 0
    return records.search_count(Domain(domain or Domain.TRUE))
