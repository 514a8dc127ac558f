from . import prm_certificate_revoke
