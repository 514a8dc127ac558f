from . import prm_routing_rule
