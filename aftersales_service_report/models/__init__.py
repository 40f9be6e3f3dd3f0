from . import aftersales_contract
from . import ir_actions_report
