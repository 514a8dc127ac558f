from . import test_partner_status
from . import test_tier_config
from . import test_matching
from . import test_launch_ranking
from . import test_launch_queries
from . import test_launch_order
from . import test_launch_security
from . import test_launch_tour
