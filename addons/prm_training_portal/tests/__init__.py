from . import test_directory_certification
