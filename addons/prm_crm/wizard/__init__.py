from . import prm_registration_decision_wizard
from . import prm_offer_decline_wizard
from . import prm_deal_registration_wizard
