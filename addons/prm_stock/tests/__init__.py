from . import test_delivery
from . import test_installation
from . import test_installation_portal
from . import test_delivery_tour
from . import test_demo
