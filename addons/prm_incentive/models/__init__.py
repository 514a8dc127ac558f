from . import (
    account_move,
    account_move_line,
    account_partial_reconcile,
    prm_incentive_bracket,
    prm_incentive_engine,
    prm_incentive_engine_sellout,
    prm_incentive_line,
    prm_incentive_program,
    prm_incentive_rule,
    prm_incentive_sync,
    prm_incentive_tier_multiplier,
    prm_points_move,
    prm_sellout_batch,
    prm_sellout_importer,
    prm_sellout_line,
    prm_sellout_mapping_mixin,
    prm_sellout_mapping,
    prm_settlement,
    prm_settlement_close_job,
    prm_tier_rule,
    res_company,
    res_config_settings,
    res_partner,
    res_partner_portal,
)
from . import prm_incentive_line_api
from . import prm_settlement_api
from . import prm_sellout_batch_api
