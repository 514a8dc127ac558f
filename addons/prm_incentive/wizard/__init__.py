from . import prm_settlement_wizard
