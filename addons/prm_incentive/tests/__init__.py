from . import test_accrual, test_attribution, test_rules, test_settlement
