"""The marker of the suite's workflow methods (issue 14).

Fields a workflow owns (states, approvals, inspections, overrides, the engines'
results) may only change inside the method that owns the step, after it checked
who may take it. ``workflow_step`` marks such a method: while it runs, the
``aftersales.workflow.guard`` lets its writes through. The marker lives in a
context variable of the running thread, so nothing a client sends over RPC (the
context included) can set it.
"""

import contextvars
import functools

_IN_WORKFLOW_STEP = contextvars.ContextVar("aftersales_in_workflow_step", default=False)


def in_workflow_step():
    """Whether the code runs inside a method marked ``workflow_step``."""
    return _IN_WORKFLOW_STEP.get()


def workflow_step(method):
    """Mark ``method`` as owning workflow fields: it checks the role, then writes."""

    @functools.wraps(method)
    def step(*args, **kwargs):
        token = _IN_WORKFLOW_STEP.set(True)
        try:
            return method(*args, **kwargs)
        finally:
            _IN_WORKFLOW_STEP.reset(token)

    return step
