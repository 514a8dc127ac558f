from . import portal_kit
