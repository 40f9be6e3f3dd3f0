"""P2.1 web channel: customers file and follow their service requests on the portal.

Everything a customer lists or counts here is read with their own rights: the ACL
and the record rule ``aftersales_ticket_rule_portal`` keep them to the requests of
their own commercial entity (P10.2). The request form creates the ticket with the
customer's rights too (portal users may create tickets, not write them).
"""

from typing import NamedTuple

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.osv import expression
from odoo.tools import format_date

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.aftersales_ticket import TEXT_LIMITS

#: P2.2: the free-text data a customer gives on the request form. Only these fields,
#: the request type, the product and the purchase date are read from the form; the
#: customer, the company and the channel are set by the server.
FORM_TEXT_FIELDS = (
    "subject",
    "fault_symptom",
    "partner_phone",
    "serial_number",
    "order_reference",
    "fault_location",
    "usage_environment",
)
FORM_REQUIRED_TEXT_FIELDS = ("subject", "fault_symptom", "partner_phone")
FORM_FIELD_ORDER = (
    "subject",
    "ticket_type",
    "product_id",
    "purchase_date",
    "partner_phone",
    "fault_symptom",
)


class PortalListPage(NamedTuple):
    """A portal list page of the suite that shows its records with the names of
    related records portal users may not read (products, serials, order lines)."""

    model: str
    url: str
    template: str
    #: The page's name in the portal breadcrumb.
    page_name: str
    #: The key of the page's records in the template's values.
    records_key: str
    default_sortby: str
    #: The session key of the listed ids (previous/next buttons of the record pages).
    history: str


#: Largest id a record can have (PostgreSQL ``integer``): an id from a URL or a form
#: beyond it names no record, rather than breaking the query.
MAX_RECORD_ID = 2**31 - 1


def is_record_id(value):
    """Whether ``value`` (an int or the text of one) can be the id of a record."""
    try:
        return 0 < int(value) <= MAX_RECORD_ID
    except (TypeError, ValueError):
        return False


class AftersalesCustomerPortal(CustomerPortal):
    def _document_check_access(self, model_name, document_id, access_token=None):
        if not is_record_id(document_id):
            raise MissingError(request.env._("This document does not exist."))
        return super()._document_check_access(model_name, document_id, access_token)

    # ------------------------------------------------------------------
    # List pages (requests, returns, contracts) and their home counters
    # ------------------------------------------------------------------
    def _aftersales_portal_count(self, model, domain):
        """The number of ``model``'s records of ``domain`` the user may read (0 for
        a user without access to the model), for a portal home counter."""
        records = request.env[model]
        return records.search_count(domain) if records.has_access("read") else 0

    def _aftersales_portal_list_values(
        self,
        model,
        url,
        domain,
        *,
        page,
        sortby,
        filterby,
        searchbar_sortings,
        searchbar_filters,
        default_sortby,
        history,
        search="",
        search_fields=(),
    ):
        """``(records, values)`` of a portal list page of ``model``: the records of
        ``domain`` under the chosen filter and search, sorted and paged, and the
        layout, pager and search bar values the page renders; the ids go in the
        session under ``history`` for the record pages' previous/next buttons.

        Read in the user's own environment, never sudo: ACL and record rules
        decide what is listed. An unknown ``sortby``/``filterby`` falls back to
        ``default_sortby`` / "all"."""
        records_model = request.env[model]
        sortby = sortby if sortby in searchbar_sortings else default_sortby
        filterby = filterby if filterby in searchbar_filters else "all"
        domain = expression.AND([domain, searchbar_filters[filterby]["domain"]])
        url_args = {"sortby": sortby, "filterby": filterby}
        if search and search_fields:
            domain = expression.AND(
                [domain, expression.OR([[(f, "ilike", search)] for f in search_fields])]
            )
            url_args["search"] = search
        pager = portal_pager(
            url=url,
            url_args=url_args,
            total=records_model.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        records = records_model.search(
            domain,
            order=searchbar_sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session[history] = records.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "default_url": url,
                "pager": pager,
                "searchbar_sortings": searchbar_sortings,
                "sortby": sortby,
                "searchbar_filters": searchbar_filters,
                "filterby": filterby,
            }
        )
        return records, values

    def _aftersales_portal_list_page(
        self, list_page, domain, searchbar_sortings, searchbar_filters, **kw
    ):
        """Render the list page ``list_page`` (a ``PortalListPage``) of the records of
        ``domain`` (``_aftersales_portal_list_values``; ``kw``: page, sortby,
        filterby). sudo(): only the records found there with the user's rights, so
        that the page shows the names of related records the user may not read."""
        records, values = self._aftersales_portal_list_values(
            list_page.model,
            list_page.url,
            domain,
            searchbar_sortings=searchbar_sortings,
            searchbar_filters=searchbar_filters,
            default_sortby=list_page.default_sortby,
            history=list_page.history,
            **kw,
        )
        values.update({list_page.records_key: records.sudo(), "page_name": list_page.page_name})
        return request.render(list_page.template, values)

    def _aftersales_portal_document(self, model, record_id, access_token):
        """``model``'s record ``record_id`` as superuser when the user may open its
        page (their own, or with its ``access_token``), else ``None``."""
        try:
            return self._document_check_access(model, record_id, access_token=access_token)
        except (AccessError, MissingError):
            return None

    # ------------------------------------------------------------------
    # Portal home
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "aftersales_ticket_count" in counters:
            values["aftersales_ticket_count"] = self._aftersales_portal_count(
                "aftersales.ticket", self._prepare_aftersales_ticket_domain()
            )
        return values

    # ------------------------------------------------------------------
    # List of the customer's requests
    # ------------------------------------------------------------------
    def _prepare_aftersales_ticket_domain(self):
        """The requests of the user's own commercial entity.

        For portal users the record rule enforces the same; the domain keeps the
        "My" pages of an employee to the requests they made as a customer, as the
        sale portal does for orders."""
        partner = request.env.user.partner_id
        return [("commercial_partner_id", "=", partner.commercial_partner_id.id)]

    def _aftersales_ticket_searchbar_sortings(self):
        _ = request.env._
        return {
            "newest": {"label": _("Newest"), "order": "received_at desc, id desc"},
            "number": {"label": _("Number"), "order": "name desc, id desc"},
            "stage": {"label": _("Status"), "order": "stage_id, received_at desc, id desc"},
        }

    def _aftersales_ticket_searchbar_filters(self):
        _ = request.env._
        return {
            "all": {"label": _("All"), "domain": []},
            "open": {"label": _("Open"), "domain": [("is_closed", "=", False)]},
            "closed": {"label": _("Closed"), "domain": [("is_closed", "=", True)]},
        }

    @http.route(
        ["/my/service-requests", "/my/service-requests/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_service_requests(self, page=1, sortby=None, filterby=None, search=None, **kw):
        search = (search or "").strip()
        tickets, values = self._aftersales_portal_list_values(
            "aftersales.ticket",
            "/my/service-requests",
            self._prepare_aftersales_ticket_domain(),
            page=page,
            sortby=sortby,
            filterby=filterby,
            searchbar_sortings=self._aftersales_ticket_searchbar_sortings(),
            searchbar_filters=self._aftersales_ticket_searchbar_filters(),
            default_sortby="newest",
            history="my_service_requests_history",
            search=search,
            search_fields=("name", "subject"),
        )
        values.update(
            {
                "service_requests": tickets,
                "service_request_statuses": self._aftersales_ticket_statuses(tickets),
                "page_name": "service_request",
                "searchbar_inputs": {
                    "all": {
                        "input": "all",
                        "label": request.env._("Search in Number or Subject"),
                    }
                },
                "search_in": "all",
                "search": search,
            }
        )
        return request.render("aftersales_service.portal_my_service_requests", values)

    # ------------------------------------------------------------------
    # One request
    # ------------------------------------------------------------------
    @http.route("/my/service-requests/<int:ticket_id>", type="http", auth="public", website=True)
    def portal_my_service_request(self, ticket_id, access_token=None, **kw):
        ticket_sudo = self._aftersales_portal_document("aftersales.ticket", ticket_id, access_token)
        if ticket_sudo is None:
            return request.redirect("/my")
        values = self._aftersales_ticket_get_page_view_values(ticket_sudo, access_token, **kw)
        return request.render("aftersales_service.portal_my_service_request", values)

    def _aftersales_ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = {
            "page_name": "service_request",
            "service_request": ticket,
            "service_request_status": self._aftersales_ticket_statuses(ticket)[ticket.id],
            "service_request_feedback_url": self._aftersales_ticket_feedback_url(ticket),
            "user": request.env.user,
            "just_created": kwargs.get("created") == "1",
        }
        return self._get_page_view_values(
            ticket, access_token, values, "my_service_requests_history", False, **kwargs
        )

    def _aftersales_ticket_status_labels(self):
        """``{status: (label, badge class)}``: where a request stands, in the words
        of the customer."""
        _ = request.env._
        return {
            "received": (_("Received"), "text-bg-primary"),
            "in_progress": (_("In progress"), "text-bg-info"),
            "waiting": (_("Waiting for your reply"), "text-bg-warning"),
            "solved": (_("Solved"), "text-bg-success"),
            "cancelled": (_("Cancelled"), "text-bg-secondary"),
        }

    def _aftersales_ticket_statuses(self, tickets):
        """``{ticket id: (label, badge class)}`` for the portal (P2.8).

        Stage names are the service team's vocabulary and configurable ("New",
        "Waiting for Customer"); the customer is told what the stage means: its
        team's first stage is "received", a paused one waits for the customer, a
        closing one is solved or cancelled, anything else is in progress.

        sudo(): the stages of a team are configuration portal users cannot read;
        only the tickets given (read with the user's rights) are looked at."""
        labels = self._aftersales_ticket_status_labels()
        first_stages = {}
        statuses = {}
        for ticket in tickets.sudo():
            stage = ticket.stage_id
            if ticket.team_id not in first_stages:
                first_stages[ticket.team_id] = ticket.team_id._get_stages()[:1]
            if stage.is_closed:
                status = "cancelled" if stage.is_cancelled else "solved"
            elif stage.sla_paused:
                status = "waiting"
            elif not stage or stage == first_stages[ticket.team_id]:
                status = "received"
            else:
                status = "in_progress"
            statuses[ticket.id] = labels[status]
        return statuses

    def _aftersales_ticket_feedback_url(self, ticket):
        """The link of the feedback request of a solved request while it can still
        be answered (P8.1), so that the customer finds it on the request too.

        sudo(): portal users cannot read feedback records; the link is the one the
        request's customer was mailed, shown on a page they may open."""
        feedback = (
            request.env["aftersales.feedback"]
            .sudo()
            .search([("ticket_id", "=", ticket.id), ("state", "=", "requested")], limit=1)
        )
        if not feedback or (
            feedback.expires_on and feedback.expires_on < feedback.company_id._aftersales_today()
        ):
            return False
        return feedback.get_portal_url()

    # ------------------------------------------------------------------
    # New request (P2.1 web channel, P2.2 data)
    # ------------------------------------------------------------------
    @http.route(
        "/my/service-requests/new",
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_new_service_request(self, **post):
        # A POST reaches this point only with a valid csrf_token: Odoo checks it on
        # every non-GET request to an http route.
        products = self._aftersales_ticket_product_options()
        errors = {}
        if request.httprequest.method == "POST":
            ticket_values, errors = self._aftersales_ticket_form_validate(post, products)
            if not errors:
                try:
                    # Portal users have no create access on tickets: the request is
                    # created as superuser from the checked values only (whitelist:
                    # _aftersales_ticket_form_validate), for the user's own entity.
                    with request.env.cr.savepoint():
                        ticket = (
                            request.env["aftersales.ticket"]
                            .sudo()
                            .with_company(ticket_values["company_id"])
                            .create(ticket_values)
                        )
                except (UserError, ValidationError) as error:
                    errors["form"] = error.args[0]
                else:
                    return request.redirect(f"{ticket.access_url}?created=1")
            form = post
        else:
            partner = request.env.user.partner_id
            form = {"ticket_type": "service", "partner_phone": partner.phone or partner.mobile}

        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "service_request_new",
                "form": form,
                "errors": errors,
                "products": products,
                "ticket_types": self._aftersales_ticket_types(),
                "today": fields.Date.to_string(self._aftersales_today()),
            }
        )
        return request.render("aftersales_service.portal_new_service_request", values)

    def _aftersales_ticket_product_options(self):
        """The products a customer can file a request about: what their commercial
        entity was delivered, invoiced or has under contract in their company, else
        the company's saleable goods (the ticket form offers the same).

        Returned as superuser: portal customers have no access to the product
        catalogue at all (no ACL on product.product). It is used to list these
        options only; the posted product id is then checked to be one of them."""
        user = request.env.user
        return request.env["aftersales.ticket"]._aftersales_customer_products(
            user.partner_id, user.company_id
        )

    def _aftersales_ticket_types(self):
        """``[(value, label)]`` of the request types, in the user's language."""
        fields_info = request.env["aftersales.ticket"].fields_get(["ticket_type"], ["selection"])
        return fields_info["ticket_type"]["selection"]

    def _aftersales_today(self):
        return request.env.company._aftersales_today()

    def _aftersales_ticket_form_validate(self, form, products):
        """Check the posted form against P2.2 and return ``(ticket values, errors)``.

        ``errors`` maps a form field to the message shown next to it; when it is not
        empty the values are not usable and no ticket must be created. Ids and
        choices are checked against the options the form offered; the customer,
        the company and the channel never come from the form."""
        _ = request.env._
        errors = {}
        text = {name: (form.get(name) or "").strip() for name in FORM_TEXT_FIELDS}
        required_messages = {
            "subject": _("Give your request a subject, e.g. 'Air purifier does not start'."),
            "fault_symptom": _("Describe the fault: what happens, and since when."),
            "partner_phone": _("Give a phone number where our service team can reach you."),
        }
        for name in FORM_REQUIRED_TEXT_FIELDS:
            if not text[name]:
                errors[name] = required_messages[name]
        for name, value in text.items():
            if len(value) > TEXT_LIMITS[name]:
                errors[name] = _(
                    "Please keep this under %(max)s characters (it has %(length)s).",
                    max=TEXT_LIMITS[name],
                    length=len(value),
                )

        product = self._aftersales_ticket_form_product(form.get("product_id"), products)
        if not form.get("product_id"):
            errors["product_id"] = _("Choose the product your request is about.")
        elif not product:
            errors["product_id"] = _("Choose the product from the list.")

        ticket_type = form.get("ticket_type") or "service"
        if ticket_type not in dict(self._aftersales_ticket_types()):
            errors["ticket_type"] = _("Choose the type of your request from the list.")

        purchase_date = False
        if (form.get("purchase_date") or "").strip():
            try:
                purchase_date = fields.Date.to_date(form["purchase_date"].strip())
            except ValueError:
                errors["purchase_date"] = _("Enter the purchase date as a date, e.g. 2024-05-31.")
            else:
                if purchase_date > self._aftersales_today():
                    errors["purchase_date"] = _(
                        "The purchase date %s is in the future: enter the day you bought "
                        "the product.",
                        format_date(request.env, purchase_date),
                    )
        if errors:
            # Shown in the order of the form.
            order = [*FORM_FIELD_ORDER, *(name for name in errors if name not in FORM_FIELD_ORDER)]
            return {}, {name: errors[name] for name in order if name in errors}

        user = request.env.user
        values = {name: text[name] or False for name in FORM_TEXT_FIELDS}
        values.update(
            {
                "ticket_type": ticket_type,
                "product_id": product.id,
                "purchase_date": purchase_date,
                "channel": "web",
                "partner_id": user.partner_id.id,
                "company_id": user.company_id.id,
            }
        )
        return values, errors

    def _aftersales_ticket_form_product(self, product_id, products):
        try:
            product_id = int(product_id)
        except (TypeError, ValueError):
            return products.browse()
        return products.filtered(lambda product: product.id == product_id)
