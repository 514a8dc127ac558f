from . import controllers
from . import models
from . import wizard
from .prm_campaign_kit_hooks import prm_campaign_kit_uninstall


def uninstall_hook(env):
    prm_campaign_kit_uninstall(env)
