# The report models of the printed documents and spreadsheets, where Odoo keeps
# them (sale/report, project/report). A document whose values are only its records
# has no model here: Odoo renders it, and ``ir.actions.report`` (models/) checks
# that the printing user may read them.
from . import report_documents
from . import report_xlsx_common
from . import report_xlsx_customer
from . import report_xlsx_callback
from . import report_xlsx_problem_tracking
from . import report_xlsx_satisfaction
from . import report_xlsx_technician_work
from . import report_xlsx_kpi
from . import report_ticket_service_voucher
from . import report_complaint
from . import report_daily_work
