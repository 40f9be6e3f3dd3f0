from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError


class AftersalesSolution(models.Model):
    """Knowledge base entry: a problem type and its solution (P6.5)."""

    _name = "aftersales.solution"
    _description = "After-Sales Solution"
    _inherit = ["aftersales.workflow.guard", "mail.thread"]
    _order = "use_count desc, id desc"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    name = fields.Char(string="Problem", required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to share the solution between companies.",
    )
    category_id = fields.Many2one("aftersales.category", string="Problem Category", index=True)
    symptom = fields.Text(
        help="The symptom as customers describe it; its words help suggest this solution.",
    )
    keywords = fields.Char(
        help="Comma-separated words or phrases that point to this problem, e.g. "
        "'no power, 不开机, fuse'.",
    )
    solution = fields.Html(required=True)
    ticket_ids = fields.Many2many("aftersales.ticket", string="Tickets")
    use_count = fields.Integer(compute="_compute_use_count", store=True)

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------
    @api.depends("ticket_ids")
    def _compute_use_count(self):
        for solution in self:
            solution.use_count = len(solution.ticket_ids)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_apply_to_ticket(self):
        """P6.5: apply this solution to the ticket it was suggested on."""
        self.ensure_one()
        ticket = self.env["aftersales.ticket"].browse(self.env.context.get("ticket_id")).exists()
        if not ticket:
            raise UserError(_("Open the solution from a ticket to apply it."))
        ticket.write({"solution_id": self.id, "resolution_note": self.solution})
        self.ticket_ids = [Command.link(ticket.id)]
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _suggest_for(self, category, text, limit=5):
        """P6.5: solutions for a problem: same category, or keywords found in the
        text (substring match, so it works for Chinese without word breaks),
        best scored first."""
        text = (text or "").lower()
        if not category and not text.strip():
            return self.browse()
        candidates = self.search([("company_id", "in", [self.env.company.id, False])], limit=200)
        scored = []
        for solution in candidates:
            words = [w.strip().lower() for w in (solution.keywords or "").split(",") if w.strip()]
            score = sum(1 for word in words if word in text)
            if category and solution.category_id == category:
                score += 2
            if score:
                scored.append((score, solution.use_count, solution.id))
        scored.sort(reverse=True)
        return self.browse([sid for _score, _uses, sid in scored[:limit]])
