from . import aftersales_sla_extend_wizard
