from . import test_rules
