from . import crm_lead
from . import prm_channel_report
from . import prm_deal_conflict
from . import res_company
from . import res_config_settings
from . import res_partner
from . import sale_order
