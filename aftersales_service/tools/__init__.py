from . import actions
from . import probes
from . import working_time
from . import workflow
