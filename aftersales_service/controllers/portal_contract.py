"""P7, P10.2: customers follow their maintenance contracts on the portal: the
period, the covered products and serials, the terms, and the renewal.

Portal users may only *read* contracts and their covered items (ACL) and only those
of their own commercial entity (record rules ``aftersales_contract_rule_portal`` and
``aftersales_contract_line_rule_portal``); lists and counters are read with those
rights. A contract page opens for the logged-in customer or with the contract's
access token: that is the link of the expiry notice (P7.2, ``get_portal_url()``).

There is no write route: the customer only reads; the renewal is prepared by the
sales rep (P7.3), and the customer writes to them through the chatter.
"""

from odoo import http
from odoo.http import content_disposition, request

from ..models.aftersales_contract import IN_FORCE_STATES
from .portal import AftersalesCustomerPortal, PortalListPage

#: Contracts a customer never sees on the portal: a draft is still being prepared
#: (its terms may change), a cancelled one never was or no longer is their contract.
HIDDEN_STATES = ("draft", "cancelled")

CONTRACT_LIST = PortalListPage(
    model="aftersales.contract",
    url="/my/contracts",
    template="aftersales_service.portal_my_contracts",
    page_name="aftersales_contract",
    records_key="aftersales_contracts",
    default_sortby="date_end",
    history="my_contracts_history",
)


class AftersalesContractPortal(AftersalesCustomerPortal):
    # ------------------------------------------------------------------
    # Portal home
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "aftersales_contract_count" in counters:
            values["aftersales_contract_count"] = self._aftersales_portal_count(
                "aftersales.contract", self._prepare_aftersales_contract_domain()
            )
        return values

    # ------------------------------------------------------------------
    # List of the customer's contracts
    # ------------------------------------------------------------------
    def _prepare_aftersales_contract_domain(self):
        """The contracts of the user's own commercial entity, drafts and cancelled
        ones left out (the record rule enforces the entity for portal users; the
        domain keeps an employee's "My" pages to their own)."""
        partner = request.env.user.partner_id
        return [
            ("commercial_partner_id", "=", partner.commercial_partner_id.id),
            ("state", "not in", HIDDEN_STATES),
        ]

    def _aftersales_contract_today(self):
        return request.env.company._aftersales_today()

    def _aftersales_contract_searchbar_sortings(self):
        _ = request.env._
        return {
            "date_end": {"label": _("End Date"), "order": "date_end desc, id desc"},
            "number": {"label": _("Number"), "order": "name desc, id desc"},
        }

    def _aftersales_contract_searchbar_filters(self):
        _ = request.env._
        today = self._aftersales_contract_today()
        return {
            "all": {"label": _("All"), "domain": []},
            "in_force": {
                "label": _("In Force"),
                "domain": [("state", "in", IN_FORCE_STATES), ("date_end", ">=", today)],
            },
            # A renewed contract stays "renewed" after its end date: it has ended too.
            "ended": {
                "label": _("Ended"),
                "domain": ["|", ("state", "not in", IN_FORCE_STATES), ("date_end", "<", today)],
            },
        }

    @http.route(
        ["/my/contracts", "/my/contracts/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_contracts(self, page=1, sortby=None, filterby=None, **kw):
        # The page shows the covered products and serials (portal users cannot read
        # products or lots).
        return self._aftersales_portal_list_page(
            CONTRACT_LIST,
            self._prepare_aftersales_contract_domain(),
            self._aftersales_contract_searchbar_sortings(),
            self._aftersales_contract_searchbar_filters(),
            page=page,
            sortby=sortby,
            filterby=filterby,
        )

    # ------------------------------------------------------------------
    # One contract (also the link of the expiry notice, P7.2)
    # ------------------------------------------------------------------
    @http.route("/my/contracts/<int:contract_id>", type="http", auth="public", website=True)
    def portal_my_contract(self, contract_id, access_token=None, **kw):
        contract_sudo = self._aftersales_portal_document(
            "aftersales.contract", contract_id, access_token
        )
        if contract_sudo is None or contract_sudo.state in HIDDEN_STATES:
            # Being prepared, or cancelled before it ran: not the customer's
            # contract, whoever asks (the list does not show them either).
            return request.redirect("/my")
        values = self._aftersales_contract_get_page_view_values(contract_sudo, access_token, **kw)
        return request.render("aftersales_service.portal_my_contract", values)

    @http.route("/my/contracts/<int:contract_id>/notice", type="http", auth="public", website=True)
    def portal_my_contract_notice(self, contract_id, access_token=None, **kw):
        """P7.2: the printed expiry notice, linked from the notice e-mail and the
        contract page, printed when opened. Same access as the contract page (the
        logged-in customer or the contract's access token); only once the notice of
        the contract's current term was sent."""
        contract_sudo = self._aftersales_portal_document(
            "aftersales.contract", contract_id, access_token
        )
        if (
            contract_sudo is None
            or contract_sudo.state in HIDDEN_STATES
            or not contract_sudo._expiry_notice_links()
        ):
            return request.redirect("/my")
        document = contract_sudo._expiry_notice_document()
        if not document:
            return request.redirect(contract_sudo.get_portal_url())
        name, content = document
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(name)),
            ],
        )

    def _aftersales_contract_get_page_view_values(self, contract, access_token, **kwargs):
        today = self._aftersales_contract_today()
        renewal = contract.next_contract_id
        values = {
            "page_name": "aftersales_contract",
            "aftersales_contract": contract,
            "user": request.env.user,
            "contract_in_force": (contract.state in IN_FORCE_STATES and contract.date_end >= today),
            "contract_not_started": contract.date_start > today,
            "contract_days_left": (contract.date_end - today).days,
            # P7.2: the printed expiry notice, once sent for this term.
            "contract_notice_links": contract._expiry_notice_links(),
            "contract_renewal": renewal,
            # The renewal's own page opens for the logged-in customer once it is in
            # force; a draft renewal is only described (the sales rep prepares it).
            "contract_renewal_url": (
                renewal.access_url if renewal and renewal.state not in HIDDEN_STATES else False
            ),
        }
        return self._get_page_view_values(
            contract, access_token, values, "my_contracts_history", False, **kwargs
        )
