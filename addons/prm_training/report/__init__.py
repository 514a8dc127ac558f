from . import prm_training_report
