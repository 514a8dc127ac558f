from . import prm_training_report
from . import prm_certificate_report
