from . import test_channel_analytics
from . import test_channel_analytics_queries
from . import test_channel_analytics_security
from . import test_channel_dashboard_tour
from . import test_deal_sales
from . import test_launch_win_rates
from . import test_partner_360_tour
