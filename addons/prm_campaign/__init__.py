from . import controllers
from . import models
from . import wizard
from .prm_campaign_kit_hooks import prm_campaign_kit_uninstall
from .prm_mdf_hooks import prm_mdf_uninstall


def uninstall_hook(env):
    prm_campaign_kit_uninstall(env)
    prm_mdf_uninstall(env)
