from . import test_deal_access
from . import test_deal_registration
from . import test_deal_tour
from . import test_lead_routing
from . import test_offer_concurrency
from . import test_offer_tour
from . import test_routing_feedback
from . import test_deal_register_for_partner
