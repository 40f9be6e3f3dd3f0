import math

from odoo import _, api, models
from odoo.exceptions import AccessError, ValidationError
from odoo.http import request

from ..tools.workflow import in_workflow_step

#: Stored fields no user groups by, on whichever of the suite's models has them:
#: Odoo's mixins (security token, colour index, main attachment), related copies
#: of configuration (currencies, tier colour, return window) and bookkeeping of the
#: suite's jobs (reminders, callback planning, feedback link expiry). The SLA
#: engine adds its own (``SLA_TECHNICAL_FIELDS``).
TECHNICAL_FIELDS = frozenset(
    {
        "access_token",
        "color",
        "message_main_attachment_id",
        "customer_tier_color",
        "currency_id",
        "aftersales_currency_id",
        "window_days",
        "procurement_group_id",
        "product_uom_category_id",
        "reminder_date_end",
        "plan_key",
        "expires_on",
    }
)


class AftersalesWorkflowGuard(models.AbstractModel):
    """Fields a workflow controls change only through that workflow (P10.1).

    Every model of the suite inherits this guard. A model lists the fields its
    workflow owns — states, approvals, inspections, overrides, the engines'
    results — in ``_aftersales_workflow_fields``; ``create`` and ``write`` then let
    them through only

    * inside a method marked ``@workflow_step`` (``tools/workflow.py``): the owning
      ``action_*`` checked who may take the step before it writes;
    * as superuser: the engines and crons;
    * for a field that names a group, to the members of that group (e.g. a
      manager pinning a tier).

    Anything else — an RPC ``write`` of a technician, a customer's JSON-RPC
    ``create`` — is refused with an ``AccessError``; ``readonly`` in a view is only
    cosmetic. The guard also refuses floats that are not finite numbers, and links
    to records the user may not read (``_aftersales_user_links``): a link would
    show the linked record's name.
    """

    _name = "aftersales.workflow.guard"
    _description = "After-Sales Workflow Guard"

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------
    @api.model
    def _aftersales_workflow_fields(self):
        """``{field name: group xmlid entitled to set it directly, or None}``."""
        return {}

    @api.model
    def _aftersales_user_links(self):
        """Many2one fields users set, whose target they must be able to read."""
        return ()

    @api.model
    def _aftersales_technical_fields(self):
        """Fields of the machinery (security token, colour index, main attachment,
        engines' bookkeeping) that mean nothing as groups: "Add Custom Group" does not
        offer them. They stay searchable and readable."""
        return TECHNICAL_FIELDS & self._fields.keys()

    def _aftersales_guarded_fields(self, vals):
        """``{field name: entitled group}`` of the protected fields ``vals`` sets."""
        protected = self._aftersales_workflow_fields()
        return {fname: protected[fname] for fname in vals.keys() & protected.keys()}

    def _aftersales_new_record_defaults(self, vals_list):
        """Protected values a new record may be created with: nothing set (the
        form sends empty fields) or the field's own default (a form sends it too)."""
        protected = self._aftersales_workflow_fields()
        named = {fname for vals in vals_list for fname, value in vals.items() if value}
        return self.default_get(list(named & protected.keys()))

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model
    def fields_get(self, allfields=None, attributes=None):
        result = super().fields_get(allfields, attributes)
        # Like groups="base.group_no_one": the developer mode still offers them.
        # (has_group's own debug test reads request.session, which a request
        # object made outside the web client, e.g. by a script, may not have.)
        session = getattr(request, "session", None) if request else None
        if getattr(session, "debug", False) and self.env.user._has_group("base.group_no_one"):
            return result
        for fname in self._aftersales_technical_fields():
            if result.get(fname, {}).get("groupable"):
                result[fname]["groupable"] = False
        return result

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._aftersales_guard(vals_list, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._aftersales_guard([vals])
        return super().write(vals)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _aftersales_guard(self, vals_list, creating=False):
        self._aftersales_check_numbers(vals_list)
        if self.env.su or in_workflow_step():
            return
        user = self.env.user
        defaults = self._aftersales_new_record_defaults(vals_list) if creating else {}
        for vals in vals_list:
            for fname, group in self._aftersales_guarded_fields(vals).items():
                if group and user.has_group(group):
                    continue
                if group:
                    raise AccessError(
                        _(
                            "Only members of “%(group)s” can set “%(field)s” of %(model)s.",
                            group=self.env.ref(group).full_name,
                            field=self._fields[fname].get_description(self.env)["string"],
                            model=self._description,
                        )
                    )
                if creating and (not vals[fname] or vals[fname] == defaults.get(fname)):
                    continue
                raise AccessError(
                    _(
                        "“%(field)s” of %(model)s changes only through its own step "
                        "(the buttons on the record), by the people entitled to take it.",
                        field=self._fields[fname].get_description(self.env)["string"],
                        model=self._description,
                    )
                )
        self._aftersales_check_links(vals_list)

    def _aftersales_check_numbers(self, vals_list):
        for vals in vals_list:
            for fname, value in vals.items():
                field = self._fields.get(fname)
                if (
                    field
                    and field.type in ("float", "monetary")
                    and isinstance(value, float)
                    and not math.isfinite(value)
                ):
                    raise ValidationError(
                        _(
                            "“%(field)s” must be a number (it is %(value)s).",
                            field=field.get_description(self.env)["string"],
                            value=value,
                        )
                    )

    def _aftersales_check_links(self, vals_list):
        """One read check per linked model for the whole batch."""
        for fname in self._aftersales_user_links():
            ids = {
                vals[fname]
                for vals in vals_list
                if isinstance(vals.get(fname), int) and not isinstance(vals[fname], bool)
            }
            if not ids:
                continue
            field = self._fields[fname]
            if not all(0 < record_id < 2**31 for record_id in ids):
                raise ValidationError(
                    _(
                        "“%(field)s” points to a record that does not exist.",
                        field=field.get_description(self.env)["string"],
                    )
                )
            targets = self.env[field.comodel_name].browse(ids)
            if targets.has_access("read") and targets._filtered_access("read") == targets:
                continue
            raise AccessError(
                _(
                    "“%(field)s” points to a record you may not see: pick one from the "
                    "list instead.",
                    field=field.get_description(self.env)["string"],
                )
            )
