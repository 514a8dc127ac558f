from . import prm_settlement_report
