from . import (
    test_lifecycle_stage,
    test_tier_access,
    test_tier_assignment,
    test_tier_metrics,
    test_tier_query_count,
    test_tier_validation,
)
