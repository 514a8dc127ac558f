from . import (
    test_apply,
    test_directory,
    test_documents,
    test_program_home,
    test_team,
    test_tours,
)
