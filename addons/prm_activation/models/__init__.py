from . import (
    prm_activation_batch,
    prm_activation_code,
    prm_activation_range,
    prm_activation,
    prm_activation_attempt,
    prm_incentive_rule,
    prm_incentive_line,
    prm_incentive_engine,
    prm_settlement,
    prm_tier_rule,
    res_partner,
    sale_order,
)
