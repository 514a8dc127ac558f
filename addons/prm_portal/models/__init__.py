from . import (
    prm_portal_document,
    prm_portal_document_download,
    prm_portal_throttle,
    res_partner,
    res_partner_team,
)
