from . import test_webhook_subscription
from . import test_portal
