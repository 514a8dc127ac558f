from . import (
    test_accrual,
    test_attribution,
    test_channel_analytics,
    test_concurrency,
    test_rules,
    test_security,
    test_settlement,
    test_tour,
    test_validation,
)
