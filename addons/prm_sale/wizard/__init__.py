from . import prm_launch_wizard
from . import prm_launch_wizard_line
