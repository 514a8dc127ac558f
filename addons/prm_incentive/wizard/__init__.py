from . import prm_settlement_wizard
from . import prm_sellout_upload_wizard
from . import prm_incentive_adjustment_wizard
