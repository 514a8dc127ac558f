from . import test_webhook_subscription
