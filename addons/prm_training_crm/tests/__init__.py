from . import test_routing_certification
