"""The demo company's service history (issue 16).

``aftersales.demo._generate_history`` is called once by the demo data
(``demo/aftersales_history_demo.xml``). It gives the demo company — Qinghe Home
Appliances, a maker and retailer of air purifiers, water purifiers, air
conditioners and washing machines in Suzhou — about six months of after-sales
history, so that every role finds work on first login and the dashboard, the KPI
pivot, the technician performance and the exports show meaningful figures.

Two phases:

* ``DemoHistory.plan()`` draws everything from ``random.Random(seed)``: customers,
  the units they own, orders, and one *case* per service request (its channel,
  type, fault, people, the working hours each step took, where it stands). The
  plan is plain data, relative to the anchor day: the same seed and day give the
  same plan (``fingerprint``), which is what the tests check.
* ``DemoHistory.apply(plan)`` writes it with the suite's own models and workflow
  methods, in batches: tickets, repairs (Odoo's stock moves included), returns and
  exchanges (transfers, inspections, credit notes), feedback, callbacks.

It is a fixture, not a simulation: what the workflow would stamp with the real
time of each step (received, first response, solved, arrived, signed, inspected,
returned, invoiced...) is written directly afterwards, as superuser (the
workflow guard lets the superuser through, see ``aftersales_workflow_guard``),
with the working hours the SLA engine itself computes for those instants. Mails
of the past (acknowledgements, requests, notices) are not sent again.
"""

import hashlib
import json
import logging
import random
import time as systime
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .aftersales_feedback import SERVICE_CRITERIA, TECHNICIAN_CRITERIA
from .repair_order import INSPECTION_CHECKS

_logger = logging.getLogger(__name__)

#: The seed of the demo history: change it and the history changes.
DEMO_SEED = 16
#: How far back the history goes, in days.
HISTORY_DAYS = 182
#: Where the anchor day and the fingerprint of the installed history are kept.
ANCHOR_PARAM = "aftersales_service.demo_history_anchor"
FINGERPRINT_PARAM = "aftersales_service.demo_history_fingerprint"
#: A customer's signature on the tablet (a 1x1 PNG).
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)

M = "aftersales_service."

# ----------------------------------------------------------------------
# What the company sells and repairs
# ----------------------------------------------------------------------
#: Product families: how they are repaired, by which team, and their faults
#: (category, subject, symptom, parts used, what solved it).
FAMILIES = {
    "ap": {
        "products": ["product_air_purifier_ap200_demo", "product_air_purifier_ap350_demo"],
        "mode": "workshop",
        "faults": [
            (
                "aftersales_category_fault_noise",
                "Air purifier rattles at high speed",
                "Rattling noise at fan speed 3 and above, quiet at low speed.",
                ["product_part_fan_bearing_demo"],
                "Fan bearing replaced, unit run 10 minutes at full speed.",
            ),
            (
                "aftersales_category_fault_noise",
                "Air purifier fan grinds and smells hot",
                "Grinding noise and a hot smell after an hour of use.",
                ["product_part_fan_motor_demo"],
                "Fan motor replaced.",
            ),
            (
                "aftersales_category_fault_power",
                "Air purifier does not switch on",
                "No light on the panel since a power cut.",
                ["product_part_control_board_demo"],
                "Control board replaced after a surge.",
            ),
            (
                "aftersales_category_fault_display",
                "Air purifier shows error E4",
                "E4 on the display, the fan stops after a few seconds.",
                ["product_part_display_panel_demo"],
                "Display panel and sensor cable replaced.",
            ),
        ],
        "advice": [
            (
                "Filter warning stays on after the filter change",
                "The filter reminder still flashes with a new HEPA filter.",
                "Explained how to reset the reminder (hold the filter key 5 seconds).",
            ),
            (
                "Which filter fits the AP-350?",
                "The customer asks for the replacement filter model.",
                "HEPA H13 filter SP-HEPA13; ordered through the online store.",
            ),
        ],
    },
    "wp": {
        "products": ["product_water_purifier_wp500_demo"],
        "mode": "on_site",
        "faults": [
            (
                "aftersales_category_fault_leak",
                "Water purifier leaks under the sink",
                "Water in the cabinet under the sink, E4 on the display.",
                ["product_part_booster_pump_demo"],
                "Booster pump seal leaking: pump replaced, housing tightened.",
            ),
            (
                "aftersales_category_fault_leak",
                "Water purifier shows E4 and stops",
                "The purifier stops and shows E4; the base tray is wet.",
                [],
                "Membrane housing O-ring replaced, tray dried.",
            ),
            (
                "aftersales_category_fault_drain_demo",
                "Water purifier gives almost no water",
                "The tap gives a thin stream; the tank never fills.",
                ["product_part_ro_membrane_demo", "product_part_prefilter_demo"],
                "Clogged RO membrane and pre-filter replaced.",
            ),
        ],
        "advice": [
            (
                "When should the RO membrane be replaced?",
                "The customer asks about the membrane's lifetime.",
                "Every 24 months, or when the display shows the membrane warning.",
            ),
        ],
    },
    "ac": {
        "products": [
            "product_air_conditioner_ac35_demo",
            "product_air_conditioner_ac72_demo",
        ],
        "mode": "on_site",
        "faults": [
            (
                "aftersales_category_fault_cooling_demo",
                "Air conditioner blows warm air",
                "The indoor unit runs, the air stays warm; the outdoor unit clicks.",
                ["product_part_capacitor_demo"],
                "Weak compressor capacitor replaced.",
            ),
            (
                "aftersales_category_fault_cooling_demo",
                "Air conditioner does not cool enough",
                "Cools slowly, frost on the outdoor pipes.",
                ["product_part_refrigerant_demo"],
                "Flare nut leak sealed, R32 refilled after a pressure test.",
            ),
            (
                "aftersales_category_fault_leak",
                "Indoor unit drips water",
                "Water drips from the indoor unit onto the floor.",
                [],
                "Blocked condensate drain hose cleared.",
            ),
            (
                "aftersales_category_fault_noise",
                "Indoor unit makes a loud noise at night",
                "A humming noise from the indoor unit on the night mode.",
                ["product_part_indoor_fan_demo"],
                "Indoor fan motor replaced.",
            ),
        ],
        "advice": [
            (
                "How to clean the air conditioner filters?",
                "The customer asks how often to clean the filters.",
                "Every two weeks in summer: explained on the phone, sent the video link.",
            ),
        ],
    },
    "wm": {
        "products": ["product_washing_machine_wm100_demo"],
        "mode": "on_site",
        "faults": [
            (
                "aftersales_category_fault_leak",
                "Washing machine leaks from the door",
                "Water on the floor in front of the door after each wash.",
                ["product_part_door_gasket_demo"],
                "Torn door gasket replaced.",
            ),
            (
                "aftersales_category_fault_noise",
                "Washing machine is very loud during spin",
                "Loud rumbling at spin speed, the machine moves.",
                ["product_part_drum_bearing_demo"],
                "Drum bearings replaced, machine levelled.",
            ),
            (
                "aftersales_category_fault_drain_demo",
                "Washing machine does not drain (E21)",
                "Water stays in the drum after the cycle; error E21.",
                ["product_part_drain_pump_demo"],
                "Drain pump replaced, filter cleaned.",
            ),
            (
                "aftersales_category_fault_drain_demo",
                "Washing machine does not fill with water",
                "The cycle stops at the start; no water comes in.",
                ["product_part_inlet_valve_demo"],
                "Water inlet valve replaced.",
            ),
        ],
        "advice": [
            (
                "How to remove the transport bolts?",
                "The customer just received the machine.",
                "Explained the four bolts at the back; offered an installation visit.",
            ),
        ],
    },
}
#: Complaints (P6.1-P6.5): category, subject, symptom, responsibility, remedy, root
#: cause, corrective action.
COMPLAINTS = [
    (
        "service",
        "aftersales_category_service_quality",
        "Technician arrived three hours late",
        "Nobody called to say the technician would be late.",
        "company",
        "explanation",
        "The route planner sent two urgent jobs to the same technician.",
        "Dispatch checks each technician's planned jobs before assigning.",
    ),
    (
        "service",
        "aftersales_category_service_attitude",
        "The hotline agent hung up on me",
        "The call was cut while I explained the problem.",
        "company",
        "explanation",
        "The call dropped when it was transferred to the field service.",
        "Agents call the customer back at once when a transfer fails.",
    ),
    (
        "quality",
        "aftersales_category_quality_defect",
        "Same fault again one month after the repair",
        "The fault repaired last month is back.",
        "company",
        "repair",
        "The replaced part came from a faulty batch.",
        "The batch is blocked in the spare-parts store; units repaired with it are called back.",
    ),
    (
        "transport",
        "aftersales_category_transport_damage",
        "Delivered with a dented side panel",
        "The box was crushed on one side, the panel is dented.",
        "carrier",
        "exchange",
        "The carrier stacked the cartons beyond their limit.",
        "The carrier's handling instructions were updated; cartons carry a stacking limit.",
    ),
    (
        "sales_contract",
        "aftersales_category_contract_delivery",
        "Delivery came two days after the agreed date",
        "I took a day off for a delivery that did not come.",
        "company",
        "compensation",
        "The order was released to the warehouse one day late.",
        "Orders with a delivery date are released the day they are confirmed.",
    ),
]
SUGGESTIONS = [
    ("Please offer WeChat appointment booking", "Booking a visit by phone takes too long."),
    ("Send a reminder when the filter is due", "A message before the filter runs out."),
    ("Offer evening visits", "We both work; a visit after 18:00 would help."),
]
WORK_DONE = {
    "on_site": ["Diagnosis on site", "Repair on site", "Test run with the customer"],
    "workshop": ["Diagnosis in the workshop", "Repair", "Function test"],
}
FEEDBACK_COMMENTS = {
    "good": [
        "Quick and friendly, thank you.",
        "The technician explained everything and cleaned up.",
        "服务很好",
        "Very professional.",
        False,
        False,
    ],
    "fair": ["It works now, but it took a while.", "OK, the visit was late.", False],
    "bad": [
        "Waited three days and had to call twice.",
        "The same problem came back.",
    ],
}
CALLBACK_ANSWERS = [
    "Satisfied; the unit works well since the repair.",
    "All fine, asks for the filter price list.",
    "Happy with the service; would like evening visits.",
    "Works, but still a little noisy at night: keep an eye on it.",
]

# Customers and their people. Consumers give a phone number, rarely an e-mail; the
# contacts of business customers call the hotline from their site.
CONSUMERS = [
    ("Zhou Ming", "Suzhou"),
    ("Wu Xiaoling", "Suzhou"),
    ("Zheng Hao", "Kunshan"),
    ("Sun Li", "Suzhou"),
    ("Qian Wei", "Shanghai"),
    ("Feng Yu", "Wuxi"),
    ("Chen Lu", "Suzhou"),
    ("He Jing", "Shanghai"),
    ("Lin Tao", "Kunshan"),
    ("Gao Yan", "Suzhou"),
    ("Luo Bin", "Hangzhou"),
    ("Song Qian", "Suzhou"),
    ("Tang Lei", "Wuxi"),
    ("Xie Na", "Shanghai"),
    ("Han Mei", "Suzhou"),
    ("Cao Yong", "Kunshan"),
    ("Deng Chao", "Suzhou"),
    ("Xu Ting", "Hangzhou"),
    ("Peng Fei", "Suzhou"),
    ("Jiang Hui", "Shanghai"),
    ("Shen Yue", "Suzhou"),
    ("Lu Yang", "Wuxi"),
    ("Yu Fang", "Suzhou"),
    ("Dong Xin", "Shanghai"),
    ("Ye Qing", "Suzhou"),
    ("Du Kai", "Kunshan"),
    ("Pan Li", "Suzhou"),
    ("Wei Dong", "Hangzhou"),
    ("Yuan Jie", "Suzhou"),
    ("Cai Rong", "Shanghai"),
]
SUBURBS = {"Kunshan", "Wuxi"}
STREETS = ["Renmin", "Ganjiang", "Shishan", "Xinghu", "Zhongshan", "Huaihai"]
#: Business customers of the demo data, a contact of each, what they own.
BUSINESSES = [
    ("res_partner_huaxin_demo", "Gu Qiang", "Facility Manager", ["ap", "ap", "ac"]),
    ("res_partner_jingcheng_demo", "Bai Lu", "Office Manager", ["ap", "wp"]),
    ("res_partner_nanfang_demo", "Fang Zhi", "Service Coordinator", ["ap", "wm"]),
    ("res_partner_xihu_demo", "Jin Hong", "Showroom Manager", ["wm", "wm", "ac"]),
    (
        "res_partner_pengcheng_demo",
        "Kong Wen",
        "Lab Manager",
        ["wp", "ac:stock_lot_ac72_pengcheng_1_demo", "ac:stock_lot_ac72_pengcheng_2_demo"],
    ),
    ("res_partner_changjiang_demo", "Mo Lan", "Store Manager", ["ap", "ap"]),
    ("res_partner_jinling_demo", "Qin Shu", "Administration", ["wm", "ap"]),
]
STAFF = {
    "agents": ["res_users_technician_demo", "res_users_agent_liu_demo"],
    "hotline_leader": "res_users_supervisor_demo",
    "inspectors": ["res_users_supervisor_ma_demo", "res_users_supervisor_demo"],
    # Certified field technicians per family (P3.1).
    "on_site": {
        "ac": ["res_users_technician_demo", "res_users_technician_zhao_demo"],
        "wp": ["res_users_technician_demo", "res_users_technician_zhou_demo"],
        "wm": ["res_users_technician_zhao_demo", "res_users_technician_zhou_demo"],
    },
    "workshop": ["res_users_technician_sun_demo", "res_users_technician_huang_demo"],
}
CHANNELS = [("phone", 45), ("social", 20), ("web", 12), ("store", 10), ("email", 13)]


class DemoHistory:
    """Plans and writes the demo history; see the module docstring."""

    def __init__(self, env, seed=DEMO_SEED, days=HISTORY_DAYS, anchor=None):
        # The past is not tracked, logged, notified or texted again.
        self.env = env(
            context=dict(
                env.context,
                tracking_disable=True,
                mail_create_nolog=True,
                mail_notrack=True,
                mail_auto_subscribe_no_notify=True,
                skip_sms=True,
            )
        )
        self.seed = seed
        self.days = days
        self.company = env.ref("base.main_company")
        self.tz = self.company._aftersales_tz()
        self.today = anchor or self.company._aftersales_today()
        self.now = fields.Datetime.now()
        self.calendar = self.company.resource_calendar_id
        self.timings = {}
        self.refs = {}

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def ref(self, xmlid):
        if xmlid not in self.refs:
            self.refs[xmlid] = self.env.ref(xmlid if "." in xmlid else M + xmlid)
        return self.refs[xmlid]

    def at(self, offset, hour, minute=0):
        """UTC instant of ``hour:minute`` local time, ``offset`` days from the anchor."""
        day = self.today + timedelta(days=offset)
        local = self.tz.localize(datetime.combine(day, time(hour, minute)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def local_day(self, moment):
        return self.company._aftersales_local_date(moment)

    def past(self, moment, margin=10):
        """``moment``, or a little before now when it would be in the future."""
        limit = self.now - timedelta(minutes=margin)
        return moment if moment <= limit else limit

    def add_hours(self, requests):
        """Instants ``hours`` working hours after each start (the SLA engine's calendar)."""
        return self.env["aftersales.ticket"]._sla_add_working_hours(self.calendar, requests)

    def hours_between(self, spans):
        return self.env["aftersales.ticket"]._sla_working_hours_batch(
            [(self.calendar, begin, end) for begin, end in spans]
        )

    def store(self, model, rows):
        """Write ``rows`` (``{record id: {field: value}}``) straight into ``model``'s
        table, one UPDATE per set of fields: the instants of steps the workflow
        would have stamped with the real time (a fixture, see the module
        docstring). Plain stored columns only; the stored fields computed from them
        follow (``modified``)."""
        Model = self.env[model]
        groups = {}
        for record_id, values in rows.items():
            groups.setdefault(tuple(sorted(values)), []).append(record_id)
        self.env.flush_all()
        for fnames, ids in groups.items():
            fields_ = [Model._fields[fname] for fname in fnames]
            casts = [field.column_type[1] for field in fields_]
            self.env.cr.execute(
                SQL(
                    "UPDATE %s AS t SET %s FROM unnest(%s) AS v(%s) WHERE t.id = v.id",
                    SQL.identifier(Model._table),
                    SQL(", ").join(
                        SQL("%s = v.%s", SQL.identifier(f), SQL.identifier(f)) for f in fnames
                    ),
                    SQL(", ").join(
                        [SQL("%s::int4[]", ids)]
                        + [
                            SQL(
                                "%s::%s[]",
                                [
                                    bool(rows[i][field.name])
                                    if field.type == "boolean"
                                    else field.convert_to_column(rows[i][field.name], Model)
                                    if rows[i][field.name] is not False
                                    else None
                                    for i in ids
                                ],
                                SQL(cast),
                            )
                            for field, cast in zip(fields_, casts, strict=True)
                        ]
                    ),
                    SQL(", ").join(SQL.identifier(f) for f in ("id", *fnames)),
                )
            )
            records = Model.browse(ids)
            records.invalidate_recordset(list(fnames))
            records.modified(list(fnames))

    def step(self, name, started):
        """Log a step's wall time, CPU time of this process and SQL queries."""
        wall, cpu, queries = started
        self.timings[name] = (
            f"{systime.time() - wall:.1f} s, cpu {systime.process_time() - cpu:.1f} s, "
            f"{self.env.cr.sql_log_count - queries} queries"
        )
        return self.clock()

    def clock(self):
        return systime.time(), systime.process_time(), self.env.cr.sql_log_count

    # ------------------------------------------------------------------
    # Plan: plain data drawn from the seed (no database access)
    # ------------------------------------------------------------------
    def plan(self):
        rng = random.Random(self.seed)
        plan = {"consumers": [], "contacts": [], "units": [], "orders": [], "cases": []}
        weekday = self.today.weekday()

        def workday(offset):
            """The working day at or before ``offset`` (Monday to Friday)."""
            while (weekday + offset) % 7 >= 5:
                offset -= 1
            return offset

        # Customers.
        for index, (name, city) in enumerate(CONSUMERS):
            plan["consumers"].append(
                {
                    "key": f"c{index}",
                    "name": name,
                    "city": city,
                    "suburb": city in SUBURBS,
                    "phone": f"+86 1{rng.randint(30, 89)} {rng.randint(1000, 9999)} "
                    f"{rng.randint(1000, 9999)}",
                    "email": rng.random() < 0.1,
                    "street": f"No. {rng.randint(1, 300)} {rng.choice(STREETS)} Road",
                }
            )
        for xmlid, name, function, _families in BUSINESSES:
            plan["contacts"].append(
                {
                    "key": xmlid,
                    "parent": xmlid,
                    "name": name,
                    "function": function,
                    "phone": f"+86 1{rng.randint(30, 89)} {rng.randint(1000, 9999)} "
                    f"{rng.randint(1000, 9999)}",
                }
            )

        # Units: what each customer owns. Consumers bought from a dealer (the date is
        # on their request) or from our online store (a delivered order: the warranty
        # counts from the delivery, P2.4); business customers' units were invoiced.
        serial = {"n": 1000}

        def new_unit(owner, family, source, bought):
            serial["n"] += rng.randint(1, 9)
            product = rng.choice(FAMILIES[family]["products"])
            code = product.split("_")[-2].upper()
            unit = {
                "key": f"u{len(plan['units'])}",
                "owner": owner,
                "family": family,
                "product": product,
                "serial": f"{code}-QH-{serial['n']:06d}",
                "source": source,
                "bought": bought,
            }
            plan["units"].append(unit)
            return unit

        families = ["ap", "ap", "wp", "ac", "ac", "wm"]
        for consumer in plan["consumers"]:
            for _n in range(rng.choice([1, 1, 2, 2, 3])):
                store = rng.random() < 0.2
                bought = -rng.randint(20, self.days - 10) if store else -rng.randint(60, 1300)
                new_unit(
                    consumer["key"], rng.choice(families), "order" if store else "dealer", bought
                )
        for xmlid, _name, _function, owned in BUSINESSES:
            for family in owned:
                family, _sep, lot = family.partition(":")
                unit = new_unit(xmlid, family, "invoice", None)
                if lot:
                    # A unit of the hand-made data (covered by a contract, P7.1).
                    unit.update(lot=lot, product="product_air_conditioner_ac72_demo")

        # Orders of the online store: the store units, delivered the next day, and
        # sometimes a small appliance (those are returned or exchanged, P4, P5).
        for unit in [u for u in plan["units"] if u["source"] == "order"]:
            day = unit["bought"]
            lines = [{"product": unit["product"], "qty": 1, "units": [unit["key"]]}]
            if rng.random() < 0.5:
                lines.append(
                    {
                        "product": rng.choice(
                            ["product_humidifier_hm5_demo", "product_air_monitor_aq1_demo"]
                        ),
                        "qty": rng.choice([1, 1, 2]),
                        "units": [],
                    }
                )
            plan["orders"].append(
                {
                    "key": f"o{len(plan['orders'])}",
                    "customer": unit["owner"],
                    "day": day - 1,
                    "delivered": day,
                    "lines": lines,
                }
            )
        # A few orders of small appliances only.
        for _n in range(3):
            customer = rng.choice(plan["consumers"])["key"]
            day = -rng.randint(3, self.days - 5)
            plan["orders"].append(
                {
                    "key": f"o{len(plan['orders'])}",
                    "customer": customer,
                    "day": day - 1,
                    "delivered": day,
                    "lines": [
                        {
                            "product": rng.choice(
                                ["product_humidifier_hm5_demo", "product_air_monitor_aq1_demo"]
                            ),
                            "qty": rng.choice([1, 2]),
                            "units": [],
                        }
                    ],
                }
            )

        # Cases: one per request, spread over the history with a summer peak of
        # air conditioners, on working days and hours (web and WeChat also at night).
        units_by_owner = {}
        for unit in plan["units"]:
            units_by_owner.setdefault(unit["owner"], []).append(unit)
        owners = [c["key"] for c in plan["consumers"]] * 2 + [b[0] for b in BUSINESSES]
        count = 210
        channels = [c for c, _w in CHANNELS]
        channel_weights = [w for _c, w in CHANNELS]
        for index in range(count):
            age = int(
                rng.triangular(0, self.days, 0) if index % 2 == 0 else rng.uniform(0, self.days)
            )
            offset = -age
            owner = rng.choice(owners)
            units = units_by_owner.get(owner, [])
            month = (self.today + timedelta(days=offset)).month
            if units and month in (6, 7, 8) and rng.random() < 0.5:
                ac = [u for u in units if u["family"] == "ac"]
                units = ac or units
            unit = rng.choice(units) if units else None
            if unit and unit["source"] == "order" and unit["bought"] > offset:
                unit = None  # not bought yet on that day
            channel = rng.choices(channels, channel_weights)[0]
            if owner.startswith("res_partner"):
                channel = rng.choice(["phone", "email", "phone", "store"])
            roll = rng.random()
            kind = (
                "repair"
                if roll < 0.44
                else "advice"
                if roll < 0.66
                else "complaint"
                if roll < 0.82
                else "suggestion"
                if roll < 0.86
                else "phone_fix"
            )
            if not unit and kind in ("repair", "advice", "phone_fix"):
                kind = rng.choice(["complaint", "suggestion", "complaint"])
            if channel == "web" or channel == "social" or rng.random() < 0.15:
                hour, minute = rng.choice([(rng.randint(8, 20), rng.randint(0, 59))])
            else:
                hour, minute = rng.randint(8, 16), rng.randint(0, 59)
            if channel not in ("web", "social"):
                offset = workday(offset)
            case = {
                "key": f"t{index}",
                "offset": offset,
                "hour": hour,
                "minute": minute,
                "owner": owner,
                "unit": unit["key"] if unit else False,
                "channel": channel,
                "kind": kind,
                "priority": rng.choices(["0", "1", "2"], [15, 65, 20])[0],
                "agent": rng.choice(STAFF["agents"] + STAFF["agents"] + [STAFF["hotline_leader"]]),
                # Working hours to the first response, and to the solution.
                "response": round(
                    rng.choice(
                        [rng.uniform(0.05, 0.9), rng.uniform(0.1, 2.0), rng.uniform(1.5, 5.0)]
                        if rng.random() < 0.9
                        else [rng.uniform(2.0, 9.0)]
                    ),
                    2,
                ),
                "resolution": round(
                    rng.uniform(0.5, 6.0)
                    if kind in ("advice", "phone_fix", "suggestion")
                    else rng.uniform(4.0, 40.0)
                    if rng.random() < 0.85
                    else rng.uniform(40.0, 80.0),
                    2,
                ),
                "cancel": rng.random() < 0.06,
                "wait": rng.random() < 0.25,
                "stuck": rng.random() < 0.03,
            }
            if kind in ("repair", "advice", "phone_fix"):
                family = FAMILIES[unit["family"]]
                if kind == "repair":
                    fault = rng.randrange(len(family["faults"]))
                    case["fault"] = fault
                    case["parts"] = [p for p in family["faults"][fault][3] if rng.random() < 0.7]
                    mode = family["mode"]
                    if mode == "on_site":
                        case["technician"] = rng.choice(STAFF["on_site"][unit["family"]])
                    else:
                        case["technician"] = rng.choice(STAFF["workshop"])
                    case["mode"] = mode
                    case["work"] = [
                        round(rng.choice([0.5, 1.0, 1.0, 1.5, 2.0, 2.5]), 2)
                        for _w in range(rng.choice([1, 2, 2, 3]))
                    ]
                    case["visit_delay"] = round(rng.uniform(1.0, 12.0), 2)
                    case["bring_delay"] = round(rng.uniform(2.0, 16.0), 2)
                    case["pickup_delay"] = round(rng.uniform(1.0, 20.0), 2)
                    case["paid_on_site"] = rng.random() < 0.5
                    case["payment"] = rng.choice(["wechat", "wechat", "alipay", "cash", "card"])
                    case["inspector"] = rng.choice(STAFF["inspectors"] + [STAFF["inspectors"][0]])
                elif kind == "advice":
                    case["advice"] = rng.randrange(len(family["advice"]))
                else:
                    fault = rng.randrange(len(family["faults"]))
                    case["fault"] = fault
            elif kind == "complaint":
                case["complaint"] = rng.randrange(len(COMPLAINTS))
                case["serious"] = rng.random() < 0.15
            else:
                case["suggestion"] = rng.randrange(len(SUGGESTIONS))
            # The customer's feedback (P8), and the satisfaction callback (P6.6).
            mood = rng.choices(["good", "fair", "bad"], [70, 22, 8])[0]
            case["feedback"] = {
                "answered": rng.random() < 0.75,
                "cancelled": rng.random() < 0.03,
                "delay": round(rng.uniform(0.5, 30.0), 2),
                "mood": mood,
                "marks": [
                    rng.randint(*{"good": (3, 4), "fair": (2, 3), "bad": (1, 2)}[mood])
                    for _c in TECHNICIAN_CRITERIA
                ]
                + [
                    rng.randint(*{"good": (4, 5), "fair": (3, 4), "bad": (1, 3)}[mood])
                    for _c in SERVICE_CRITERIA
                ],
                "comment": rng.randrange(len(FEEDBACK_COMMENTS[mood])),
            }
            case["callback"] = {
                "outcome": rng.choices(["done", "missed", "cancelled"], [80, 14, 6])[0],
                "late": rng.randint(0, 180),
                "answer": rng.randrange(len(CALLBACK_ANSWERS)),
            }
            plan["cases"].append(case)
        self._plan_portal_customer(plan)
        self._plan_workload(plan)
        for case in plan["cases"]:
            if case["kind"] == "repair":
                # The request is solved when its repair is: the job done on site, or
                # the carry-in product handed back (P2.8).
                work = sum(case["work"])
                if case["mode"] == "on_site":
                    case["resolution"] = round(case["visit_delay"] + work, 2)
                else:
                    case["resolution"] = round(
                        case["bring_delay"] + work + 0.5 + case["pickup_delay"], 2
                    )
        plan["cases"].sort(key=lambda c: (c["offset"], c["hour"], c["minute"], c["key"]))

        # Returns and exchanges of the store's small appliances (P4, P5): most within
        # the 7-day window, a few late (refused) or withdrawn. The open ones come from
        # the orders of the last days.
        plan["rmas"] = []
        small = [
            (order, line)
            for order in plan["orders"]
            for line in order["lines"]
            if not line["units"] and order["delivered"] < -12
        ]
        rng.shuffle(small)
        settled = ["refunded"] * 5 + ["replaced"] * 3 + ["refused", "cancelled", "done"]
        recent = ["draft", "confirmed", "received", "inspected", "voucher", "exchange_received"]
        for outcome in settled + recent:
            if outcome in settled and small:
                order, line = small.pop()
            else:
                day = -rng.randint(2, 6)
                line = {
                    "product": rng.choice(
                        ["product_humidifier_hm5_demo", "product_air_monitor_aq1_demo"]
                    ),
                    "qty": 1,
                    "units": [],
                }
                order = {
                    "key": f"o{len(plan['orders'])}",
                    "customer": rng.choice(plan["consumers"])["key"],
                    "day": day - 1,
                    "delivered": day,
                    "lines": [line],
                }
                plan["orders"].append(order)
            plan["rmas"].append(
                {
                    "key": f"r{len(plan['rmas'])}",
                    "order": order["key"],
                    "product": line["product"],
                    "outcome": outcome,
                    "late": outcome == "refused",
                    "request": rng.randint(0, -order["delivered"] - 1)
                    if outcome in recent
                    else rng.randint(1, 6),
                    "steps": [round(rng.uniform(2.0, 14.0), 2) for _s in range(4)],
                }
            )
        return plan

    def _plan_workload(self, plan):
        """Work in progress the roles find on their first login, whatever the draw:
        two carry-in purifiers waiting for the supervisor's inspection (P3.4) and an
        air conditioner Li Wei visits tomorrow morning (P2.5)."""
        units = {u["key"]: u for u in plan["units"]}
        purifiers = [u for u in plan["units"] if u["family"] == "ap" and u["source"] == "dealer"]
        conditioners = [u for u in plan["units"] if u["family"] == "ac" and u["source"] == "dealer"]
        base = {
            "priority": "1",
            "cancel": False,
            "wait": False,
            "stuck": False,
            "kind": "repair",
            "state": "in_progress",
            "response": 0.5,
            "work": [1.5, 0.5],
            "visit_delay": 5.0,
            "bring_delay": 3.0,
            "pickup_delay": 4.0,
            "paid_on_site": False,
            "payment": "wechat",
            "inspector": STAFF["inspectors"][0],
            "feedback": {
                "answered": False,
                "cancelled": False,
                "delay": 1.0,
                "mood": "good",
                "marks": [4, 4, 4, 4, 5, 5, 5],
                "comment": 0,
            },
            "callback": {"outcome": "done", "late": 0, "answer": 0},
        }
        for index, (unit, technician, age) in enumerate(
            (
                (purifiers[0], "res_users_technician_sun_demo", 4),
                (purifiers[1], "res_users_technician_huang_demo", 5),
            )
        ):
            plan["cases"].append(
                dict(
                    base,
                    key=f"w{index}",
                    offset=-age,
                    hour=10,
                    minute=20 + index,
                    owner=unit["owner"],
                    unit=unit["key"],
                    channel="store",
                    fault=index,
                    parts=FAMILIES["ap"]["faults"][index][3],
                    mode="workshop",
                    technician=technician,
                    agent="res_users_agent_liu_demo",
                    repair_state="under_repair",
                )
            )
        unit = units[conditioners[0]["key"]]
        plan["cases"].append(
            dict(
                base,
                key="w2",
                offset=-1,
                hour=16,
                minute=40,
                owner=unit["owner"],
                unit=unit["key"],
                channel="phone",
                fault=0,
                parts=FAMILIES["ac"]["faults"][0][3],
                mode="on_site",
                technician="res_users_technician_demo",
                agent="res_users_technician_demo",
                repair_state="confirmed",
                visit=(1, 9, 0),
            )
        )

    def _plan_portal_customer(self, plan):
        """Odoo's demo portal user, Joel Willis, a household in Suzhou: two orders
        from our online store (the second delivered two days ago: still returnable,
        P5.1), a care plan on the air conditioners, past requests answered and rated,
        one open with a visit planned tomorrow, one new, and a feedback link waiting
        for him (P8.1)."""
        units = [
            ("pu_ac1", "ac", "product_air_conditioner_ac35_demo", "AC35-QH-004711", -119),
            ("pu_ac2", "ac", "product_air_conditioner_ac35_demo", "AC35-QH-004712", -119),
            ("pu_wp", "wp", "product_water_purifier_wp500_demo", "WP500-QH-002218", -119),
            ("pu_ap1", "ap", "product_air_purifier_ap200_demo", "AP200-QH-009301", -2),
            ("pu_ap2", "ap", "product_air_purifier_ap200_demo", "AP200-QH-009302", -2),
        ]
        for key, family, product, serial, bought in units:
            plan["units"].append(
                {
                    "key": key,
                    "owner": "portal",
                    "family": family,
                    "product": product,
                    "serial": serial,
                    "source": "order",
                    "bought": bought,
                }
            )
        plan["orders"] += [
            {
                "key": "po1",
                "customer": "portal",
                "day": -121,
                "delivered": -119,
                "lines": [
                    {
                        "product": "product_air_conditioner_ac35_demo",
                        "qty": 2,
                        "units": ["pu_ac1", "pu_ac2"],
                    },
                    {"product": "product_water_purifier_wp500_demo", "qty": 1, "units": ["pu_wp"]},
                ],
            },
            {
                "key": "po2",
                "customer": "portal",
                "day": -3,
                "delivered": -2,
                "lines": [
                    {
                        "product": "product_air_purifier_ap200_demo",
                        "qty": 2,
                        "units": ["pu_ap1", "pu_ap2"],
                    },
                    {"product": "product_part_hepa_filter_demo", "qty": 2, "units": []},
                ],
            },
        ]
        good = {
            "answered": True,
            "cancelled": False,
            "delay": 3.0,
            "mood": "good",
            "marks": [4, 4, 4, 4, 5, 5, 5],
            "comment": 1,
        }
        base = {
            "owner": "portal",
            "priority": "1",
            "cancel": False,
            "wait": False,
            "stuck": False,
            "feedback": good,
            "callback": {"outcome": "done", "late": 20, "answer": 0},
        }
        repair = {"work": [1.0, 0.5], "visit_delay": 6.0, "bring_delay": 4.0, "pickup_delay": 4.0}
        repair.update(paid_on_site=False, payment="wechat", inspector=STAFF["inspectors"][0])
        lee, zhou = "res_users_technician_demo", "res_users_technician_zhou_demo"
        liu = "res_users_agent_liu_demo"

        def case(key, when, unit, channel, kind, agent, hours, state, **extra):
            """One request of the portal customer (a row of ``requests``)."""
            offset, hour, minute = when
            response, resolution = hours
            return dict(
                base,
                key=key,
                offset=offset,
                hour=hour,
                minute=minute,
                unit=unit,
                channel=channel,
                kind=kind,
                agent=agent,
                response=response,
                resolution=resolution,
                state=state,
                **extra,
            )

        def visit(technician, fault, parts=()):
            """What an on-site repair by ``technician`` adds to its request."""
            return dict(
                repair, fault=fault, parts=list(parts), mode="on_site", technician=technician
            )

        # key, (day offset, hour, minute), unit, channel, kind, agent,
        # (response, resolution hours), state
        requests = [
            ("p1", (-100, 19, 40), "pu_wp", "web", "advice", liu, (0.4, 1.5), "solved"),
            ("p2", (-60, 9, 15), "pu_ac1", "phone", "repair", lee, (0.3, 9.0), "solved"),
            ("p3", (-20, 20, 5), "pu_wp", "web", "repair", liu, (0.8, 12.0), "solved"),
            ("p4", (-2, 21, 10), "pu_ac2", "web", "repair", lee, (0.5, 16.0), "in_progress"),
            ("p5", (0, 8, 5), "pu_ap1", "web", "advice", lee, (1.0, 2.0), "new"),
            ("p6", (-1, 9, 30), "pu_ap2", "web", "phone_fix", lee, (0.2, 0.8), "solved"),
        ]
        extras = {
            "p1": {"advice": 0},
            "p2": visit(lee, 2),
            "p3": dict(
                visit(zhou, 1),
                feedback=dict(good, marks=[3, 3, 2, 3, 4, 3, 4], mood="fair", comment=1),
            ),
            "p4": dict(
                visit(lee, 3, ["product_part_indoor_fan_demo"]),
                repair_state="confirmed",
                visit=(1, 14, 0),
            ),
            "p5": {"advice": 1},
            "p6": {
                "fault": 0,
                "feedback": dict(good, answered=False),
                "note": "A foam packing piece was left behind the filter: removed on the phone.",
            },
        }
        plan["cases"] += [case(*request, **extras[request[0]]) for request in requests]

    @staticmethod
    def case_subject(plan, case):
        """The subject of the request a case files (plan data only)."""
        kind = case["kind"]
        if kind == "complaint":
            return COMPLAINTS[case["complaint"]][2]
        if kind == "suggestion":
            return SUGGESTIONS[case["suggestion"]][0]
        family = next(u for u in plan["units"] if u["key"] == case["unit"])["family"]
        if kind == "advice":
            return FAMILIES[family]["advice"][case["advice"]][0]
        return FAMILIES[family]["faults"][case["fault"]][1]

    @staticmethod
    def fingerprint(plan):
        """A short digest of the plan: equal plans, equal fingerprints."""
        payload = json.dumps(plan, sort_keys=True, default=str).encode()
        return hashlib.sha256(payload).hexdigest()[:16]

    # ------------------------------------------------------------------
    # Apply
    # ------------------------------------------------------------------
    def apply(self, plan):
        started = self.clock()
        self.partners = {}
        self.units = {}
        self.lines = {}
        self._apply_customers(plan)
        self._apply_units(plan)
        self._apply_orders(plan)
        # The customers' tiers before their requests: a request keeps the tier it
        # was handled with (P1.4).
        self.env["aftersales.tier"]._recompute_tiers(self.company)
        started = self.step("customers, units and orders", started)
        self._apply_tickets(plan)
        started = self.step("tickets", started)
        self._apply_repairs(plan)
        started = self.step("repairs", started)
        self._apply_rmas(plan)
        started = self.step("returns and exchanges", started)
        self._apply_feedback(plan)
        self._apply_callbacks(plan)
        started = self.step("feedback and callbacks", started)
        self._apply_contracts()
        self._apply_engines()
        self.env.flush_all()
        self.step("contracts, tiers, planner, escalation", started)

    # Customers, units, orders ----------------------------------------
    def _apply_customers(self, plan):
        Partner = self.env["res.partner"]
        city_zone = self.ref("aftersales_zone_city")
        suburb_zone = self.ref("aftersales_zone_suburb")
        rep = self.env.ref("base.user_demo")
        consumers = Partner.create(
            [
                {
                    "name": c["name"],
                    "city": c["city"],
                    "street": c["street"],
                    "country_id": self.env.ref("base.cn").id,
                    "phone": c["phone"],
                    "email": c["email"] and f"{c['name'].lower().replace(' ', '.')}@example.com",
                    "tz": "Asia/Shanghai",
                    "customer_rank": 1,
                    "user_id": rep.id,
                    "aftersales_zone_id": (suburb_zone if c["suburb"] else city_zone).id,
                    "aftersales_preferred_channel": "phone",
                }
                for c in plan["consumers"]
            ]
        )
        for spec, partner in zip(plan["consumers"], consumers, strict=True):
            self.partners[spec["key"]] = partner
        contacts = Partner.create(
            [
                {
                    "name": c["name"],
                    "parent_id": self.ref(c["parent"]).id,
                    "type": "contact",
                    "function": c["function"],
                    "phone": c["phone"],
                    "email": False,
                }
                for c in plan["contacts"]
            ]
        )
        self.partners["portal"] = self.env.ref("base.partner_demo_portal")
        self.contacts = {}
        for spec, contact in zip(plan["contacts"], contacts, strict=True):
            self.contacts[spec["parent"]] = contact
            self.partners[spec["parent"]] = self.ref(spec["parent"])

    def _apply_units(self, plan):
        new = [u for u in plan["units"] if not u.get("lot")]
        lots = self.env["stock.lot"].create(
            [
                {
                    "name": u["serial"],
                    "product_id": self.ref(u["product"]).id,
                    "company_id": self.company.id,
                }
                for u in new
            ]
        )
        for spec, lot in zip(new, lots, strict=True):
            self.units[spec["key"]] = dict(spec, lot=lot, product_rec=lot.product_id)
        for spec in plan["units"]:
            if spec.get("lot"):
                lot = self.ref(spec["lot"])
                self.units[spec["key"]] = dict(spec, lot=lot, product_rec=lot.product_id)

    def _apply_orders(self, plan):
        """The online store's orders: confirmed, delivered (the serial units leave
        the warehouse), invoiced and paid, dated back to their day."""
        stock = self.env.ref("stock.warehouse0").lot_stock_id
        Quant = self.env["stock.quant"]
        for order in plan["orders"]:
            for line in order["lines"]:
                for key in line["units"]:
                    unit = self.units[key]
                    Quant._update_available_quantity(
                        unit["product_rec"], stock, 1, lot_id=unit["lot"]
                    )
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.partners[o["customer"]].id,
                    "company_id": self.company.id,
                    "user_id": self.env.ref("base.user_demo").id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.ref(line["product"]).id,
                                "product_uom_qty": line["qty"],
                            }
                        )
                        for line in o["lines"]
                    ],
                }
                for o in plan["orders"]
            ]
        )
        orders.action_confirm()
        self.orders = {}
        pickings = self.env["stock.picking"]
        for spec, order in zip(plan["orders"], orders, strict=True):
            self.orders[spec["key"]] = order
            picking = order.picking_ids
            for move in picking.move_ids:
                spec_line = next(
                    line for line in spec["lines"] if self.ref(line["product"]) == move.product_id
                )
                lots = [self.units[key]["lot"] for key in spec_line["units"]]
                if lots and set(move.move_line_ids.lot_id) != set(lots):
                    # The units of the plan leave, not the first serials in stock.
                    move.move_line_ids.unlink()
                    move.write(
                        {
                            "move_line_ids": [
                                Command.create(
                                    {
                                        "product_id": move.product_id.id,
                                        "lot_id": lot.id,
                                        "quantity": 1,
                                        "location_id": move.location_id.id,
                                        "location_dest_id": move.location_dest_id.id,
                                    }
                                )
                                for lot in lots
                            ]
                        }
                    )
            picking.move_ids.picked = True
            pickings |= picking
        # No delivery text message to the customers of the past (stock_sms).
        pickings.with_context(skip_sms=True)._action_done()
        # Invoices of the orders Joel Willis sees on the portal (the store's other
        # receipts are not the after-sales history).
        invoiced = orders.filtered(lambda o: o.partner_id == self.partners["portal"])
        invoices = invoiced._create_invoices()
        dates = {"sale.order": {}, "stock.picking": {}, "stock.move": {}, "stock.move.line": {}}
        for spec, order in zip(plan["orders"], orders, strict=True):
            ordered = self.at(spec["day"], 20, 30)
            delivered = self.at(spec["delivered"], 15, 0)
            dates["sale.order"][order.id] = {"date_order": ordered}
            picking = order.picking_ids
            dates["stock.picking"].update({p.id: {"date_done": delivered} for p in picking})
            dates["stock.move"].update({m.id: {"date": delivered} for m in picking.move_ids})
            dates["stock.move.line"].update(
                {ml.id: {"date": delivered} for ml in picking.move_ids.move_line_ids}
            )
            if order in invoiced:
                order.invoice_ids.write({"invoice_date": self.local_day(ordered)})
            for line in order.order_line:
                spec_line = next(
                    x for x in spec["lines"] if self.ref(x["product"]) == line.product_id
                )
                self.lines.setdefault(spec["key"], {})[spec_line["product"]] = line
        for model, rows in dates.items():
            self.store(model, rows)
        invoices.action_post()

    # Tickets ----------------------------------------------------------
    def _ticket_values(self, case):
        unit = self.units.get(case["unit"]) if case["unit"] else None
        owner = self.partners[case["owner"]]
        # Business customers call from their site: the contact person files it.
        partner = self.contacts.get(case["owner"], owner)
        if case["channel"] == "email" and not partner.email:
            partner = owner
        values = {
            "partner_id": partner.id,
            "company_id": self.company.id,
            "team_id": self.ref("aftersales_team_service_desk").id,
            "user_id": self.ref(case["agent"]).id,
            "channel": case["channel"],
            "priority": case["priority"],
            "received_at": self.past(self.at(case["offset"], case["hour"], case["minute"])),
        }
        kind = case["kind"]
        if unit:
            values.update(product_id=unit["product_rec"].id, lot_id=unit["lot"].id)
            if unit["source"] == "dealer":
                values["purchase_date"] = self.today + timedelta(days=unit["bought"])
        if kind in ("repair", "phone_fix"):
            category, subject, symptom, _parts, _solution = FAMILIES[unit["family"]]["faults"][
                case["fault"]
            ]
            values.update(
                subject=subject,
                fault_symptom=symptom,
                category_id=self.ref(category).id,
                ticket_type="service",
            )
        elif kind == "advice":
            subject, symptom, _answer = FAMILIES[unit["family"]]["advice"][case["advice"]]
            values.update(subject=subject, fault_symptom=symptom, ticket_type="consultation")
        elif kind == "complaint":
            category, cat_xmlid, subject, symptom, *_closing = COMPLAINTS[case["complaint"]]
            values.update(
                subject=subject,
                fault_symptom=symptom,
                ticket_type="complaint",
                complaint_category=category,
                category_id=self.ref(cat_xmlid).id,
                is_serious=case["serious"],
            )
        else:
            subject, symptom = SUGGESTIONS[case["suggestion"]]
            values.update(subject=subject, fault_symptom=symptom, ticket_type="suggestion")
        return values

    def _case_state(self, case):
        """Where the request stands: by its age, the way a real desk looks."""
        if case.get("state"):
            return case["state"]
        age = -case["offset"]
        if case["cancel"] and age > 1:
            return "cancelled"
        if case["stuck"]:
            return "waiting" if case["wait"] else "in_progress"
        if case["kind"] == "repair":
            # A repair keeps its request open until it is done (and handed back):
            # about a week on site, two in the workshop.
            limit = 6 if case["mode"] == "on_site" else 12
            return "solved" if age > limit else "in_progress" if age > 0 else "new"
        if age > 6:
            return "solved"
        if age == 0:
            return "new"
        if age <= 2:
            return "waiting" if case["wait"] else "in_progress"
        return "solved" if not case["wait"] else "waiting"

    def _apply_tickets(self, plan):
        Ticket = self.env["aftersales.ticket"].with_context(
            aftersales_sla_skip=True,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
        )
        cases = plan["cases"]
        values = [self._ticket_values(case) for case in cases]
        # The requests of the past are filed, then linked to their customer, one write
        # per customer: their acknowledgement is not mailed again, and customers
        # follow only their open requests (below). Joel Willis's are filed the way
        # the portal files them.
        customers = {}
        for case, vals in zip(cases, values, strict=True):
            if case["owner"] != "portal":
                customers[case["key"]] = vals.pop("partner_id")
        tickets = Ticket.create(values)
        self.tickets = dict(zip([c["key"] for c in cases], tickets, strict=True))
        by_partner = {}
        for key, partner_id in customers.items():
            by_partner.setdefault(partner_id, Ticket.browse())
            by_partner[partner_id] |= self.tickets[key]
        for partner_id, group in by_partner.items():
            group.write({"partner_id": partner_id})
        # The engine's deadlines from each receipt (P2.3).
        tickets.sudo()._sla_recompute()
        stages = {
            "new": self.ref("aftersales_stage_new"),
            "in_progress": self.ref("aftersales_stage_in_progress"),
            "waiting": self.ref("aftersales_stage_waiting"),
            "solved": self.ref("aftersales_stage_solved"),
            "cancelled": self.ref("aftersales_stage_cancelled"),
        }
        self.states = {case["key"]: self._case_state(case) for case in cases}
        # Response and solution instants, in working hours from receipt.
        requests = []
        for case in cases:
            ticket = self.tickets[case["key"]]
            requests.append((ticket.received_at, case["response"]))
            requests.append((ticket.received_at, case["response"] + case["resolution"]))
        moments = self.add_hours(requests)
        self.responded, self.solved = {}, {}
        spans = []
        for index, case in enumerate(cases):
            state = self.states[case["key"]]
            responded, solved = moments[2 * index], moments[2 * index + 1]
            ticket = self.tickets[case["key"]]
            if state != "new":
                responded = self.past(responded, margin=30)
                self.responded[case["key"]] = responded
                spans.append((ticket.received_at, responded))
            if state in ("solved", "cancelled"):
                solved = self.past(max(solved, responded + timedelta(minutes=20)), margin=15)
                self.solved[case["key"]] = solved
                spans.append((ticket.received_at, solved))
        hours = iter(self.hours_between(spans))
        by_stage = {}
        for case in cases:
            by_stage.setdefault(self.states[case["key"]], []).append(case)
        # Closing fields of complaints (P6.5) and the resolution notes, one write per
        # set of values.
        closing = {}
        for case in cases:
            ticket = self.tickets[case["key"]]
            values = {}
            if case["kind"] == "complaint" and self.states[case["key"]] in ("solved", "cancelled"):
                *_head, responsibility, remedy, root, action = COMPLAINTS[case["complaint"]]
                values.update(
                    responsibility=responsibility,
                    remedy=remedy,
                    root_cause=root,
                    corrective_action=action,
                )
            elif case["kind"] == "advice" and self.states[case["key"]] == "solved":
                unit = self.units[case["unit"]]
                values["resolution_note"] = FAMILIES[unit["family"]]["advice"][case["advice"]][2]
            elif case["kind"] == "phone_fix" and self.states[case["key"]] == "solved":
                values["resolution_note"] = case.get(
                    "note", "Solved on the phone: the customer reset the unit."
                )
            if values:
                key = tuple(sorted(values.items()))
                closing[key] = closing.get(key, Ticket.browse()) | ticket
        for values, group in closing.items():
            group.write(dict(values))
        for state, state_cases in by_stage.items():
            if state != "new":
                Ticket.browse([self.tickets[c["key"]].id for c in state_cases]).write(
                    {"stage_id": stages[state].id}
                )
        # The engine's results at those instants (a fixture: see the module docstring).
        rows = {}
        for case in cases:
            ticket = self.tickets[case["key"]].sudo()
            values = {}
            key = case["key"]
            if key in self.responded:
                when = self.responded[key]
                spent = next(hours)
                values.update(
                    sla_first_response_at=when,
                    sla_response_time=round(spent, 2),
                    sla_response_ontime=100.0 if when <= ticket.sla_response_deadline else 0.0,
                )
            if key in self.solved:
                when = self.solved[key]
                spent = next(hours)
                values.update(
                    sla_solved_at=when,
                    sla_resolution_time=round(spent, 2),
                    sla_resolution_ontime=100.0 if when <= ticket.sla_resolution_deadline else 0.0,
                )
            if self.states[key] == "waiting":
                values["sla_paused_since"] = self.past(
                    (self.responded.get(key) or ticket.received_at) + timedelta(hours=1), 20
                )
            if values:
                rows[ticket.id] = values
        self.store("aftersales.ticket", rows)
        for partner_id, group in by_partner.items():
            open_ = group.filtered(lambda t: not t.is_closed)
            if open_:
                open_.message_subscribe([partner_id])
        tickets.sudo()._sla_store_outcomes(
            [
                "sla_response_time",
                "sla_response_ontime",
                "sla_resolution_time",
                "sla_resolution_ontime",
            ]
        )

    # Repairs ----------------------------------------------------------
    def _repair_state(self, case):
        """A repair follows its request: done when the request is solved (a carry-in
        product handed back), cancelled with it; an open request's repair is a draft
        (to dispatch), confirmed (visit planned, product expected), under repair
        (before or after the workshop's inspection), or repaired and waiting for the
        customer to pick it up."""
        if case.get("repair_state"):
            return case["repair_state"]
        state = self.states[case["key"]]
        if state == "cancelled":
            return "cancel"
        if state == "solved":
            return "done"
        age = -case["offset"]
        if case["mode"] == "workshop":
            # Brought in, quoted, repaired, inspected, waiting for pick-up.
            steps = ["draft"] + ["confirmed"] * 2 + ["under_repair"] * 4 + ["inspected"] * 2
            return (steps + ["to_pick_up"] * 4)[min(age, 12)]
        # Planned, visited, waiting for a part.
        return (["draft"] + ["confirmed"] * 3 + ["under_repair"] * 3)[min(age, 6)]

    def _apply_repairs(self, plan):
        cases = [c for c in plan["cases"] if c["kind"] == "repair"]
        Repair = self.env["repair.order"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        field_team = self.ref("aftersales_team_field_service_demo")
        workshop_team = self.ref("aftersales_team_workshop_demo")
        values = []
        for case in cases:
            ticket = self.tickets[case["key"]]
            unit = self.units[case["unit"]]
            faults = FAMILIES[unit["family"]]["faults"][case["fault"]]
            values.append(
                {
                    "partner_id": ticket.partner_id.id,
                    "product_id": unit["product_rec"].id,
                    "lot_id": unit["lot"].id,
                    "ticket_id": ticket.id,
                    "company_id": self.company.id,
                    "aftersales_team_id": (
                        field_team if case["mode"] == "on_site" else workshop_team
                    ).id,
                    "aftersales_repair_mode": case["mode"],
                    "aftersales_fault_category_id": self.ref(faults[0]).id,
                    "user_id": self.ref(case["technician"]).id,
                    "internal_notes": f"<p>{faults[2]}</p>",
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": self.ref(part).id,
                                "product_uom_qty": 1,
                                "repair_line_type": "add",
                            }
                        )
                        for part in case["parts"]
                    ],
                }
            )
        repairs = Repair.create(values)
        self.repairs = dict(zip([c["key"] for c in cases], repairs, strict=True))
        states = {case["key"]: self._repair_state(case) for case in cases}

        # Timeline in working hours from the request's first response: the visit (or
        # the product brought in), the work, the end and the hand-back.
        requests = []
        for case in cases:
            start = self.responded.get(case["key"]) or self.tickets[case["key"]].received_at
            first = case["visit_delay"] if case["mode"] == "on_site" else case["bring_delay"]
            work = first + sum(case["work"])
            requests += [
                (start, first),
                (start, work),
                (start, work + 0.5),
                (start, work + 0.5 + case["pickup_delay"]),
            ]
        moments = self.add_hours(requests)
        timeline = {}
        for index, case in enumerate(cases):
            arrive, worked, ended, back = moments[4 * index : 4 * index + 4]
            on_site = case["mode"] == "on_site"
            solved = self.solved.get(case["key"])
            end = worked if on_site else ended
            last = end if on_site else back
            if solved and states[case["key"]] == "done" and solved < last:
                # Clamped to now: the last steps happened just now.
                last = end = back = solved
            timeline[case["key"]] = {
                "arrive": self.past(arrive, 120),
                "inspect": self.past(worked, 100),
                "end": self.past(end, 90),
                "back": self.past(back, 60),
            }

        def pick(*wanted):
            return Repair.browse(
                [self.repairs[c["key"]].id for c in cases if states[c["key"]] in wanted]
            )

        # Work entries on the days the work was done (P9.1).
        entries = []
        for case in cases:
            if states[case["key"]] in ("draft", "confirmed", "cancel"):
                continue
            repair = self.repairs[case["key"]]
            day = self.local_day(timeline[case["key"]]["arrive"])
            labels = WORK_DONE[case["mode"]]
            for index, hours in enumerate(case["work"]):
                entries.append(
                    {
                        "repair_id": repair.id,
                        "user_id": repair.user_id.id,
                        "date": min(day, self.today),
                        "hours": hours,
                        "description": labels[index % len(labels)],
                        "chargeable": index < len(case["work"]) - 1 or len(case["work"]) == 1,
                    }
                )
        self.env["aftersales.work.entry"].create(entries)

        # Carry-in products are received with a goods receipt (P2.7).
        workshop = [c for c in cases if c["mode"] == "workshop" and states[c["key"]] != "draft"]
        receipts = self.env["aftersales.goods.receipt"].create(
            [
                {
                    "repair_id": self.repairs[c["key"]].id,
                    "accessories": "Power cable, remote control"
                    if c["fault"] % 2
                    else "Power cable",
                    "condition": "Light scratches on the housing"
                    if c["fault"] % 3 == 0
                    else "Good",
                    "customer_signed_by": self.repairs[c["key"]].partner_id.name,
                    "received_by": self.repairs[c["key"]].user_id.id,
                }
                for c in workshop
            ]
        )
        self.store(
            "aftersales.goods.receipt",
            {
                receipt.id: {"received_on": timeline[case["key"]]["arrive"]}
                for receipt, case in zip(receipts, workshop, strict=True)
            },
        )

        # The steps, through the workflow: confirm, quote (P3.3), start, inspect (P3.4),
        # sign on site (P2.6), end.
        pick(
            "confirmed", "under_repair", "inspected", "to_pick_up", "done"
        )._action_repair_confirm()
        started = pick("under_repair", "inspected", "to_pick_up", "done")
        quotes = started.filtered(lambda r: r.aftersales_quote_state == "waiting")
        self.store(
            "repair.order",
            {
                repair.id: {
                    "aftersales_quote_accepted_on": repair.aftersales_goods_receipt_ids[
                        :1
                    ].received_on
                    or repair.aftersales_received_at,
                    "aftersales_quote_accepted_by": repair.partner_id.name,
                    "aftersales_quote_acceptance": "phone",
                }
                for repair in quotes
            },
        )
        started.action_repair_start()
        by_key = {self.repairs[c["key"]]: c for c in cases}
        inspected = pick("inspected", "to_pick_up", "done").filtered(
            lambda r: r.aftersales_repair_mode == "workshop"
        )
        self.store(
            "repair.order",
            {
                repair.id: {
                    **dict.fromkeys(INSPECTION_CHECKS, True),
                    "aftersales_inspector_id": self.ref(by_key[repair]["inspector"]).id,
                    "aftersales_inspected_on": timeline[by_key[repair]["key"]]["inspect"],
                    "aftersales_inspection_note": "Ran 30 minutes at full speed, quiet.",
                }
                for repair in inspected
            },
        )
        signed = pick("done").filtered(lambda r: r.aftersales_repair_mode == "on_site")
        signed.write({"aftersales_signature": SIGNATURE})
        self.store(
            "repair.order",
            {
                repair.id: {
                    "aftersales_arrived_at": timeline[by_key[repair]["key"]]["arrive"],
                    "aftersales_signed_by": repair.partner_id.name,
                    "aftersales_signed_on": timeline[by_key[repair]["key"]]["end"],
                    "aftersales_signature_user_id": repair.user_id.id,
                }
                for repair in signed
            },
        )
        finished = pick("to_pick_up", "done")
        finished.action_repair_end()
        returned = pick("done").filtered(lambda r: r.aftersales_repair_mode == "workshop")
        returned.aftersales_goods_receipt_ids.write({"return_signature": SIGNATURE})
        self.store(
            "aftersales.goods.receipt",
            {
                receipt.id: {
                    "state": "returned",
                    "returned_on": timeline[by_key[repair]["key"]]["back"],
                    "returned_by": repair.user_id.id,
                    "return_signed_by": repair.partner_id.name,
                }
                for repair in returned
                for receipt in repair.aftersales_goods_receipt_ids
            },
        )
        pick("cancel").action_repair_cancel()

        # The latest chargeable repairs wait in "Repairs to Invoice" (P2.6); before
        # them, households paid on the spot (WeChat, Alipay, cash) and business
        # customers and contract service were invoiced (below).
        chargeable = finished.filtered(
            lambda r: r.aftersales_service_type in ("paid", "contract")
        ).sorted(lambda r: timeline[by_key[r]["key"]]["end"], reverse=True)
        self.to_invoice = chargeable[:6]
        paid = {}
        for repair in chargeable[6:]:
            case = by_key[repair]
            household = not repair.partner_id.commercial_partner_id.is_company
            if repair.aftersales_service_type == "paid" and household:
                paid.setdefault(case["payment"], Repair.browse())
                paid[case["payment"]] |= repair
        for method, group in paid.items():
            group.write({"aftersales_paid_on_site": True, "aftersales_payment_method": method})

        # The instants of the steps and the engine's measures (fixture): the first
        # response is the visit (on site) or the product's arrival (workshop); the
        # solution, the end of the job (on site) or the hand-back (workshop).
        spans, measured = [], []
        for case in cases:
            repair = self.repairs[case["key"]]
            if repair.state not in ("under_repair", "done"):
                continue
            moments = timeline[case["key"]]
            first = moments["arrive"]
            last = False
            if repair.state == "done":
                returned = states[case["key"]] == "done" and case["mode"] == "workshop"
                last = moments["back"] if returned else moments["end"]
            measured.append((case, first, last))
            spans.append((repair.aftersales_received_at, first))
            spans.append((repair.aftersales_received_at, last or first))
        hours = self.hours_between(spans)
        rows = {}
        for index, (case, first, last) in enumerate(measured):
            repair = self.repairs[case["key"]]
            moments = timeline[case["key"]]
            values = {
                "sla_first_response_at": first,
                "sla_response_time": round(hours[2 * index], 2),
                "sla_response_ontime": 100.0
                if repair.sla_response_deadline and first <= repair.sla_response_deadline
                else 0.0,
            }
            if case["mode"] == "on_site":
                values["aftersales_arrived_at"] = first
            if last:
                values.update(
                    aftersales_done_at=moments["end"],
                    sla_solved_at=last,
                    sla_resolution_time=round(hours[2 * index + 1], 2),
                    sla_resolution_ontime=100.0
                    if repair.sla_resolution_deadline and last <= repair.sla_resolution_deadline
                    else 0.0,
                )
                if last == moments["back"] and case["mode"] == "workshop":
                    values["aftersales_returned_on"] = last
            rows[repair.id] = values
        self.store("repair.order", rows)
        self._invoice_repairs(
            Repair.browse([self.repairs[c["key"]].id for c, _f, last in measured if last]),
            timeline,
            by_key,
        )
        visits = {}
        for case in cases:
            repair = self.repairs[case["key"]]
            if repair.state == "confirmed" and case["mode"] == "on_site":
                visit = timeline[case["key"]]["arrive"]
                if case.get("visit"):
                    visit = self.at(*case["visit"])
                elif visit < self.now:
                    visit = self.at(1 + case["fault"] % 3, 9 + case["fault"] * 2 % 8)
                visits[repair.id] = {"aftersales_planned_visit": visit}
            elif repair.state in ("under_repair", "done") and case["mode"] == "on_site":
                visits[repair.id] = {"aftersales_planned_visit": timeline[case["key"]]["arrive"]}
        self.store("repair.order", visits)
        repairs.sudo()._sla_store_outcomes(
            [
                "sla_response_time",
                "sla_response_ontime",
                "sla_resolution_time",
                "sla_resolution_ontime",
            ]
        )
        self.repair_states = states
        self.timeline = timeline

    def _invoice_repairs(self, repairs, timeline, by_key):
        """The accountant invoiced the chargeable repairs done before the latest ones
        (P2.6), on the day they were done."""
        todo = repairs.filtered(lambda r: r.aftersales_to_invoice) - self.to_invoice
        if not todo:
            return
        accountant = self.ref("res_users_accountant_demo")
        todo.with_user(accountant).action_aftersales_create_invoice()
        invoices = todo.aftersales_invoice_id
        for repair in todo:
            repair.aftersales_invoice_id.write(
                {"invoice_date": self.local_day(repair.aftersales_done_at)}
            )
        invoices.action_post()

    # Returns and exchanges --------------------------------------------
    def _apply_rmas(self, plan):
        """P4, P5 through their steps: confirmed in the window (or refused), goods
        received on a return transfer, inspected, refunded by a credit note the
        accountant posts, or replaced."""
        Rma = self.env["aftersales.rma"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        specs = plan["rmas"]
        values = []
        for spec in specs:
            order = self.orders[spec["order"]]
            line = self.lines[spec["order"]][spec["product"]]
            delivered = next(o for o in plan["orders"] if o["key"] == spec["order"])["delivered"]
            request = delivered + (spec["request"] + 7 if spec["late"] else spec["request"])
            exchange = spec["outcome"] in ("replaced", "voucher", "exchange_received", "done")
            values.append(
                {
                    "kind": "exchange" if exchange else "refund",
                    "partner_id": order.partner_id.id,
                    "company_id": self.company.id,
                    "sale_line_id": line.id,
                    "quantity": 1,
                    "request_date": self.today + timedelta(days=min(request, 0)),
                    "reason_id": self.ref(
                        "aftersales_rma_reason_defective"
                        if exchange
                        else "aftersales_rma_reason_changed_mind"
                    ).id,
                    "description": "The water tank cracks at the seam."
                    if exchange
                    else "Bought two, one is enough.",
                    "exchange_condition": exchange and "non_human_damage",
                    "evidence": exchange
                    and "Crack visible on the photo; the unit was not dropped.",
                    **dict.fromkeys(
                        (
                            "condition_packaging",
                            "condition_accessories",
                            "condition_unused",
                            "condition_proof",
                        ),
                        not exchange,
                    ),
                }
            )
        rmas = Rma.create(values)
        by_outcome = {}
        for spec, rma in zip(specs, rmas, strict=True):
            by_outcome.setdefault(spec["outcome"], Rma.browse())
            by_outcome[spec["outcome"]] |= rma

        def of(*outcomes):
            return Rma.browse([r.id for o in outcomes for r in by_outcome.get(o, [])])

        of("refused")._aftersales_refuse("Requested after the 7-day return window.")
        of("cancelled")._aftersales_cancel("The customer kept the product.")
        moving = of(
            "confirmed",
            "received",
            "inspected",
            "refunded",
            "voucher",
            "replaced",
            "exchange_received",
            "done",
        )
        moving.action_confirm()
        back = of("received", "inspected", "refunded", "replaced", "exchange_received", "done")
        pickings = back.action_create_return_transfer()
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings.with_context(skip_sms=True)._action_done()
        inspected = of("inspected", "refunded", "replaced")
        inspected._aftersales_inspect(True, "Complete and undamaged.")
        of("done")._aftersales_inspect(False, "Dropped: the tank is broken by a fall, not covered.")
        credit_notes = of("refunded").action_create_credit_note()
        # The same product replaces: no supervisor approval is needed (P4.2).
        of("replaced").action_ship_replacement()
        supervisor = self.ref("res_users_supervisor_demo")

        # Instants of the steps, from the request day (fixture).
        rows, transfers = {}, {"stock.picking": {}, "stock.move": {}}
        for spec, rma in zip(specs, rmas, strict=True):
            start = self.at(min((rma.request_date - self.today).days, 0), 10, 15)
            steps = self.add_hours([(start, sum(spec["steps"][:n])) for n in range(1, 5)])
            confirmed, received, inspected_on, settled = (self.past(s, 40) for s in steps)
            values = {}
            if rma.state not in ("draft", "refused", "cancelled"):
                values["sla_first_response_at"] = confirmed
            if rma.state == "voucher" or rma.kind == "exchange":
                values["voucher_valid_until"] = self.local_day(confirmed) + timedelta(
                    days=self.company.aftersales_voucher_validity_days
                )
            if rma.return_picking_id:
                values["received_on"] = received
                transfers["stock.picking"][rma.return_picking_id.id] = {"date_done": received}
                transfers["stock.move"].update(
                    {m.id: {"date": received} for m in rma.return_picking_id.move_ids}
                )
            if rma.inspected_on:
                values["inspected_on"] = inspected_on
                values["inspected_by"] = supervisor.id
            if rma.state in ("refunded", "replaced", "done"):
                values["sla_solved_at"] = settled
            if values:
                rows[rma.id] = values
        self.store("aftersales.rma", rows)
        for model, model_rows in transfers.items():
            self.store(model, model_rows)
        # The accountant posted the credit notes of the older refunds; the newest waits.
        notes = credit_notes.sorted(lambda m: m.id)
        for move in notes[:-1]:
            rma = move.invoice_line_ids.aftersales_rma_id[:1]
            move.write({"invoice_date": self.local_day(rma.sla_solved_at or self.now)})
        notes[:-1].action_post()
        self.rmas = rmas

    # Feedback -----------------------------------------------------------
    def _apply_feedback(self, plan):
        """P8: one request per solved request (not complaints), done repair and
        settled return, 2 h after completion; answered, expired or still open."""
        Feedback = self.env["aftersales.feedback"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        )
        validity = self.company.aftersales_feedback_validity_days
        delay = timedelta(hours=self.company.aftersales_feedback_delay_hours)
        values = []
        for case in plan["cases"]:
            key = case["key"]
            ticket = self.tickets[key]
            sources = []
            if self.states[key] == "solved" and case["kind"] != "complaint":
                sources.append(("ticket_id", ticket, ticket.user_id, self.solved[key]))
            repair = getattr(self, "repairs", {}).get(key)
            if repair and repair.state == "done":
                sources.append(("repair_id", repair, repair.user_id, repair.sla_solved_at))
            for source_field, record, technician, completed in sources:
                if not completed:
                    continue
                requested = completed + delay
                if requested > self.now:
                    continue
                spec = case["feedback"]
                answered_at = requested + timedelta(hours=spec["delay"])
                vals = {
                    source_field: record.id,
                    "company_id": self.company.id,
                    "partner_id": ticket.partner_id.id,
                    "technician_id": technician.id,
                    "team_id": (
                        record.aftersales_team_id if source_field == "repair_id" else record.team_id
                    ).id,
                    "completed_at": completed,
                    "requested_at": requested,
                    "expires_on": self.local_day(requested) + timedelta(days=validity),
                }
                if spec["cancelled"]:
                    vals["state"] = "cancelled"
                elif spec["answered"] and answered_at < self.now:
                    marks = spec["marks"]
                    vals.update(
                        state="answered",
                        answered_at=answered_at,
                        comment=FEEDBACK_COMMENTS[spec["mood"]][spec["comment"]],
                        **{
                            fname: str(mark)
                            for fname, mark in zip(TECHNICIAN_CRITERIA, marks[:4], strict=True)
                        },
                        **dict(zip(SERVICE_CRITERIA, marks[4:], strict=True)),
                    )
                elif vals["expires_on"] < self.today:
                    vals["state"] = "expired"
                values.append(vals)
        for rma in self.rmas.filtered(lambda r: r.state in ("refunded", "replaced", "done")):
            if not rma.sla_solved_at:
                continue
            requested = rma.sla_solved_at + delay
            good = rma.state != "done"
            values.append(
                {
                    "rma_id": rma.id,
                    "company_id": self.company.id,
                    "partner_id": rma.partner_id.id,
                    "technician_id": rma.inspected_by.id,
                    "team_id": rma.team_id.id,
                    "completed_at": rma.sla_solved_at,
                    "requested_at": requested,
                    "expires_on": self.local_day(requested) + timedelta(days=validity),
                    "state": "answered",
                    "answered_at": requested + timedelta(hours=3),
                    "service_attitude": 5 if good else 2,
                    "response_speed": 4 if good else 2,
                    "resolution_efficiency": 5 if good else 1,
                    "comment": False if good else "I do not agree with the inspection.",
                }
            )
        self.feedback = Feedback.create(values)

    # Callbacks ----------------------------------------------------------
    def _apply_callbacks(self, plan):
        """P6.6: the satisfaction call 24 h after each solved request, made by its
        agent (or missed, or cancelled); the planner (run at the end) plans those of
        the last days. P1.5: monthly calls of the business customers."""
        Callback = self.env["aftersales.callback"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        )
        delay = timedelta(hours=self.company.aftersales_satisfaction_callback_hours)
        values = []
        for case in plan["cases"]:
            key = case["key"]
            if self.states[key] != "solved":
                continue
            ticket = self.tickets[key]
            planned = self.solved[key] + delay
            spec = case["callback"]
            done_at = planned + timedelta(minutes=spec["late"])
            if done_at > self.now - timedelta(days=2):
                continue  # the planner plans the recent ones
            vals = {
                "plan_key": f"ticket:{ticket.id}",
                "purpose": "satisfaction",
                "method": "phone",
                "company_id": self.company.id,
                "partner_id": ticket.partner_id.id,
                "ticket_id": ticket.id,
                "user_id": (ticket.user_id or ticket.team_id.leader_id).id,
                "planned_date": planned,
                "question": "Is the problem solved? How was our service?",
                "state": spec["outcome"],
            }
            if spec["outcome"] == "done":
                vals.update(done_at=done_at, answer=CALLBACK_ANSWERS[spec["answer"]])
                if spec["answer"] == 3:
                    vals.update(
                        follow_up_action="Call again in two weeks about the noise.",
                        follow_up_user_id=vals["user_id"],
                        follow_up_deadline=self.local_day(done_at) + timedelta(days=14),
                    )
            values.append(vals)
        # Monthly calls of the Strategic and Gold customers, 30-day periods (P1.5).
        for xmlid in (
            "res_partner_huaxin_demo",
            "res_partner_jingcheng_demo",
            "res_partner_jinling_demo",
        ):
            partner = self.ref(xmlid)
            owner = partner.aftersales_account_manager_id or partner.user_id
            for months in range(1, 6):
                planned = self.at(-30 * months + 3, 10, 0)
                period = (self.local_day(planned)).toordinal() // 30
                values.append(
                    {
                        "plan_key": f"periodic:{partner.id}:30:{period}",
                        "purpose": "periodic",
                        "method": "phone",
                        "company_id": self.company.id,
                        "partner_id": partner.id,
                        "user_id": owner.id,
                        "planned_date": planned,
                        "question": "How are the units working? Anything planned?",
                        "state": "done",
                        "done_at": planned + timedelta(minutes=25),
                        "answer": "All units work; the next order is planned for the new floor.",
                    }
                )
        self.callbacks = Callback.sudo().create(values)

    # ------------------------------------------------------------------
    # Contracts and the engines
    # ------------------------------------------------------------------
    def _apply_contracts(self):
        """P7: Joel Willis's care plan on his two air conditioners (Marc Demo's),
        and Tianfu's expired contract whose "Win Renewal" task outlived it: its
        notice went out 65 days ago, the task is overdue (P7.2, win back)."""
        Contract = self.env["aftersales.contract"]
        start = self.today - timedelta(days=110)
        care = Contract.create(
            {
                "partner_id": self.partners["portal"].id,
                "company_id": self.company.id,
                "user_id": self.env.ref("base.user_demo").id,
                "date_start": start,
                "date_end": start + relativedelta(years=1, days=-1),
                "labour_free": True,
                "parts_discount": 15,
                "visits_per_year": 1,
                "price": 680,
                "note": "<p>Home care plan: yearly cleaning of both air conditioners, "
                "labour included.</p>",
                "line_ids": [
                    Command.create(
                        {
                            "product_id": self.units[key]["product_rec"].id,
                            "lot_id": self.units[key]["lot"].id,
                        }
                    )
                    for key in ("pu_ac1", "pu_ac2")
                ],
            }
        )
        care.action_activate()
        tianfu = self.ref("aftersales_contract_tianfu_demo")
        if tianfu.state == "expired" and not tianfu.activity_ids:
            tianfu._schedule_renewal_activities()
            notice = self.at((tianfu.date_end - self.today).days - 30, 9, 0)
            tianfu.write({"reminder_date_end": tianfu.date_end, "reminder_sent_at": notice})
            tianfu.activity_ids.write({"date_deadline": self.local_day(notice) + timedelta(days=5)})

    def _apply_engines(self):
        """What the nightly jobs do on the history: grade the customers (P1.2), plan
        the callbacks owed (P1.5, P6.6) at 09:00 this morning, and escalate the
        overdue requests (P2.9, P6.4)."""
        Partner = self.env["res.partner"]
        self.env["aftersales.tier"]._recompute_tiers(self.company)
        # Every customer has a salesperson, who owns its callbacks (P1.5): Odoo's own
        # demo customers go to Marc Demo.
        Partner.search(
            [
                ("aftersales_tier_id", "!=", False),
                ("user_id", "=", False),
                ("aftersales_account_manager_id", "=", False),
                ("parent_id", "=", False),
            ]
        ).write({"user_id": self.env.ref("base.user_demo").id})
        planner = (
            self.env["aftersales.callback"]
            .with_company(self.company)
            .with_context(
                allowed_company_ids=[self.company.id],
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
            )
        )
        planner._plan_company_callbacks(self.company, now=self.at(0, 9, 0))
        self.env["aftersales.sla.policy"]._cron_escalate()

    # ------------------------------------------------------------------
    # The portal customer and the last steps
    # ------------------------------------------------------------------
    def summary(self):
        """Counts per model and state, for the log and the tests."""
        Ticket = self.env["aftersales.ticket"]
        result = {
            "tickets": {
                stage.name: count
                for stage, count in Ticket._read_group([], ["stage_id"], ["__count"])
            },
        }
        for model, name in (
            ("repair.order", "repairs"),
            ("aftersales.rma", "returns"),
            ("aftersales.feedback", "feedback"),
            ("aftersales.callback", "callbacks"),
            ("aftersales.contract", "contracts"),
        ):
            result[name] = dict(self.env[model]._read_group([], ["state"], ["__count"]))
        return result


class AftersalesDemo(models.AbstractModel):
    """Entry point of the demo history, called from ``demo/aftersales_history_demo.xml``."""

    _name = "aftersales.demo"
    _description = "After-Sales Demo History"

    @api.model
    def _generate_history(self, seed=DEMO_SEED, days=HISTORY_DAYS):
        """Give the demo company about ``days`` days of service history (issue 16).

        Deterministic: everything comes from ``random.Random(seed)`` and dates are
        relative to the company's day of the install (kept in the system parameter
        ``aftersales_service.demo_history_anchor``, with the plan's fingerprint in
        ``aftersales_service.demo_history_fingerprint``). Writes as superuser, the way
        the demo data loads; runs once, from the demo data. Returns the counts per
        model and state."""
        if not self.env.su:
            raise AccessError(self.env._("Only the demo data installs the demo history."))
        started = systime.time()
        history = DemoHistory(self.env, seed=seed, days=days)
        plan = history.plan()
        history.apply(plan)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(ANCHOR_PARAM, fields.Date.to_string(history.today))
        params.set_param(FINGERPRINT_PARAM, history.fingerprint(plan))
        summary = history.summary()
        _logger.info(
            "Demo history: %s cases in %.1f s (%s); %s",
            len(plan["cases"]),
            systime.time() - started,
            history.timings,
            summary,
        )
        return summary
