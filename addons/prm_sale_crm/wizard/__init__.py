from . import prm_launch_wizard
