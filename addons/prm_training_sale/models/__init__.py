from . import prm_launch_wizard
from . import sale_order
