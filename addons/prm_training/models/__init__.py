from . import prm_certification
from . import prm_certificate
from . import prm_tier_rule
from . import product_category
from . import res_partner
from . import slide_channel
from . import survey_user_input
from . import prm_tier_requalification
