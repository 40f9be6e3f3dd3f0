"""P4, P5: customers start a return or an exchange from a delivered order line on
the portal, follow its status and voucher, and cancel a draft (P10.2: their own
only).

Portal users may only *read* returns (ACL) and only those of their own commercial
entity (record rule ``aftersales_rma_rule_portal``); lists, counters and detail
pages are read with those rights. They get no create or write right: this
controller creates and cancels a return as superuser, and only after checking
itself that the order line or the return belongs to the user's commercial entity.
Only whitelisted form fields are read; the customer, the company, the order line
and the state are set by the server.
"""

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.osv import expression
from odoo.tools import float_compare, float_repr, float_round, format_date

from ..models.aftersales_rma import CLOSED_STATES, VOID_STATES
from .portal import AftersalesCustomerPortal, PortalListPage, is_record_id

#: The free text a customer gives on the form; nothing else is copied from it.
RMA_FORM_TEXT_FIELDS = ("description", "evidence")
RMA_FORM_FIELD_ORDER = ("line", "kind", "quantity", "reason_id", "exchange_condition", "evidence")
#: How many delivered order lines the "choose a product" page offers.
RMA_LINE_CHOICES = 50

RMA_LIST = PortalListPage(
    model="aftersales.rma",
    url="/my/returns",
    template="aftersales_service.portal_my_returns",
    page_name="aftersales_rma",
    records_key="aftersales_rmas",
    default_sortby="newest",
    history="my_returns_history",
)


class AftersalesRmaPortal(AftersalesCustomerPortal):
    # ------------------------------------------------------------------
    # Portal home
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "aftersales_rma_count" in counters:
            values["aftersales_rma_count"] = self._aftersales_portal_count(
                "aftersales.rma", self._prepare_aftersales_rma_domain()
            )
        return values

    def _get_page_view_values(
        self, document, access_token, values, session_history, no_breadcrumbs, **kwargs
    ):
        if document._name == "sale.order" and document.state == "sale":
            # The order page's Return / Exchange buttons: what each line has left.
            lines = document.order_line.filtered(
                lambda line: not line.display_type and line.qty_delivered > 0
            )
            values["aftersales_rma_returnable"] = {
                line.id: max(delivered - claimed, 0.0)
                for line, (delivered, claimed) in self._aftersales_rma_availability(lines).items()
            }
        return super()._get_page_view_values(
            document, access_token, values, session_history, no_breadcrumbs, **kwargs
        )

    # ------------------------------------------------------------------
    # List of the customer's returns and exchanges
    # ------------------------------------------------------------------
    def _prepare_aftersales_rma_domain(self):
        """The returns of the user's own commercial entity (the record rule enforces
        the same for portal users; it keeps an employee's "My" pages to their own)."""
        partner = request.env.user.partner_id
        return [("commercial_partner_id", "=", partner.commercial_partner_id.id)]

    def _aftersales_rma_searchbar_sortings(self):
        _ = request.env._
        return {
            "newest": {"label": _("Newest"), "order": "request_date desc, id desc"},
            "number": {"label": _("Number"), "order": "name desc, id desc"},
            "status": {"label": _("Status"), "order": "state, request_date desc, id desc"},
        }

    def _aftersales_rma_searchbar_filters(self):
        _ = request.env._
        return {
            "all": {"label": _("All"), "domain": []},
            "open": {"label": _("Open"), "domain": [("state", "not in", CLOSED_STATES)]},
            "closed": {"label": _("Closed"), "domain": [("state", "in", CLOSED_STATES)]},
        }

    @http.route(
        ["/my/returns", "/my/returns/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_returns(self, page=1, sortby=None, filterby=None, **kw):
        # The page shows the product and order names (portal users cannot read
        # products).
        return self._aftersales_portal_list_page(
            RMA_LIST,
            self._prepare_aftersales_rma_domain(),
            self._aftersales_rma_searchbar_sortings(),
            self._aftersales_rma_searchbar_filters(),
            page=page,
            sortby=sortby,
            filterby=filterby,
        )

    # ------------------------------------------------------------------
    # One return or exchange
    # ------------------------------------------------------------------
    @http.route("/my/returns/<int:rma_id>", type="http", auth="public", website=True)
    def portal_my_return(self, rma_id, access_token=None, **kw):
        rma_sudo = self._aftersales_portal_document("aftersales.rma", rma_id, access_token)
        if rma_sudo is None:
            return request.redirect("/my")
        values = self._aftersales_rma_get_page_view_values(rma_sudo, access_token, **kw)
        return request.render("aftersales_service.portal_my_return", values)

    def _aftersales_rma_get_page_view_values(self, rma, access_token, **kwargs):
        values = {
            "page_name": "aftersales_rma",
            "aftersales_rma": rma,
            "user": request.env.user,
            "just_created": kwargs.get("created") == "1",
            "just_cancelled": kwargs.get("cancelled") == "1",
            "can_cancel": rma.state == "draft" and self._aftersales_rma_is_own(rma),
        }
        return self._get_page_view_values(
            rma, access_token, values, "my_returns_history", False, **kwargs
        )

    def _aftersales_rma_is_own(self, rma):
        """True when ``rma`` belongs to the logged-in user's commercial entity."""
        user = request.env.user
        return not user._is_public() and (
            rma.commercial_partner_id.id == user.partner_id.commercial_partner_id.id
        )

    @http.route(
        "/my/returns/<int:rma_id>/cancel",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_cancel_return(self, rma_id, reason=None, **kw):
        """The customer withdraws a draft request (only their own, only a draft)."""
        # No access token here: only the owner, logged in, may cancel.
        try:
            self._document_check_access("aftersales.rma", rma_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        # sudo(): portal users cannot write returns; ownership is checked just below,
        # and sudo() keeps the customer as the author of the tracked change.
        rma_sudo = request.env["aftersales.rma"].sudo().browse(rma_id)
        if not self._aftersales_rma_is_own(rma_sudo):
            return request.redirect("/my")
        _ = request.env._
        error = None
        if rma_sudo.state != "draft":
            error = _(
                "%s is no longer a draft: it cannot be cancelled here any more. Write to "
                "our service team below instead.",
                rma_sudo.name,
            )
        else:
            reason = (reason or "").strip()
            try:
                with request.env.cr.savepoint():
                    rma_sudo._aftersales_cancel(
                        _("Cancelled by the customer on the portal: %s", reason)
                        if reason
                        else _("Cancelled by the customer on the portal")
                    )
            except UserError as exc:
                error = exc.args[0]
        if error:
            values = self._aftersales_rma_get_page_view_values(rma_sudo, None)
            # Set here only, never from the query string.
            values["cancel_error"] = error
            return request.render("aftersales_service.portal_my_return", values)
        return request.redirect(f"{rma_sudo.access_url}?cancelled=1")

    # ------------------------------------------------------------------
    # New return or exchange (P4.1, P5.1)
    # ------------------------------------------------------------------
    @http.route(
        "/my/returns/new",
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_new_return(self, line_id=None, **post):
        # A POST reaches this point only with a valid csrf_token: Odoo checks it on
        # every non-GET request to an http route.
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aftersales_rma_new",
                "errors": {},
                "form": {},
                "line": False,
                "reasons": request.env["aftersales.rma.reason"].search([]),
                "kinds": self._aftersales_rma_selection("kind"),
                "exchange_conditions": self._aftersales_rma_selection("exchange_condition"),
            }
        )
        if not line_id:
            # No line chosen yet: offer the customer's delivered order lines.
            values.update(self._aftersales_rma_line_choices())
            return request.render("aftersales_service.portal_new_return", values)

        line = self._aftersales_rma_own_line(line_id)
        if not line:
            # The same message for a line that does not exist and for another
            # customer's line: nothing about it is shown.
            values["errors"] = {
                "line": request.env._(
                    "This order line is not one of your delivered orders: start a return "
                    "from the order on your account."
                )
            }
            values.update(self._aftersales_rma_line_choices())
            return request.render("aftersales_service.portal_new_return", values)

        preview = self._aftersales_rma_preview(line)
        errors = {}
        if request.httprequest.method == "POST":
            rma_values, errors = self._aftersales_rma_form_validate(post, line, preview)
            if not errors:
                try:
                    # sudo(): portal users have no create right on returns; the line
                    # was checked to be the user's own, and only whitelisted,
                    # validated values are written.
                    with request.env.cr.savepoint():
                        rma = (
                            request.env["aftersales.rma"]
                            .sudo()
                            .with_company(line.company_id)
                            .create(rma_values)
                        )
                except (UserError, ValidationError) as error:
                    errors["form"] = error.args[0]
                else:
                    return request.redirect(f"{rma.access_url}?created=1")
            form = post
        else:
            form = {
                # P5.1: past the refund window, only an exchange can be accepted.
                "kind": "exchange" if self._aftersales_rma_window_passed(preview) else "refund",
                "quantity": self._aftersales_rma_format_qty(self._aftersales_rma_qty(preview)),
            }
        delivered, claimed = preview._return_availability()[preview]
        values.update(
            {
                "line": line,
                "preview": preview,
                "form": form,
                "errors": errors,
                "returnable_qty": self._aftersales_rma_qty(preview),
                "returnable_qty_display": self._aftersales_rma_format_qty(
                    self._aftersales_rma_qty(preview)
                ),
                "delivered_qty_display": self._aftersales_rma_format_qty(delivered),
                "claimed_qty_display": self._aftersales_rma_format_qty(claimed),
                # Read with the user's rights: their own returns of this line.
                "line_returns": request.env["aftersales.rma"].search(
                    [("sale_line_id", "=", line.id), ("state", "not in", VOID_STATES)]
                ),
                "refund_window_passed": self._aftersales_rma_window_passed(preview),
            }
        )
        return request.render("aftersales_service.portal_new_return", values)

    def _aftersales_rma_selection(self, field_name):
        """``[(value, label)]`` of a selection field, in the user's language."""
        info = request.env["aftersales.rma"].fields_get([field_name], ["selection"])
        return info[field_name]["selection"]

    def _aftersales_rma_line_domain(self):
        user = request.env.user
        return [
            ("order_id.partner_id", "child_of", user.partner_id.commercial_partner_id.id),
            ("order_id.state", "=", "sale"),
            ("display_type", "=", False),
            ("qty_delivered", ">", 0),
            # The record rules only show a user the returns of their companies.
            ("company_id", "in", user.company_ids.ids),
        ]

    def _aftersales_rma_delivered_lines(self):
        """The user's delivered order lines, newest first.

        sudo(): which sale orders a portal user may read depends on the order's
        followers; a return belongs to whoever the order was sold to, so the domain
        selects the user's commercial entity itself."""
        return (
            request.env["sale.order.line"]
            .sudo()
            .search(self._aftersales_rma_line_domain(), order="id desc", limit=RMA_LINE_CHOICES)
        )

    def _aftersales_rma_line_choices(self):
        """The delivered lines offered on the "choose a product" page: only those
        with something left to return (a line whose goods are all returned or being
        returned has nothing to offer), and how many were left out."""
        lines = self._aftersales_rma_delivered_lines()
        availability = self._aftersales_rma_availability(lines)
        returnable = {
            line: max(delivered - claimed, 0.0)
            for line, (delivered, claimed) in availability.items()
        }
        offered = lines.filtered(lambda line: returnable[line] > 0)
        return {
            "delivered_lines": offered,
            "delivered_lines_returnable": {
                line.id: self._aftersales_rma_format_qty(returnable[line]) for line in offered
            },
            "fully_returned_count": len(lines) - len(offered),
        }

    def _aftersales_rma_availability(self, lines):
        """``{line: (delivered, claimed)}`` of order lines, counted by the return
        model itself (one query for all of them)."""
        if not lines:
            return {}
        rmas = request.env["aftersales.rma"].sudo()
        previews = rmas.concat(
            *(
                rmas.new({"sale_line_id": line.id, "company_id": line.company_id.id})
                for line in lines
            )
        )
        availability = previews._return_availability()
        return {line: availability[preview] for line, preview in zip(lines, previews, strict=True)}

    def _aftersales_rma_own_line(self, line_id):
        """The delivered order line ``line_id`` if it was sold to the user's
        commercial entity, else an empty recordset (never trust the posted id)."""
        if not is_record_id(line_id):
            return request.env["sale.order.line"].sudo().browse()
        line_id = int(line_id)
        # sudo(): see _aftersales_rma_delivered_lines; the domain does the check.
        return (
            request.env["sale.order.line"]
            .sudo()
            .search(expression.AND([[("id", "=", line_id)], self._aftersales_rma_line_domain()]))
        )

    def _aftersales_rma_preview(self, line):
        """An unsaved return of ``line``: its delivery date, window end and the
        quantity still returnable, computed by the model itself."""
        return (
            request.env["aftersales.rma"]
            .sudo()
            .with_company(line.company_id)
            .new({"sale_line_id": line.id, "company_id": line.company_id.id})
        )

    def _aftersales_rma_qty(self, preview):
        return max(preview.returnable_quantity, 0.0)

    def _aftersales_rma_format_qty(self, quantity):
        """``2`` rather than ``2.0``, ``1.5`` as is: how a customer writes it."""
        precision = request.env["decimal.precision"].precision_get("Product Unit of Measure")
        text = float_repr(float_round(quantity, precision_digits=precision), precision)
        return text.rstrip("0").rstrip(".") if "." in text else text

    def _aftersales_rma_window_passed(self, preview):
        # The company's today, as the return's request date: not the visitor's.
        today = preview.company_id._aftersales_today()
        return bool(preview.window_end and today > preview.window_end)

    def _aftersales_rma_form_validate(self, form, line, preview):
        """Check the posted form and return ``(return values, errors)``.

        ``errors`` maps a form field to its message; when it is not empty nothing
        must be created."""
        _ = request.env._
        errors = {}
        kind = form.get("kind")
        if kind not in dict(self._aftersales_rma_selection("kind")):
            errors["kind"] = _("Choose a return for refund or an exchange.")

        # P5.1: later requests are refused with the reason (exchanges follow P4).
        if kind == "refund" and self._aftersales_rma_window_passed(preview):
            errors["kind"] = _(
                "Returns for a refund are accepted within %(days)s days of receiving the "
                "goods. %(product)s was delivered on %(received)s, so the last day "
                "was %(end)s. You can still ask for an exchange if the product is faulty, "
                "or file a service request.",
                days=preview.window_days,
                product=line.product_id.display_name,
                received=format_date(request.env, preview.delivered_on),
                end=format_date(request.env, preview.window_end),
            )

        delivered, claimed = preview._return_availability()[preview]
        available = max(delivered - claimed, 0.0)
        precision = request.env["decimal.precision"].precision_get("Product Unit of Measure")
        quantity = 0.0
        try:
            quantity = float((form.get("quantity") or "").strip().replace(",", "."))
        except ValueError:
            errors["quantity"] = _("Enter the quantity as a number, e.g. 1.")
        else:
            if float_compare(quantity, 0.0, precision_digits=precision) <= 0:
                errors["quantity"] = _("The quantity to return must be positive.")
            elif float_compare(quantity, available, precision_digits=precision) > 0:
                errors["quantity"] = _(
                    "You can return at most %(available)s x %(product)s from %(order)s: "
                    "%(delivered)s were delivered and %(other)s are already returned or "
                    "being returned.",
                    available=self._aftersales_rma_format_qty(available),
                    product=line.product_id.display_name,
                    order=line.order_id.name,
                    delivered=self._aftersales_rma_format_qty(delivered),
                    other=self._aftersales_rma_format_qty(claimed),
                )

        reasons = request.env["aftersales.rma.reason"].search([])
        reason_id = str(form.get("reason_id") or "")
        reason = reasons.filtered(lambda r: reason_id.isdigit() and r.id == int(reason_id))
        if not reason:
            errors["reason_id"] = _("Choose the reason from the list.")
        elif kind in ("refund", "exchange") and reason.kind not in (kind, "both"):
            errors["reason_id"] = _(
                "'%(reason)s' is not a reason for %(kind)s.",
                reason=reason.name,
                kind=dict(self._aftersales_rma_selection("kind"))[kind],
            )

        text = {name: (form.get(name) or "").strip() for name in RMA_FORM_TEXT_FIELDS}
        exchange_condition = False
        if kind == "exchange":
            exchange_condition = form.get("exchange_condition")
            if exchange_condition not in dict(self._aftersales_rma_selection("exchange_condition")):
                errors["exchange_condition"] = _("Choose why the product should be exchanged.")
            if not text["evidence"]:
                errors["evidence"] = _(
                    "Describe what shows the condition; you can add photos in the "
                    "conversation once the request is sent."
                )
        if errors:
            return {}, {name: errors[name] for name in RMA_FORM_FIELD_ORDER if name in errors}

        values = {
            "kind": kind,
            "quantity": quantity,
            "reason_id": reason.id,
            "description": text["description"] or False,
            "partner_id": request.env.user.partner_id.id,
            "sale_line_id": line.id,
            "company_id": line.company_id.id,
        }
        if kind == "exchange":
            values.update({"exchange_condition": exchange_condition, "evidence": text["evidence"]})
        return values, errors
