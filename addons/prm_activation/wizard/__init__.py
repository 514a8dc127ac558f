from . import prm_activation_range_wizard
