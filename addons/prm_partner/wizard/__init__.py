from . import prm_partner_state_wizard
