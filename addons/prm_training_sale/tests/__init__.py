from . import test_gated_selling
