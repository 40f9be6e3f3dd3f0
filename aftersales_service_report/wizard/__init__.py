from . import aftersales_export_wizard
from . import aftersales_daily_report_wizard
