from . import prm_webhook_subscription
from . import ir_actions_server
