from . import aftersales_daily_report_wizard
