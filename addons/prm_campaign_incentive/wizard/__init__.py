from . import prm_mdf_points_wizard
