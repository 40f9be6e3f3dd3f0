"""P8.1, P8.2: the customer answers the feedback request on a public page, with the
one-time link of the e-mail (no login). Only the feedback of that link is read or
written, and only its answer fields. The page speaks the customer's language, as
the e-mail that brought them there does (Odoo's rating page does the same), whoever
opens the link."""

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import consteq
from odoo.tools.misc import get_lang

from ..models.aftersales_feedback import SERVICE_CRITERIA, TECHNICIAN_CRITERIA
from .portal import is_record_id

FORM_FIELDS = (*TECHNICIAN_CRITERIA, *SERVICE_CRITERIA, "comment", "is_complaint")


class AftersalesFeedbackController(http.Controller):
    @http.route(
        "/aftersales/feedback/<int:feedback_id>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def aftersales_feedback(self, feedback_id, access_token=None, **post):
        # The token is the customer's key to this one record: checked before anything
        # is read, then the record is handled as superuser.
        if not is_record_id(feedback_id):
            return request.render("aftersales_service.feedback_page_invalid", status=404)
        feedback = request.env["aftersales.feedback"].sudo().browse(feedback_id).exists()
        if (
            not feedback
            or not access_token
            or not consteq(feedback.access_token or "", access_token)
        ):
            return request.render("aftersales_service.feedback_page_invalid", status=404)
        lang = feedback.partner_id.lang or get_lang(request.env).code
        request.update_context(lang=lang)
        feedback = feedback.with_context(lang=lang)
        today = feedback.company_id._aftersales_today()
        if feedback.state == "requested" and feedback.expires_on and feedback.expires_on < today:
            feedback.state = "expired"
        if feedback.state == "answered":
            return self._page("answered", feedback)
        if feedback.state != "requested":
            return self._page("expired", feedback)
        error = False
        if request.httprequest.method == "POST":
            values = {name: post.get(name) for name in FORM_FIELDS}
            try:
                feedback._submit_answers(values)
            except UserError as exc:
                error = exc.args[0]
            else:
                return self._page("thanks", feedback)
        env = feedback.env

        def label(name):
            return feedback._fields[name]._description_string(env)

        return request.render(
            "aftersales_service.feedback_page_form",
            {
                "feedback": feedback,
                "access_token": access_token,
                "four_levels": feedback._fields[TECHNICIAN_CRITERIA[0]]._description_selection(env),
                "technician_criteria": [(name, label(name)) for name in TECHNICIAN_CRITERIA],
                "service_criteria": [(name, label(name)) for name in SERVICE_CRITERIA],
                "values": post,
                "error": error,
            },
        )

    def _page(self, name, feedback):
        return request.render(f"aftersales_service.feedback_page_{name}", {"feedback": feedback})
