from . import aftersales_sla_extend_wizard
from . import aftersales_repair_wizards
from . import aftersales_rma_close_wizard
from . import aftersales_contract_cancel_wizard
from . import aftersales_calendar_day_import
