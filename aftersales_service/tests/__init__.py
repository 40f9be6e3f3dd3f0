from . import (
    test_lifecycle_stage,
    test_tier_access,
    test_tier_assignment,
    test_tier_metrics,
    test_tier_query_count,
    test_tier_validation,
)
from . import test_sla_deadline
from . import test_sla_policy
from . import test_sla_escalation
from . import test_complaint
