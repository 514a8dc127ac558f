from . import (
    account_move,
    crm_lead,
    prm_partner_type,
    prm_tier,
    prm_tier_history,
    prm_tier_rule,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
)
