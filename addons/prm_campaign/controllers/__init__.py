from . import portal_funds
from . import portal_kit
