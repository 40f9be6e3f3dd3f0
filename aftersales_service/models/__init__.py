from . import aftersales_need_tag, aftersales_tier, res_company, res_config_settings, res_partner
