from . import actions
from . import working_time
from . import workflow
