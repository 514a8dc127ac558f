from . import test_certificate
from . import test_metrics
from . import test_enrolment
from . import test_security
from . import test_portal
from . import test_certificate_pdf

from . import test_tour
