from . import prm_mdf_res_company
from . import prm_mdf_res_config_settings
from . import prm_mdf_budget
from . import prm_mdf_request
from . import prm_mdf_claim
from . import prm_mdf_account_move
from . import prm_mdf_res_partner
from . import prm_campaign_survey_user_input
