from . import controllers, models, wizard
from .hooks import uninstall_hook
