from . import (
    test_activation,
    test_api,
    test_codes,
    test_concurrency,
    test_incentive,
    test_portal,
    test_public_page,
    test_security,
    test_batch_tour,
    test_tour,
)
