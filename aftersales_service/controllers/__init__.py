from . import portal
from . import portal_rma
from . import portal_contract
from . import feedback
