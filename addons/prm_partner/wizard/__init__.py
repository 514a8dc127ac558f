from . import prm_partner_state_wizard
from . import prm_reject_wizard
from . import prm_tier_simulation
from . import prm_application_reject_wizard
from . import prm_application_accept_wizard
from . import prm_tier_change_wizard
