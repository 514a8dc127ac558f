from . import prm_mdf_allocate_wizard
from . import prm_campaign_survey_wizard
