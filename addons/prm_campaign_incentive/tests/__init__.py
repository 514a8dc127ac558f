from . import test_mdf_points
