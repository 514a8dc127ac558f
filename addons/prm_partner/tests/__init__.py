from . import test_partner_status, test_tier_config
