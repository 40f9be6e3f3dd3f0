# SQL views of the reporting menus (P9.2), where Odoo keeps them (sale/report).
from . import aftersales_kpi_report
from . import aftersales_technician_performance
