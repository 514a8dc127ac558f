from . import prm_partner_state_wizard
from . import prm_launch_wizard
from . import prm_launch_wizard_line
from . import prm_reject_wizard
from . import prm_tier_simulation
from . import prm_application_reject_wizard
from . import prm_registration_decision_wizard
from . import prm_offer_decline_wizard
