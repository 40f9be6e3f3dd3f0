from odoo import models
from odoo.tools import html2plaintext

from .report_xlsx_common import Column


class ReportXlsxProblemTracking(models.AbstractModel):
    """Problem tracking table (表3, P9.3): number, customer, description, type,
    received, responded, owner, progress, result, customer confirmation and
    archived, with the response and resolution times against their targets (P6.3)
    and whether each was on time."""

    _name = "report.aftersales_service_report.xlsx_problem_tracking"
    _inherit = "report.aftersales_service_report.xlsx_common"
    _description = "Problem tracking export"
    _export_model = "aftersales.ticket"
    _export_order = "received_at, id"
    _date_field = "received_at"
    _team_field = "team_id"

    _fields_read = [
        "name",
        "partner_id",
        "subject",
        "ticket_type",
        "category_id",
        "received_at",
        "sla_first_response_at",
        "user_id",
        "stage_id",
        "solution_id",
        "resolution_note",
        "is_closed",
        "sla_response_target",
        "sla_response_time",
        "sla_response_ontime",
        "sla_solved_at",
        "sla_resolution_target",
        "sla_resolution_time",
        "sla_resolution_ontime",
    ]

    def _columns(self):
        _ = self.env._
        return [
            Column(_("Number"), "text", 14),
            Column(_("Customer"), "text", 28),
            Column(_("Description"), "text", 40),
            Column(_("Type"), "text", 16),
            Column(_("Problem Category"), "text", 18),
            Column(_("Received"), "datetime", 17),
            Column(_("Responded"), "datetime", 17),
            Column(_("Owner"), "text", 18),
            Column(_("Progress"), "text", 14),
            Column(_("Result"), "text", 40),
            Column(_("Customer Confirmation"), "datetime", 17),
            Column(_("Archived"), "bool", 10),
            Column(_("Response Target (h)"), "hours", 11),
            Column(_("Response Time (h)"), "hours", 11),
            Column(_("Response On Time"), "bool", 10),
            Column(_("Solved"), "datetime", 17),
            Column(_("Resolution Target (h)"), "hours", 11),
            Column(_("Resolution Time (h)"), "hours", 11),
            Column(_("Resolution On Time"), "bool", 10),
        ]

    def _sheet_title(self):
        return self.env._("Problem Tracking")

    def _confirmations(self, tickets):
        """P6.6: when the customer confirmed the result — an answered feedback or a
        done callback on the ticket, whichever came first."""
        confirmed = {}
        for model, date_field, state in (
            ("aftersales.feedback", "answered_at", "answered"),
            ("aftersales.callback", "done_at", "done"),
        ):
            groups = (
                self.env[model]
                .sudo()
                ._read_group(
                    [("ticket_id", "in", tickets.ids), ("state", "=", state)],
                    ["ticket_id"],
                    [f"{date_field}:min"],
                )
            )
            for ticket, when in groups:
                if when and (ticket.id not in confirmed or when < confirmed[ticket.id]):
                    confirmed[ticket.id] = when
        return confirmed

    def _rows(self, tickets):
        types = self._selection_labels("aftersales.ticket", "ticket_type")
        name = self._name_of
        for batch, records in self._read_batches(tickets, self._fields_read):
            confirmed = self._confirmations(batch)
            for ticket in records:
                responded = ticket["sla_first_response_at"]
                solved = ticket["sla_solved_at"]
                note = ticket["resolution_note"]
                result = name(ticket["solution_id"]) or (note and html2plaintext(note)) or None
                yield (
                    ticket["name"],
                    name(ticket["partner_id"]),
                    ticket["subject"],
                    types.get(ticket["ticket_type"]),
                    name(ticket["category_id"]),
                    ticket["received_at"],
                    responded,
                    name(ticket["user_id"]),
                    name(ticket["stage_id"]),
                    result,
                    confirmed.get(ticket["id"]),
                    ticket["is_closed"],
                    ticket["sla_response_target"] or None,
                    ticket["sla_response_time"] if responded else None,
                    ticket["sla_response_ontime"] >= 100 if responded else None,
                    solved,
                    ticket["sla_resolution_target"] or None,
                    ticket["sla_resolution_time"] if solved else None,
                    ticket["sla_resolution_ontime"] >= 100 if solved else None,
                )
