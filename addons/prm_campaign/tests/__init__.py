from . import test_mdf_budget
from . import test_mdf_claim
from . import test_mdf_concurrency
from . import test_mdf_portal
from . import test_survey_partner
from . import test_mdf_tour
from . import test_mdf_report
