from . import prm_tier_rule
from . import res_partner
from . import account_move
from . import sale_order
from . import prm_agreement
from . import prm_launch
