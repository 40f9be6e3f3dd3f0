"""Load benchmark of the customer portal (issue 14). Run by hand, never in CI:

    ./benchmarks/run.sh portal_load [--customers 10] [--requests 5] [--workers 2]

It prepares N portal customers in the throwaway database aftersales_bench (each its
own commercial partner, a contact and a portal user with a known password; a few
saleable products for the request form; three agents on the team the portal files
requests to, assigning round robin), commits, then starts an Odoo server on loopback
only (127.0.0.1, free ports, ``--workers 2``, no cron thread, log in
``.local/bench_portal_load-server.log``), waits for ``/web/health`` and warms it up
(not measured).

Then N customers run at the same time, each in its own thread and HTTP session, as
a browser would, without think time:

  * login         GET /web/login (CSRF token), POST /web/login, GET /my
  * per request   GET /my/service-requests/new (the form, its CSRF token and product
    (M times)     options), POST the form (subject, type, product, serial, purchase
                  date, order reference, phone, symptom, location, environment),
                  follow the redirect to the new request's page, /portal/chatter_init
                  and a reply through the portal chatter (/mail/message/post with
                  the page's access token, as the chatter's composer does)

Bounded: N x M <= --max-tickets, every HTTP call has a timeout (--timeout), and no
call starts after --time-limit seconds (the customers stop where they are).

It prints the calls sent per kind with successes, errors by status/reason, calls per
second overall and per kind, client latency p50/p95/max, the server's own view of
each route from its log (queries, SQL and Python time), the CPU time used by the
Odoo processes, PostgreSQL and this load generator, and the two checks, counted in
the database after the run: tickets created = create requests sent, replies stored
= replies sent. Exit status 1 when a check fails, 2 when the checks pass but some
calls failed.

Clean-up: the run's tickets (and their messages) are deleted at the end and the
team's assignment settings restored (--keep leaves the tickets for a look). The
customers, agents and products stay for the next run. The database is throwaway:
``./benchmarks/run.sh portal_load --reset-db`` drops and recreates it.
"""

import argparse
import os
import random
import re
import resource
import signal
import socket
import socketserver
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlparse

import psutil
import requests
from lxml import html

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.tools import SQL

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
SERVER_LOG = LOCAL / "bench_portal_load-server.log"
LOGIN_PREFIX = "bench_load_customer_"
AGENTS = 3
#: Setup only: no mail logs, trackers or invitation mails for the bench's own data.
FAST = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
}
PRODUCTS = [
    "Air Purifier AP-200",
    "Dehumidifier DH-35",
    "Robot Vacuum RV-9",
    "Water Heater WH-60",
    "Rice Cooker RC-5",
]
SYMPTOMS = [
    ("Does not start", "The power light blinks red and the fan never starts."),
    ("Loud noise", "A grinding noise since last week, louder on the highest speed."),
    ("Error code E4", "Shows E4 after ten minutes and stops; unplugging clears it."),
    ("Leaks water", "A puddle under the unit every morning since the filter change."),
    ("Remote not working", "The remote control no longer pairs; new batteries did not help."),
]
LOCATIONS = ["Control board", "Fan motor", "Water tank", "Display", "Power cord"]
ENVIRONMENTS = ["Office, air-conditioned", "Home, humid basement", "Shop floor, dusty"]
#: The request types a customer picks, most often a service request.
TYPE_WEIGHTS = {"service": 6, "consultation": 2, "complaint": 1, "suggestion": 1}
KINDS = ["login_page", "login", "home", "form", "create", "view", "chatter_init", "reply"]
PERCENTILES = (50, 95)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--customers", type=int, default=10, help="concurrent customers (N)")
    parser.add_argument("--requests", type=int, default=5, help="requests per customer (M)")
    parser.add_argument("--workers", type=int, default=2, help="Odoo HTTP workers")
    parser.add_argument(
        "--max-tickets", type=int, default=1000, help="refuse to run when N x M is larger"
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per HTTP call")
    parser.add_argument(
        "--time-limit", type=float, default=300.0, help="no call starts after this (seconds)"
    )
    parser.add_argument(
        "--assignment",
        choices=["manual", "round_robin", "least_open"],
        default="round_robin",
        help="assignment method of the portal's team during the run",
    )
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--keep", action="store_true", help="keep the run's tickets")
    args = parser.parse_args()
    if not 1 <= args.customers <= 200:
        parser.error("--customers must be between 1 and 200")
    if args.requests < 1 or args.customers * args.requests > args.max_tickets:
        parser.error(
            f"{args.customers} x {args.requests} requests is more than --max-tickets "
            f"{args.max_tickets}"
        )
    return args


# ----------------------------------------------------------------------
# Setup (not measured)
# ----------------------------------------------------------------------
def portal_team(env):
    """The team the portal files requests to: the ticket's default team."""
    team = env["aftersales.ticket"]._default_team_id()
    if not team:
        raise SystemExit("no after-sales team: the portal has nowhere to file requests")
    return team


def ensure_agents(env):
    Users = env["res.users"].with_context(**FAST)
    group_ids = [
        env.ref("base.group_user").id,
        env.ref("aftersales_service.group_aftersales_user").id,
    ]
    agents = Users.browse()
    for index in range(1, AGENTS + 1):
        login = f"bench_load_agent_{index}"
        agent = Users.search([("login", "=", login)])
        if not agent:
            agent = Users.create(
                {
                    "name": f"Bench Load Agent {index}",
                    "login": login,
                    "email": f"{login}@example.com",
                    "company_id": env.company.id,
                    "company_ids": [Command.set(env.company.ids)],
                    "groups_id": [Command.set(group_ids)],
                }
            )
        agents |= agent
    return agents


def ensure_products(env):
    Product = env["product.product"].with_context(**FAST)
    products = Product.browse()
    for name in PRODUCTS:
        product = Product.search([("name", "=", name), ("default_code", "=like", "LOAD-%")])
        if not product:
            product = Product.create(
                {
                    "name": name,
                    "default_code": f"LOAD-{name.split()[-1]}",
                    "type": "consu",
                    "sale_ok": True,
                }
            )
        products |= product
    return products


def ensure_customers(env, count):
    """``count`` portal users, each the contact of its own company partner."""
    Partner = env["res.partner"].with_context(**FAST)
    Users = env["res.users"].with_context(**FAST)
    portal = env.ref("base.group_portal")
    existing = {
        user.login: user
        for user in Users.with_context(active_test=False).search(
            [("login", "=like", f"{LOGIN_PREFIX}%")]
        )
    }
    logins = []
    for index in range(1, count + 1):
        login = f"{LOGIN_PREFIX}{index:03d}"
        if login not in existing:
            company = Partner.create(
                {
                    "name": f"Bench Load Customer {index:03d} Ltd",
                    "is_company": True,
                    "customer_rank": 1,
                    "ref": "bench-load",
                }
            )
            contact = Partner.create(
                {
                    "name": f"Bench Load Contact {index:03d}",
                    "parent_id": company.id,
                    "email": f"{login}@example.com",
                    "phone": f"+86 571 8{index:03d} {index:04d}",
                }
            )
            Users.create(
                {
                    "login": login,
                    "password": password_of(login),
                    "partner_id": contact.id,
                    "groups_id": [Command.set(portal.ids)],
                }
            )
        logins.append(login)
    return logins


def password_of(login):
    return f"{login}-pw"


def setup(registry, args):
    """Create what the portal needs (committed) and configure the portal's team."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        team = portal_team(env)
        agents = ensure_agents(env)
        products = ensure_products(env)
        logins = ensure_customers(env, args.customers)
        saved = {
            "member_ids": [Command.set(team.member_ids.ids)],
            "assignment_method": team.assignment_method,
        }
        team.write(
            {
                "member_ids": [Command.link(agent.id) for agent in agents],
                "assignment_method": args.assignment,
            }
        )
        info = {
            "team": team.display_name,
            "team_id": team.id,
            "agents": len(agents),
            "products": len(products),
            "offered": env["product.product"].search_count([("sale_ok", "=", True)]),
        }
    return logins, saved, info


def restore_team(registry, team_id, saved):
    with registry.cursor() as cr:
        api.Environment(cr, SUPERUSER_ID, {})["aftersales.team"].browse(team_id).write(saved)


# ----------------------------------------------------------------------
# The server
# ----------------------------------------------------------------------
def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """An Odoo server on loopback with prefork workers, stopped by ``stop()``."""

    def __init__(self, args, smtp_port):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        SERVER_LOG.parent.mkdir(parents=True, exist_ok=True)
        SERVER_LOG.write_text("")
        command = [
            sys.executable,
            "-m",
            "odoo",
            "server",
            "-c",
            args.config,
            "-d",
            args.db,
            f"--db-filter=^{re.escape(args.db)}$",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",
            f"--workers={args.workers}",
            "--max-cron-threads=0",
            "--no-database-list",
            "--smtp=127.0.0.1",
            f"--smtp-port={smtp_port}",
            f"--logfile={SERVER_LOG}",
            "--log-level=info",
        ]
        # Its own session: a Ctrl+C in the terminal reaches this script, which then
        # stops the server and its workers itself.
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_healthy(self, timeout=180.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the server exited ({self.process.returncode}); last lines of "
                    f"{SERVER_LOG}:\n{tail(SERVER_LOG)}"
                )
            try:
                response = requests.get(f"{self.url}/web/health", timeout=5)
                if response.status_code == 200 and response.json().get("status") == "pass":
                    return
            except (requests.RequestException, ValueError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"no /web/health after {timeout:.0f} s:\n{tail(SERVER_LOG)}")

    def processes(self):
        try:
            master = psutil.Process(self.process.pid)
            return [master, *master.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def stop(self):
        if self.process.poll() is not None:
            return
        start = time.perf_counter()
        # SIGTERM: the prefork master stops its workers (each finishes the request
        # it is serving) and exits.
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
            print(f"server killed: not stopped 30 s after SIGTERM; see {SERVER_LOG}")
        else:
            print(f"server stopped in {time.perf_counter() - start:.1f} s")


class SmtpSink(socketserver.ThreadingTCPServer):
    """A loopback SMTP server that accepts every e-mail and only counts it, so that
    the server sends its notifications as in production instead of failing fast."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        self.port = self.server_address[1]
        self.messages = 0
        self.lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def close(self):
        self.shutdown()
        self.server_close()


class SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 bench-sink ESMTP")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.reply("250-bench-sink\r\n250-8BITMIME\r\n250 SMTPUTF8")
            elif verb == b"DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                while (data := self.rfile.readline()) and data.rstrip(b"\r\n") != b".":
                    pass
                with self.server.lock:
                    self.server.messages += 1
                self.reply("250 Queued")
            elif verb == b"QUIT":
                self.reply("221 Bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self.reply("250 OK")


def tail(path, lines=30):
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# ----------------------------------------------------------------------
# CPU accounting
# ----------------------------------------------------------------------
def cpu_of(processes):
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def postgres_processes(registry):
    """The postmaster and its backends, when the server is local and readable."""
    try:
        with registry.cursor() as cr:
            cr.execute("SHOW data_directory")
            data_dir = Path(cr.fetchone()[0])
        master = psutil.Process(int((data_dir / "postmaster.pid").read_text().split()[0]))
        return [master, *master.children()]
    except (OSError, ValueError, psutil.Error, odoo.exceptions.UserError):
        # An external or unreadable server: no PostgreSQL figures.
        return []


def listen_overflows():
    """TcpExt ListenOverflows of this network namespace (0 when unreadable)."""
    try:
        lines = Path("/proc/net/netstat").read_text().splitlines()
    except OSError:
        return 0
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if names.startswith("TcpExt:"):
            counters = dict(zip(names.split()[1:], values.split()[1:], strict=True))
            return int(counters.get("ListenOverflows", 0))
    return 0


def self_cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# ----------------------------------------------------------------------
# The customers
# ----------------------------------------------------------------------
class Stop(Exception):
    """The time limit passed or the run was interrupted: send nothing more."""


class Failure(Exception):
    """A call failed; the customer does not go on with the request it was making."""


class Recorder:
    def __init__(self, customers, deadline, stop_event, on_logged_in):
        self.lock = threading.Lock()
        self.calls = []  # (kind, ok, reason, seconds)
        self.deadline = deadline
        self.stop_event = stop_event
        self.tickets = []  # ids the server redirected to
        self.messages = []  # reply message ids
        # The requests start when every customer has logged in (or failed to): a
        # login costs a password hash, which would blur the request figures. The
        # action runs in the last customer to arrive, before the others go on.
        self.barrier = threading.Barrier(customers, action=on_logged_in)

    def wait_for_the_others(self):
        try:
            self.barrier.wait(max(0.0, self.deadline - time.monotonic()))
        except threading.BrokenBarrierError:
            self.stop_event.set()

    def check_budget(self):
        if self.stop_event.is_set() or time.monotonic() > self.deadline:
            raise Stop()

    def add(self, kind, ok, reason, seconds):
        with self.lock:
            self.calls.append((kind, ok, reason, seconds))


class Customer:
    def __init__(self, index, login, args, base_url, recorder, tag):
        self.index = index
        self.login = login
        self.args = args
        self.base_url = base_url
        self.recorder = recorder
        self.tag = tag
        self.random = random.Random(args.seed * 1000 + index)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "aftersales-bench-portal-load"
        self.rpc_id = 0

    # -- HTTP ----------------------------------------------------------
    def call(self, kind, method, path, expect=(200,), **kwargs):
        self.recorder.check_budget()
        url = urljoin(self.base_url, path)
        start = time.perf_counter()
        try:
            response = self.session.request(
                method,
                url,
                # As a browser, wait as long to connect as to read: with every worker
                # busy, a connection waits in the listen queue (8 per worker).
                timeout=(self.args.timeout, self.args.timeout),
                allow_redirects=False,
                **kwargs,
            )
        except requests.ConnectTimeout:
            self.fail(kind, start, "connect timeout")
        except requests.ReadTimeout:
            self.fail(kind, start, "read timeout")
        except requests.RequestException as error:
            self.fail(kind, start, f"{type(error).__name__}")
        if response.status_code not in expect:
            self.fail(kind, start, f"HTTP {response.status_code}")
        return response, start

    def done(self, kind, start):
        self.recorder.add(kind, True, "", time.perf_counter() - start)

    def fail(self, kind, start, reason):
        self.recorder.add(kind, False, reason, time.perf_counter() - start)
        raise Failure(f"{kind}: {reason}")

    def jsonrpc(self, kind, path, params):
        self.rpc_id += 1
        response, start = self.call(
            kind,
            "POST",
            path,
            json={"jsonrpc": "2.0", "method": "call", "params": params, "id": self.rpc_id},
        )
        try:
            payload = response.json()
        except ValueError:
            self.fail(kind, start, "not JSON")
        if "error" in payload:
            data = payload["error"].get("data") or {}
            self.fail(kind, start, f"RPC {data.get('name') or payload['error'].get('message')}")
        self.done(kind, start)
        return payload.get("result")

    def page(self, kind, path):
        response, start = self.call(kind, "GET", path)
        self.done(kind, start)
        return html.fromstring(response.content)

    # -- The customer's visit -------------------------------------------
    def run(self):
        try:
            try:
                self.log_in()
            finally:
                self.recorder.wait_for_the_others()
            for number in range(1, self.args.requests + 1):
                try:
                    self.file_request(number)
                except Failure:
                    continue  # the next request, as a customer would try again
        except (Failure, Stop):
            pass

    def log_in(self):
        page = self.page("login_page", "/web/login")
        token = page.xpath("//form//input[@name='csrf_token']/@value")
        response, start = self.call(
            "login",
            "POST",
            "/web/login",
            expect=(303,),
            data={
                "csrf_token": token[0] if token else "",
                "login": self.login,
                "password": password_of(self.login),
                "redirect": "",
            },
        )
        location = urlparse(response.headers.get("Location", "")).path
        if location.startswith("/web/login"):
            self.fail("login", start, "refused")
        self.done("login", start)
        self.page("home", location or "/my")

    def file_request(self, number):
        form = self.page("form", "/my/service-requests/new")
        token = form.xpath(
            "//form[hasclass('o_aftersales_service_request_form')]"
            "//input[@name='csrf_token']/@value"
        )
        products = form.xpath("//select[@name='product_id']/option[@value!='']")
        bench_products = [o.get("value") for o in products if "LOAD-" in (o.text or "")]
        choices = bench_products or [o.get("value") for o in products]
        types = form.xpath("//select[@name='ticket_type']/option/@value")
        weights = [TYPE_WEIGHTS.get(value, 1) for value in types]
        subject, symptom = self.random.choice(SYMPTOMS)
        reference = f"LOAD-{self.tag}-{self.index:03d}-{number:03d}"
        response, start = self.call(
            "create",
            "POST",
            "/my/service-requests/new",
            expect=(200, 303),
            data={
                "csrf_token": token[0] if token else "",
                "subject": subject,
                "ticket_type": self.random.choices(types, weights)[0] if types else "service",
                "product_id": self.random.choice(choices) if choices else "",
                "serial_number": f"SN{self.random.randrange(10**8):08d}",
                "purchase_date": (
                    date.today() - timedelta(days=self.random.randrange(3, 700))
                ).isoformat(),
                "order_reference": reference,
                "partner_phone": f"+86 571 8{self.index:03d} {number:04d}",
                "fault_symptom": symptom,
                "fault_location": self.random.choice(LOCATIONS),
                "usage_environment": self.random.choice(ENVIRONMENTS),
            },
        )
        location = response.headers.get("Location", "")
        match = re.search(r"/my/service-requests/(\d+)", urlparse(location).path)
        if response.status_code != 303 or not match:
            # The form came back: the server refused the values.
            errors = html.fromstring(response.content).xpath(
                "//*[@id='service_request_errors']//li/text()"
            )
            self.fail("create", start, f"form refused: {'; '.join(errors)[:80]}")
        self.done("create", start)
        ticket_id = int(match.group(1))
        with self.recorder.lock:
            self.recorder.tickets.append(ticket_id)

        # The browser follows the redirect; the page's chatter then loads and the
        # customer replies through its composer.
        page = self.page("view", location)
        chatter = page.xpath("//div[hasclass('o_portal_chatter')]")
        attrs = chatter[0].attrib if chatter else {}
        security = {
            key: value
            for key, value in (
                ("token", attrs.get("data-token")),
                ("hash", attrs.get("data-hash")),
                ("pid", int(attrs["data-pid"]) if attrs.get("data-pid") else None),
            )
            if value
        }
        self.jsonrpc(
            "chatter_init",
            "/portal/chatter_init",
            {"thread_model": "aftersales.ticket", "thread_id": ticket_id, **security},
        )
        result = self.jsonrpc(
            "reply",
            "/mail/message/post",
            {
                "thread_model": "aftersales.ticket",
                "thread_id": ticket_id,
                "post_data": {
                    "body": f"Photos of the fault follow; reference {reference}. "
                    "I am at home every afternoon this week.",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
                **security,
            },
        )
        message_ids = [m["id"] for m in (result or {}).get("mail.message", [])]
        with self.recorder.lock:
            self.recorder.messages.extend(message_ids)


def warm_up(base_url, login, timeout):
    """Load both workers' registries and the frontend pages once (not measured)."""
    start = time.perf_counter()
    for _ in range(4):
        requests.get(f"{base_url}/web/login", timeout=timeout)
    session = requests.Session()
    page = html.fromstring(session.get(f"{base_url}/web/login", timeout=timeout).content)
    session.post(
        f"{base_url}/web/login",
        data={
            "csrf_token": page.xpath("//form//input[@name='csrf_token']/@value")[0],
            "login": login,
            "password": password_of(login),
        },
        timeout=timeout,
    )
    for path in ("/my", "/my/service-requests", "/my/service-requests/new") * 2:
        session.get(f"{base_url}{path}", timeout=timeout).raise_for_status()
    return time.perf_counter() - start


# ----------------------------------------------------------------------
# Results
# ----------------------------------------------------------------------
def percentile(values, pct):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))]


LOGIN_KINDS = ("login_page", "login", "home")


def print_calls(calls, walls):
    """One row per kind; calls per second over the phase the kind belongs to."""
    by_kind = defaultdict(list)
    for call in calls:
        by_kind[call[0]].append(call)
    print(
        f"{'kind':<15}{'sent':>6}{'ok':>6}{'errors':>7}{'per s':>8}"
        f"{'p50 s':>8}{'p95 s':>8}{'max s':>8}"
    )
    login_calls = [call for call in calls if call[0] in LOGIN_KINDS]
    request_calls = [call for call in calls if call[0] not in LOGIN_KINDS]
    rows = [(kind, by_kind.get(kind, []), walls[kind in LOGIN_KINDS]) for kind in KINDS]
    rows += [
        ("login phase", login_calls, walls[True]),
        ("request phase", request_calls, walls[False]),
        ("all", calls, walls[True] + walls[False]),
    ]
    for kind, rows_of_kind, wall in rows:
        if not rows_of_kind:
            continue
        seconds = [row[3] for row in rows_of_kind]
        ok = sum(1 for row in rows_of_kind if row[1])
        print(
            f"{kind:<15}{len(rows_of_kind):>6}{ok:>6}{len(rows_of_kind) - ok:>7}"
            f"{len(rows_of_kind) / max(wall, 1e-9):>8.2f}{percentile(seconds, 50):>8.3f}"
            f"{percentile(seconds, 95):>8.3f}{max(seconds):>8.3f}"
        )
    errors = Counter((row[0], row[2]) for row in calls if not row[1])
    if errors:
        print("errors by kind and reason:")
        for (kind, reason), count in errors.most_common():
            print(f"  {count:>5} x {kind}: {reason}")
    else:
        print("errors: none")


LOG_LINE = re.compile(
    r"^\S+ \S+ (?P<pid>\d+) (?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>\S+): (?P<message>.*)$"
)
ACCESS = re.compile(
    r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d+) \S+ '
    r"(?P<queries>\d+) (?P<sql>[\d.]+) (?P<python>[\d.]+)"
)


def route_of(path):
    path = urlparse(path).path
    return re.sub(r"/\d+", "/<id>", path)


RETRY = re.compile(
    r"^(?P<code>[A-Z_]+), (\d+ tries left, try again in (?P<wait>[\d.]+) sec|maximum)"
)


LOGIN_ROUTES = {("GET", "/web/login"), ("POST", "/web/login"), ("GET", "/my")}


def analyse_server_log(start_offset, wall, workers):
    """Per route: calls, status, queries, SQL and Python time as the server logged
    them; the workers' busy time; serialization retries and their sleeps."""
    with SERVER_LOG.open(errors="replace") as log:
        log.seek(start_offset)
        lines = log.read().splitlines()
    routes = defaultdict(list)
    problems = Counter()
    retries = Counter()
    retry_sleep = 0.0
    tracebacks = []
    for number, line in enumerate(lines):
        match = LOG_LINE.match(line)
        if not match:
            if line.startswith("Traceback") and len(tracebacks) < 3:
                tracebacks.append("\n".join(lines[max(0, number - 1) : number + 40]))
            continue
        message = match["message"]
        if match["logger"] == "werkzeug":
            access = ACCESS.search(message)
            if access:
                routes[(access["method"], route_of(access["path"]))].append(
                    (
                        int(access["status"]),
                        int(access["queries"]),
                        float(access["sql"]),
                        float(access["python"]),
                    )
                )
            continue
        if retry := RETRY.match(message):
            retries[retry["code"] if retry["wait"] else f"{retry['code']} given up"] += 1
            retry_sleep += float(retry["wait"] or 0)
        if match["level"] in ("WARNING", "ERROR", "CRITICAL"):
            problems[f"{match['level']} {match['logger']}: {message[:110]}"] += 1
    print(
        f"{'server: route':<36}{'calls':>6}{'status':>9}{'queries':>8}{'SQL s':>7}"
        f"{'Py s':>7}{'p50 s':>7}{'p95 s':>7}{'busy s':>8}"
    )
    busy = request_busy = 0.0
    for (method, route), rows in sorted(routes.items(), key=lambda item: -len(item[1])):
        statuses = Counter(row[0] for row in rows)
        totals = [row[2] + row[3] for row in rows]
        busy += sum(totals)
        if (method, route) not in LOGIN_ROUTES:
            request_busy += sum(totals)
        print(
            f"{method + ' ' + route:<36}{len(rows):>6}"
            f"{','.join(f'{s}:{c}' for s, c in sorted(statuses.items())):>9}"
            f"{statistics.mean(row[1] for row in rows):>8.0f}"
            f"{statistics.mean(row[2] for row in rows):>7.3f}"
            f"{statistics.mean(row[3] for row in rows):>7.3f}"
            f"{percentile(totals, 50):>7.3f}{percentile(totals, 95):>7.3f}{sum(totals):>8.1f}"
        )
    print(
        "  (in the worker, from the access log: queries, SQL and Python time are means per "
        "call, Python time includes retry sleeps; p50/p95 of their sum; busy = the sum)"
    )
    print(
        f"workers busy: {busy:.1f} s of {wall * workers:.1f} s ({workers} workers x {wall:.1f} s"
        f" wall) = {busy / max(wall * workers, 1e-9):.0%}"
    )
    if retries:
        print(
            "serialization retries: "
            + ", ".join(f"{code} x{count}" for code, count in retries.items())
            + f"; {retry_sleep:.1f} s slept by workers before retrying"
        )
    else:
        print("serialization retries: none")
    if problems:
        print("server warnings and errors:")
        for message, count in problems.most_common(10):
            print(f"  {count:>5} x {message}")
    for traceback in tracebacks:
        print("--- server traceback ---")
        print(traceback)
    return request_busy


def count_in_database(registry, tag, partner_ids):
    with registry.cursor() as cr:
        cr.execute(
            SQL(
                "SELECT count(*), least(count(DISTINCT order_reference), count(DISTINCT name)),"
                " array_agg(id)"
                " FROM aftersales_ticket WHERE order_reference LIKE %s",
                f"LOAD-{tag}-%",
            )
        )
        tickets, distinct, ticket_ids = cr.fetchone()
        cr.execute(
            SQL(
                "SELECT count(*) FROM mail_message WHERE model = 'aftersales.ticket'"
                " AND res_id = ANY(%s) AND message_type = 'comment' AND author_id = ANY(%s)"
                " AND body::text LIKE %s",
                ticket_ids or [],
                partner_ids,
                f"%LOAD-{tag}-%",
            )
        )
        replies = cr.fetchone()[0]
    return tickets, distinct, ticket_ids or [], replies


def clean_up(registry, partner_ids):
    """Delete the bench customers' load tickets: this run's and any left by an
    earlier run with --keep or killed before its clean-up."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        tickets = env["aftersales.ticket"].search(
            [("order_reference", "=like", "LOAD-%"), ("partner_id", "in", partner_ids)]
        )
        tickets.unlink()
        return len(tickets)


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------
def interrupt(signum, frame):
    """SIGTERM as Ctrl+C: stop the customers and the server, clean up."""
    raise KeyboardInterrupt()


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_load(server, registry, args, logins, tag, stop_event):
    """The N customers at once; returns the recorder, phase walls and CPU seconds."""
    pg = postgres_processes(registry)

    def cpu():
        return (cpu_of(server.processes()), cpu_of(pg), self_cpu())

    marks = {}
    recorder = Recorder(
        len(logins),
        time.monotonic() + args.time_limit,
        stop_event,
        on_logged_in=lambda: marks.update(logged_in=(time.perf_counter(), cpu())),
    )
    customers = [
        Customer(index, login, args, server.url, recorder, tag)
        for index, login in enumerate(logins, 1)
    ]
    threads = [threading.Thread(target=c.run, daemon=True) for c in customers]
    start = (time.perf_counter(), cpu())
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.5)
    finally:
        stop_event.set()
        recorder.barrier.abort()
    end = (time.perf_counter(), cpu())
    middle = marks.get("logged_in", end)
    walls = {True: middle[0] - start[0], False: end[0] - middle[0]}
    cpus = {
        True: [b - a for a, b in zip(start[1], middle[1], strict=True)],
        False: [b - a for a, b in zip(middle[1], end[1], strict=True)],
    }
    return recorder, walls, cpus


def print_cpu(walls, cpus):
    for login_phase, label in ((True, "login phase"), (False, "request phase")):
        odoo_cpu, pg_cpu, client_cpu = cpus[login_phase]
        wall = max(walls[login_phase], 1e-9)
        print(
            f"CPU, {label:<13}: Odoo {odoo_cpu:6.1f} s, PostgreSQL {pg_cpu:5.1f} s, "
            f"load generator {client_cpu:5.1f} s over {wall:6.1f} s wall = "
            f"{(odoo_cpu + pg_cpu + client_cpu) / wall:.2f} of {os.cpu_count()} CPUs"
        )


def check(registry, args, recorder, tag, partner_ids):
    calls = recorder.calls
    creates = [call for call in calls if call[0] == "create"]
    replies = [call for call in calls if call[0] == "reply"]
    created_ok = sum(1 for call in creates if call[1])
    replies_ok = sum(1 for call in replies if call[1])
    tickets, distinct, _ids, stored = count_in_database(registry, tag, partner_ids)
    checks = [
        (
            "tickets created = requests sent",
            tickets == len(creates),
            f"{tickets} in the database, {len(creates)} create requests sent "
            f"({created_ok} answered with the new request's page)",
        ),
        (
            "replies stored = replies sent",
            stored == len(replies),
            f"{stored} in the database, {len(replies)} sent ({replies_ok} answered)",
        ),
        (
            "no duplicate ticket",
            distinct == tickets and len(set(recorder.tickets)) == len(recorder.tickets),
            f"{distinct} distinct order references and numbers for {tickets} tickets",
        ),
    ]
    for label, ok, detail in checks:
        print(f"check {'PASS' if ok else 'FAIL'}: {label}: {detail}")
    if not all(ok for _, ok, _ in checks):
        return 1
    if any(not call[1] for call in calls) or len(creates) < args.customers * args.requests:
        print("some calls failed or were not sent (see the errors above)")
        return 2
    return 0


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db, "--log-level=warn"])
    registry = Registry(args.db)
    if "aftersales.ticket" not in registry:
        raise SystemExit(f"{args.db} has no service desk: run ./benchmarks/run.sh --reset-db")
    tag = time.strftime("%Y%m%d%H%M%S")
    started = time.perf_counter()
    logins, saved, info = setup(registry, args)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        partner_ids = env["res.users"].search([("login", "in", logins)]).partner_id.ids
    print(
        f"data: {len(logins)} portal customers, {info['agents']} agents on team "
        f"{info['team']!r} ({args.assignment}), {info['products']} bench products "
        f"({info['offered']} offered on the form); ready in {time.perf_counter() - started:.1f} s"
    )
    print(
        f"load: {args.customers} customers x {args.requests} requests, {args.workers} workers, "
        f"timeout {args.timeout:.0f} s per call, time limit {args.time_limit:.0f} s; "
        f"tag LOAD-{tag}; {os.cpu_count()} CPUs, load average {load_average()}"
    )

    server = sink = None
    stop_event = threading.Event()
    previous_sigterm = signal.signal(signal.SIGTERM, interrupt)
    # Ctrl+C stops the run even when the shell started it with SIGINT ignored.
    previous_sigint = signal.signal(signal.SIGINT, signal.default_int_handler)
    status = 0
    try:
        sink = SmtpSink()
        server = Server(args, sink.port)
        server.wait_healthy()
        print(f"server: {server.url} (pid {server.process.pid}), log {SERVER_LOG}")
        print(f"warm-up: {warm_up(server.url, logins[0], 180):.1f} s (not measured)")
        log_offset = SERVER_LOG.stat().st_size
        overflows_before = listen_overflows()
        mails_before = sink.messages

        recorder, walls, cpus = run_load(server, registry, args, logins, tag, stop_event)
        time.sleep(1)  # the last access lines reach the log
        calls = recorder.calls
        print(
            f"\nlogin phase {walls[True]:.1f} s, request phase {walls[False]:.1f} s, "
            f"{len(calls)} calls; load average now {load_average()}"
        )
        print_calls(calls, walls)
        print_cpu(walls, cpus)
        created = sum(1 for call in calls if call[0] == "create" and call[1])
        replied = sum(1 for call in calls if call[0] == "reply" and call[1])
        print(
            f"throughput (request phase): {created / max(walls[False], 1e-9):.2f} requests "
            f"filed per s, {replied / max(walls[False], 1e-9):.2f} replies per s; "
            f"{sink.messages - mails_before} e-mails delivered to the loopback SMTP sink"
        )
        print()
        request_busy = analyse_server_log(log_offset, walls[True] + walls[False], args.workers)
        odoo_cpu, pg_cpu, client_cpu = cpus[False]
        per = max(created, 1)
        print(
            f"per filed request (form, create, page, chatter, reply): worker time "
            f"{request_busy / per:.2f} s, CPU: Odoo {odoo_cpu / per:.2f} s, PostgreSQL "
            f"{pg_cpu / per:.2f} s, load generator {client_cpu / per:.2f} s"
        )
        overflows = listen_overflows() - overflows_before
        print(
            f"kernel listen-queue overflows during the run: {overflows} (a connection found "
            f"the listen queue full, 8 per worker, and TCP had to retry it)"
        )
        print()
        status = check(registry, args, recorder, tag, partner_ids)
    except KeyboardInterrupt:
        print("\ninterrupted: stopping the server", file=sys.stderr)
        status = 130
    finally:
        stop_event.set()
        if server:
            server.stop()
        if sink:
            sink.close()
        signal.signal(signal.SIGTERM, previous_sigterm)
        signal.signal(signal.SIGINT, previous_sigint)
        restore_team(registry, info["team_id"], saved)
        if args.keep:
            kept = count_in_database(registry, tag, partner_ids)[0]
            print(f"kept {kept} tickets (order references LOAD-{tag}-*); team settings restored")
        else:
            deleted = clean_up(registry, partner_ids)
            print(f"clean-up: deleted {deleted} load tickets; team settings restored")
    sys.exit(status)


if __name__ == "__main__":
    main()
