from . import portal_funds
