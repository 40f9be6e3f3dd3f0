# Import order matters: a model is registered after the models it inherits.
from . import res_company
from . import res_config_settings
from . import aftersales_need_tag
from . import aftersales_tier
from . import res_partner
from . import aftersales_sla_mixin
from . import aftersales_ticket
from . import aftersales_sla_policy
from . import aftersales_team
from . import aftersales_stage
from . import aftersales_ticket_tag
from . import aftersales_category
from . import aftersales_solution
