from . import test_kit_attribution
from . import test_kit_cobrand
from . import test_kit_portal
from . import test_kit_security
from . import test_kit_tour
from . import test_printed_order
from . import test_printed_tour
