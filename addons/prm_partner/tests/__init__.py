from . import test_partner_status
from . import test_tier_config
from . import test_matching
