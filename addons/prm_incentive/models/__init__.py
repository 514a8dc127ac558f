from . import (
    account_move,
    account_move_line,
    account_partial_reconcile,
    prm_incentive_bracket,
    prm_incentive_engine,
    prm_incentive_line,
    prm_incentive_program,
    prm_incentive_rule,
    prm_incentive_tier_multiplier,
    prm_channel_report,
    prm_settlement,
    res_partner,
)
