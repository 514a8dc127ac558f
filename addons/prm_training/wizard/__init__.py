from . import prm_certificate_revoke
from . import prm_tier_simulation
