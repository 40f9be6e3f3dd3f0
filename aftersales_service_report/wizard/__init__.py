from . import aftersales_export_wizard
