"""Issue 14: every cron of the suite that sends or creates something, run twice at
the same moment in two real database transactions, sends and creates nothing twice
— and the two runs together (with the next run the scheduler makes when one of
them lost the race) do all the work.

How the two runs are made
    Each worker is a thread of its own with a real cursor from
    ``odoo.sql_db.db_connect(dbname)`` (not the test cursor, which TransactionCase
    and HttpCase share, nor ``registry.cursor()``, which HttpCase turns into that
    test cursor) and its own ``api.Environment`` as the cron's user (superuser).
    Both wait at a ``threading.Barrier``, then run the cron's server action (the
    code of its ``ir.cron`` record) the way ``ir.cron._run_job`` does: run, flush,
    commit, and again at once while the job reports through the progress API that
    it did something and something remains (at most ``MAX_BATCH_PER_CRON_JOB``
    times). The worker threads have no ``testing`` attribute, so the code under
    test behaves as in a cron worker: the contract cron commits each batch.

    Where a cron reads what to do and then writes, most cases add a second meeting
    point just before the first write (the claim, the INSERT), so that both workers
    have read the same work before either writes: the worst interleaving, every
    time, instead of whatever the scheduler of the machine gives.

What a losing worker may do
    Roll back with a serialization failure or a deadlock (PostgreSQL aborts one
    of two REPEATABLE READ transactions writing the same rows), or with a unique
    violation where a UNIQUE constraint is the guard (one feedback request per
    source, one callback per plan key). Odoo's cron runner logs such a job as
    failed, rolls it back and runs it again at its next call (at once when some
    progress was committed); RPCs retry the same errors. The test does the same:
    when a worker lost, it runs the cron once more, as the next call would, and
    then checks that everything was done exactly once. Any other error fails.

Isolation and cleanup
    The database is the shared test database (demo data, e2e layer), so the test
    works in a company of its own and leaves the database as it found it: the
    crons are run for that company only (``res.company`` searches of the cron are
    narrowed by a context key the workers carry; the demo companies' own tickets
    would otherwise be escalated for real), every record the ORM inserts while the
    class runs is recorded and deleted afterwards with a real cursor (each test's
    records after the test, the company and its configuration at the end of the
    class, also when a test fails or the set-up breaks), the tier notes the
    engine inserts in SQL are deleted, and the per-company values it writes on
    the customers shared by all companies are removed. No e-mail leaves: the
    crons queue theirs (checked), the mail queue is not run, and any SMTP
    connection or send fails the test.
"""

import logging
import sys
import threading
import traceback
import unittest
import uuid
from collections import Counter
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from unittest.mock import patch

import psycopg2
from psycopg2 import errorcodes

from odoo import SUPERUSER_ID, Command, api, fields, models, sql_db
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.aftersales_service.models.res_partner import ENGINE_COLUMNS
from odoo.addons.base.models.ir_cron import MAX_BATCH_PER_CRON_JOB

_logger = logging.getLogger(__name__)

#: Records per cron: enough for several batches and real contention, small enough
#: for a run of seconds.
RECORDS = 30
#: Contracts sent per committed batch in the contract cases (3 batches of 30).
CONTRACT_BATCH = 10
#: Errors a worker that lost the race may roll back with (see the module docstring).
LOST_RACE = {errorcodes.SERIALIZATION_FAILURE, errorcodes.DEADLOCK_DETECTED}
LOST_RACE_UNIQUE = LOST_RACE | {errorcodes.UNIQUE_VIOLATION}
#: Context key of the workers: the companies the crons' ``res.company`` searches see.
COMPANY_SCOPE = "aftersales_cron_race_companies"
#: Marks the real cursors of the test: what the ORM inserts through them is deleted.
CURSOR_MARK = "_aftersales_cron_race"
WORKER_PREFIX = "cron-race-"
#: Seconds a worker waits for the other at the start and at a meeting point, waits
#: for a row lock, and the test waits for the workers.
START_TIMEOUT = 60
MEETING_TIMEOUT = 5
LOCK_TIMEOUT = "60s"
JOIN_TIMEOUT = 120
SETUP_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
}


class _WorkerQueryLog(logging.Filter):
    """A worker that loses the race fails one query, which ``odoo.sql_db`` logs as
    an error ("bad query"): Odoo's runner would count it as a failure. The worker
    keeps the exception and the test judges it; the log line is dropped here."""

    def filter(self, record):
        return not (
            record.threadName.startswith(WORKER_PREFIX)
            and record.getMessage().startswith("bad query")
        )


@tagged("post_install", "-at_install", "aftersales", "aftersales_server")
class TestCronConcurrency(TransactionCase):
    # ------------------------------------------------------------------
    # Set-up and cleanup of the committed data
    # ------------------------------------------------------------------
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.registry.ready:
            # At install (at_install) the registry is still loading: the crons'
            # models and data are not all there yet.
            raise unittest.SkipTest("needs a loaded registry (the test is post_install)")
        cls.dbname = cls.registry.db_name
        cls.created = []  # [(model, ids)] in the order the ORM inserted them
        cls.created_lock = threading.Lock()
        cls.progress = {}  # worker: (done, remaining) last reported by the cron
        cls.smtp_calls = []
        cls.company_id = None
        cls._start_class_patchers()
        # Registered before anything is committed: runs even if the set-up breaks.
        cls.addClassCleanup(cls._class_cleanup)
        with cls.committed_env() as env:
            cls.message_watermark = env.execute_query(SQL("SELECT max(id) FROM mail_message"))[0][0]
            cls.engine_nulls = {
                fname: {
                    row[0]
                    for row in env.execute_query(
                        SQL("SELECT id FROM res_partner WHERE %s IS NULL", SQL.identifier(fname))
                    )
                }
                for fname in ENGINE_COLUMNS
            }
            superuser = env["res.users"].browse(SUPERUSER_ID)
            cls.superuser_stamps = {
                table: env.execute_query(
                    SQL(
                        "SELECT write_date, write_uid FROM %s WHERE id = %s",
                        SQL.identifier(table),
                        row_id,
                    )
                )[0]
                for table, row_id in (
                    ("res_users", superuser.id),
                    ("res_partner", superuser.partner_id.id),
                )
            }
            cls.superuser_partner_id = superuser.partner_id.id
        cls.tag = uuid.uuid4().hex[:8]
        Company = cls.registry["res.company"]
        with (
            # Stock gives every other company's partner an inter-company location
            # for a new company (a write on the demo companies' partners and their
            # contacts): the test company sells nothing between companies.
            patch.object(
                Company, "_set_per_company_inter_company_locations", lambda self, location: None
            ),
            cls.committed_env() as env,
        ):
            company = env["res.company"].create(
                {
                    "name": f"Cron Concurrency {cls.tag}",
                    "currency_id": env.ref("base.USD").id,
                    "email": f"cron-race-{cls.tag}@example.com",
                }
            )
            cls.company_id, cls.company_name = company.id, company.name
            company.resource_calendar_id.tz = "Asia/Shanghai"
            cls.leader = env.ref("base.user_admin")
            cls.manager = env.ref("base.user_root")
            team = env["aftersales.team"].create(
                {
                    "name": f"Race Team {cls.tag}",
                    "company_id": company.id,
                    "resource_calendar_id": company.resource_calendar_id.id,
                    "leader_id": cls.leader.id,
                    "manager_id": cls.manager.id,
                }
            )
            cls.team_id = team.id
            env["aftersales.sla.policy"].create(
                {
                    "name": f"Race policy {cls.tag}",
                    "sequence": 1,
                    "company_id": company.id,
                    "team_id": team.id,
                    "ticket_type": "service",
                    "channel": "phone",
                    "priority": "1",
                    "response_hours": 2,
                    "resolution_hours": 16,
                }
            )
            cls.cron_actions = {
                xmlid: env.ref(f"aftersales_service.{xmlid}").ir_actions_server_id.id
                for xmlid in (
                    "ir_cron_aftersales_contract_reminders",
                    "ir_cron_aftersales_sla_escalate",
                    "ir_cron_aftersales_request_feedback",
                    "ir_cron_aftersales_plan_callbacks",
                    "ir_cron_aftersales_recompute_tiers",
                )
            }
            cls.renewal_type_id = env.ref(
                "aftersales_service.mail_activity_type_contract_renewal"
            ).id
            cls.escalation_type_id = env.ref(
                "aftersales_service.mail_activity_type_sla_escalation"
            ).id
            cls.stage_solved_id = env.ref("aftersales_service.aftersales_stage_solved").id

    @classmethod
    def _start_class_patchers(cls):
        created, lock = cls.created, cls.created_lock
        create = models.BaseModel._create

        def _create(self, data_list):
            records = create(self, data_list)
            if getattr(self.env.cr, CURSOR_MARK, False):
                with lock:
                    created.append((records._name, tuple(records.ids)))
            return records

        cls.startClassPatcher(patch.object(models.BaseModel, "_create", _create))

        # ``search``, not ``_search``: reading a company (``fetch``) goes through
        # ``_search`` too, and the user's own company must stay readable.
        Company = cls.registry["res.company"]
        company_search = Company.search

        def search(self, domain, *args, **kwargs):
            scope = self.env.context.get(COMPANY_SCOPE)
            if scope:
                domain = [*domain, ("id", "in", scope)]
            return company_search(self, domain, *args, **kwargs)

        cls.startClassPatcher(patch.object(Company, "search", search))

        Cron = cls.registry["ir.cron"]
        notify_progress = Cron._notify_progress
        progress = cls.progress

        def _notify_progress(self, *, done, remaining, deactivate=False):
            progress[threading.current_thread().name] = (done, remaining)
            return notify_progress(self, done=done, remaining=remaining, deactivate=deactivate)

        cls.startClassPatcher(patch.object(Cron, "_notify_progress", _notify_progress))

        # No real e-mail: the crons queue theirs; anything reaching SMTP fails.
        MailServer = cls.registry["ir.mail_server"]
        smtp_calls = cls.smtp_calls

        def refuse(name):
            def method(self, *args, **kwargs):
                smtp_calls.append((name, threading.current_thread().name))
                raise AssertionError(f"ir.mail_server.{name} called: a real e-mail")

            return method

        for name in ("connect", "send_email"):
            cls.startClassPatcher(patch.object(MailServer, name, refuse(name)))

        sql_logger = logging.getLogger("odoo.sql_db")
        log_filter = _WorkerQueryLog()
        sql_logger.addFilter(log_filter)
        cls.addClassCleanup(sql_logger.removeFilter, log_filter)

    @classmethod
    def real_cursor(cls):
        """A cursor of its own on the database (not the test cursor), bound to the
        loaded registry.

        Odoo's runner holds ``Registry._lock`` while it runs the tests, post_install
        ones included (``ThreadedServer.run`` around ``preload_registries``), so a
        worker thread asking ``Registry(dbname)`` for the registry, as
        ``api.Environment`` does for a cursor without a transaction, would wait for
        the end of the run: the cursor gets its transaction on the registry here.
        (HttpCase lifts that lock for its server threads with ``enter_test_mode``,
        which would also make ``registry.cursor()`` return the shared test cursor.)
        """
        cr = sql_db.db_connect(cls.dbname).cursor()
        cr.transaction = api.Transaction(cls.registry)
        setattr(cr, CURSOR_MARK, True)
        return cr

    @classmethod
    @contextmanager
    def committed_env(cls, context=None):
        """An environment on a real cursor of its own, committed on success."""
        cr = cls.real_cursor()
        try:
            env = api.Environment(cr, SUPERUSER_ID, dict(SETUP_CONTEXT, **(context or {})))
            yield env
            env.flush_all()
            cr.commit()  # pylint: disable=invalid-commit
        except BaseException:
            cr.rollback()
            raise
        finally:
            cr.close()

    def setUp(self):
        super().setUp()
        self.addCleanup(self._purge, len(self.created))

    @classmethod
    def _class_cleanup(cls):
        try:
            cls._purge(0)
        finally:
            if hasattr(cls, "superuser_stamps"):
                cls._restore_superuser_stamps()

    @classmethod
    def _restore_superuser_stamps(cls):
        with cls.committed_env() as env:
            # Creating a company links it to the superuser (res.company.create
            # writes the user, and so its partner): the link went with the company;
            # the write stamps are put back.
            for table, row_id in (
                ("res_users", SUPERUSER_ID),
                ("res_partner", cls.superuser_partner_id),
            ):
                env.cr.execute(
                    SQL(
                        "UPDATE %s SET write_date = %s, write_uid = %s WHERE id = %s",
                        SQL.identifier(table),
                        *cls.superuser_stamps[table],
                        row_id,
                    )
                )

    @classmethod
    def _purge(cls, since):
        """Delete what the ORM inserted through the test's cursors since
        ``cls.created[since]`` (later first, with retries for the records that
        refer to each other), and undo what the tier engine did in SQL."""
        if cls.company_id:
            with cls.committed_env() as env:
                cls._undo_shared_grading(env)
        for _attempt in range(5):
            with cls.created_lock:
                todo = cls.created[since:]
                del cls.created[since:]
            if not todo:
                break
            groups = []  # consecutive inserts of one model, latest first
            for model, ids in reversed(todo):
                if groups and groups[-1][0] == model:
                    groups[-1][1].extend(ids)
                else:
                    groups.append((model, list(ids)))
            left = []
            with cls.committed_env({"_force_unlink": True, "active_test": False}) as env:
                for model, ids in groups:
                    records = env[model].browse(ids).exists()
                    if not records:
                        continue
                    try:
                        # A refused DELETE (a row still referred to) is expected here
                        # and retried: no "bad query" error in the log for it.
                        with mute_logger("odoo.sql_db"), env.cr.savepoint():
                            records.unlink()
                    except Exception:  # retried once what refers to it is gone
                        left.append((model, tuple(records.ids)))
            with cls.created_lock:
                cls.created[since:since] = list(reversed(left))
        with cls.committed_env({"active_test": False}) as env:
            with cls.created_lock:
                leftover = [
                    (model, env[model].browse(ids).exists().ids)
                    for model, ids in cls.created[since:]
                ]
            leftover = [(model, ids) for model, ids in leftover if ids]
        if leftover:
            raise AssertionError(f"cleanup left committed records behind: {leftover}")

    @classmethod
    def _undo_shared_grading(cls, env):
        """The tier engine grades in each company every customer shared by all
        companies (P1.2): for the test company, it wrote values in their per-company
        columns and, for a new tier, a note in SQL. Both go."""
        cid = str(cls.company_id)
        graded = [
            row[0]
            for row in env.execute_query(
                SQL(
                    "SELECT id FROM res_partner WHERE %s",
                    SQL(" OR ").join(
                        SQL("%s ? %s", SQL.identifier(fname), cid) for fname in ENGINE_COLUMNS
                    ),
                )
            )
        ]
        if not graded:
            return
        env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "in", graded),
                ("id", ">", cls.message_watermark or 0),
                ("body", "ilike", cls.company_name),
            ]
        ).unlink()
        for fname, nulls in cls.engine_nulls.items():
            column = SQL.identifier(fname)
            env.cr.execute(
                SQL(
                    """
                UPDATE res_partner
                   SET %(col)s = CASE WHEN id = ANY(%(nulls)s) AND %(col)s - %(cid)s = '{}'
                                      THEN NULL ELSE %(col)s - %(cid)s END
                 WHERE %(col)s ? %(cid)s
                    """,
                    col=column,
                    nulls=list(nulls),
                    cid=cid,
                )
            )
        env["res.partner"].invalidate_model(list(ENGINE_COLUMNS))

    # ------------------------------------------------------------------
    # Running a cron in two workers at once
    # ------------------------------------------------------------------
    def race(self, cron, meeting=None):
        """Run ``cron`` (an ir.cron XML id of the suite) in two workers started
        together; ``meeting``: ``(model, method)`` where each worker's first call
        waits for the other. Returns ``{worker: {"runs": [...], "error": exception
        or None}}``, a committed run being the ``(done, remaining)`` the cron last
        reported to the progress API (None when it does not use it)."""
        return self._run_workers(cron, 2, meeting, "concurrent run")

    def next_run(self, cron):
        """The scheduler's next call of ``cron``, alone."""
        outcome = self._run_workers(cron, 1, label="next run")
        (result,) = outcome.values()
        self.assertIsNone(result["error"], "the next run of the cron fails")
        return result

    def _run_workers(self, cron, count, meeting=None, label=""):
        action_id = self.cron_actions[cron]
        start = threading.Barrier(count, timeout=START_TIMEOUT)
        outcomes = {}
        names = [f"{WORKER_PREFIX}{self.tag}-{i}" for i in range(1, count + 1)]
        threads = [
            threading.Thread(
                target=self._worker, args=(action_id, start, outcomes), name=name, daemon=True
            )
            for name in names
        ]
        with ExitStack() as stack:
            if meeting:
                stack.enter_context(self._meeting_point(*meeting))
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(JOIN_TIMEOUT)
        hanging = [thread for thread in threads if thread.is_alive()]
        frames = sys._current_frames()
        for thread in hanging:
            _logger.error(
                "%s still running after %s s:\n%s",
                thread.name,
                JOIN_TIMEOUT,
                "".join(traceback.format_stack(frames[thread.ident]))
                if thread.ident in frames
                else "(no frame)",
            )
        self.assertFalse(hanging, "workers still running: a lock is never released")
        for name in names:
            error = outcomes[name]["error"]
            _logger.info(
                "%s, %s, worker %s: %s committed run(s), cron progress per run %s%s",
                self._testMethodName,
                label,
                name[-1],
                len(outcomes[name]["runs"]),
                outcomes[name]["runs"],
                f"; then rolled back: {str(error).strip().splitlines()[0]}" if error else "",
            )
        return outcomes

    def _worker(self, action_id, start, outcomes):
        """One cron worker: ``ir.cron._run_job`` on a real cursor of its own."""
        name = threading.current_thread().name
        threading.current_thread().dbname = self.dbname
        outcome = outcomes[name] = {"runs": [], "error": None}
        cr = None
        try:
            cr = self.real_cursor()
            cr.execute(SQL("SET lock_timeout = %s", LOCK_TIMEOUT))
            cr.commit()  # pylint: disable=invalid-commit
            env = api.Environment(cr, SUPERUSER_ID, {COMPANY_SCOPE: [self.company_id]})
            start.wait()
            for _call in range(MAX_BATCH_PER_CRON_JOB):
                self.progress.pop(name, None)
                env["ir.actions.server"].browse(action_id).run()
                env.flush_all()
                cr.commit()  # pylint: disable=invalid-commit
                outcome["runs"].append(self.progress.get(name))
                done, remaining = self.progress.get(name) or (0, 0)
                # ir.cron._run_job: again at once only while work was done and remains.
                if not (done and remaining):
                    break
        except Exception as error:  # judged by the test (assert_lost_race_only)
            outcome["error"] = error
            start.abort()
        finally:
            if cr is not None:
                try:
                    cr.rollback()
                    cr.execute(SQL("RESET lock_timeout"))  # the connection goes back to the pool
                    cr.commit()  # pylint: disable=invalid-commit
                finally:
                    cr.close()

    @contextmanager
    def _meeting_point(self, model, method):
        meeting = threading.Barrier(2, timeout=MEETING_TIMEOUT)
        arrived = set()
        Model = self.registry[model]
        original = getattr(Model, method)

        def wait_for_the_other(this, *args, **kwargs):
            name = threading.current_thread().name
            if name.startswith(WORKER_PREFIX) and name not in arrived:
                arrived.add(name)
                try:
                    meeting.wait()
                except threading.BrokenBarrierError:
                    # The other worker never gets here: it failed, or had nothing to do.
                    _logger.info("%s: went on alone after %s s", name, MEETING_TIMEOUT)
            return original(this, *args, **kwargs)

        with patch.object(Model, method, wait_for_the_other):
            yield

    def assert_lost_race_only(self, outcomes, allowed=frozenset(LOST_RACE)):
        """Each worker committed, or rolled back with an error of losing the race;
        returns whether one of them lost."""
        lost = False
        for name, outcome in outcomes.items():
            if outcome["error"] is None:
                continue
            # The server action's safe_eval passes PostgreSQL's OperationalErrors
            # (serialization failures) through and wraps the others (a unique
            # violation) in a ValueError: the cron runner fails the job either way.
            error = outcome["error"]
            while error is not None and not isinstance(error, psycopg2.Error):
                error = error.__cause__ or error.__context__
            self.assertIsNotNone(error, f"{name} failed: {outcome['error']!r}")
            code = error.pgcode
            self.assertIn(
                code, allowed, f"{name} failed with {code and errorcodes.lookup(code)}: {error}"
            )
            lost = True
        self.assertFalse(self.smtp_calls, "no e-mail is sent, only queued")
        return lost

    def assert_all_done_once(self, cron, outcomes, check, allowed=frozenset(LOST_RACE)):
        """``check()`` returns ``(missing, duplicates)``: the work not done and what
        was done more than once. Nothing is ever done twice; when both workers
        committed, they did everything; when one lost, the next run of the cron
        does the rest, and only the rest."""
        lost = self.assert_lost_race_only(outcomes, allowed)
        missing, duplicates = check()
        self.assertFalse(duplicates, "done twice by the concurrent runs")
        if not lost:
            self.assertFalse(missing, "both workers committed but work is left undone")
        self.next_run(cron)
        missing, duplicates = check()
        self.assertFalse(duplicates, "done twice after the next run")
        self.assertFalse(missing, "left undone after the next run")
        self.assertFalse(self.smtp_calls, "no e-mail is sent, only queued")

    # ------------------------------------------------------------------
    # Data (committed) and counts (read with a fresh real cursor)
    # ------------------------------------------------------------------
    @contextmanager
    def reading(self):
        cr = self.real_cursor()
        try:
            yield api.Environment(cr, SUPERUSER_ID, {"active_test": False})
        finally:
            cr.close()

    def make_customers(self, env, count, label):
        return env["res.partner"].create(
            [
                {
                    "name": f"{label} customer {index:02d} {self.tag}",
                    "is_company": True,
                    "customer_rank": 1,
                    "company_id": self.company_id,
                    "email": f"{label.lower()}-{index:02d}-{self.tag}@example.com",
                    "user_id": self.leader.id,
                }
                for index in range(count)
            ]
        )

    def make_tickets(self, env, customers, received_at, label):
        return env["aftersales.ticket"].create(
            [
                {
                    "name": f"RACE-{label}-{index:02d}-{self.tag}",
                    "subject": f"{label} {index:02d}",
                    "partner_id": customer.id,
                    "company_id": self.company_id,
                    "team_id": self.team_id,
                    "user_id": self.leader.id,
                    "channel": "phone",
                    "priority": "1",
                    "ticket_type": "service",
                    "received_at": received_at,
                }
                for index, customer in enumerate(customers)
            ]
        )

    def make_solved_tickets(self, env, count, label, solved_at):
        tickets = self.make_tickets(
            env, self.make_customers(env, count, label), solved_at - timedelta(hours=4), label
        )
        tickets.write({"stage_id": self.stage_solved_id})
        tickets.with_context(aftersales_sla_skip=True).write({"sla_solved_at": solved_at})
        return tickets

    def count_by(self, env, query):
        """``Counter`` of the ``(key, count)`` rows of ``query`` (array keys as tuples)."""
        return Counter(
            {
                tuple(key) if isinstance(key, list) else key: count
                for key, count in env.execute_query(query)
            }
        )

    def queued_mails(self, env, model, res_ids):
        """States of the e-mails of the messages posted on these records."""
        return Counter(
            dict(
                env.execute_query(
                    SQL(
                        """
            SELECT mail.state, count(*) FROM mail_mail mail
              JOIN mail_message message ON message.id = mail.mail_message_id
             WHERE message.model = %s AND message.res_id = ANY(%s)
          GROUP BY mail.state
                        """,
                        model,
                        list(res_ids),
                    )
                )
            )
        )

    # ------------------------------------------------------------------
    # P7.2: contract states and expiry notices
    # ------------------------------------------------------------------
    def make_contracts(self, state):
        """RECORDS contracts in ``state`` ending inside the 30-day window."""
        with self.committed_env() as env:
            today = env["res.company"].browse(self.company_id)._aftersales_today()
            customers = self.make_customers(env, RECORDS, "Contract")
            # A contract in force covers something (the contract constraint).
            product = env["product.product"].create(
                {"name": f"Race covered purifier {self.tag}", "type": "consu"}
            )
            contracts = env["aftersales.contract"].create(
                [
                    {
                        "name": f"RACE-C-{index:02d}-{self.tag}",
                        "partner_id": customer.id,
                        "company_id": self.company_id,
                        "user_id": self.leader.id,
                        "date_start": today - timedelta(days=300),
                        "date_end": today + timedelta(days=5 + index % 20),
                        "price": 1200.0,
                        "line_ids": [Command.create({"product_id": product.id})],
                    }
                    for index, customer in enumerate(customers)
                ]
            )
            contracts.write({"state": state})
            return contracts.ids

    def check_contracts(self, contract_ids):
        def check():
            with self.reading() as env:
                notices = self.count_by(
                    env,
                    SQL(
                        """
                    SELECT message.res_id, count(*) FROM mail_message message
                      JOIN mail_message_res_partner_rel rel ON rel.mail_message_id = message.id
                      JOIN aftersales_contract contract ON contract.id = message.res_id
                           AND contract.partner_id = rel.res_partner_id
                     WHERE message.model = 'aftersales.contract'
                       AND message.message_type = 'comment' AND message.res_id = ANY(%s)
                  GROUP BY message.res_id
                        """,
                        contract_ids,
                    ),
                )
                activities = self.count_by(
                    env,
                    SQL(
                        "SELECT res_id, count(*) FROM mail_activity"
                        " WHERE res_model = 'aftersales.contract' AND res_id = ANY(%s)"
                        " AND activity_type_id = %s GROUP BY res_id",
                        contract_ids,
                        self.renewal_type_id,
                    ),
                )
                claimed = {
                    row[0]
                    for row in env.execute_query(
                        SQL(
                            "SELECT id FROM aftersales_contract WHERE id = ANY(%s)"
                            " AND state = 'expiring' AND reminder_date_end = date_end",
                            contract_ids,
                        )
                    )
                }
                mails = self.queued_mails(env, "aftersales.contract", contract_ids)
            self.assertEqual(set(mails), {"outgoing"} if mails else set(), "queued only")
            self.assertEqual(mails["outgoing"], notices.total(), "one e-mail per notice")
            missing = [
                cid
                for cid in contract_ids
                if not (notices[cid] and activities[cid] and cid in claimed)
            ]
            duplicates = {
                "notices": [cid for cid, n in notices.items() if n > 1],
                "activities": [cid for cid, n in activities.items() if n > 1],
            }
            return missing, {kind: ids for kind, ids in duplicates.items() if ids}

        return check

    def small_contract_batches(self):
        """Batches of CONTRACT_BATCH notices: several committed batches per worker,
        and the progress API's immediate re-runs."""
        Contract = self.registry["aftersales.contract"]
        return patch.object(Contract, "_reminder_batch_size", lambda self: CONTRACT_BATCH)

    def test_contract_pass_twice_at_once(self):
        """P7.2: two daily passes (states from the dates, then the notices) start
        together on active contracts entering the window: each contract becomes
        expiring and gets one expiry notice and one renewal activity."""
        contract_ids = self.make_contracts("active")
        cron = "ir_cron_aftersales_contract_reminders"
        with self.small_contract_batches():
            outcomes = self.race(cron)
            self.assert_all_done_once(cron, outcomes, self.check_contracts(contract_ids))

    def test_contract_notices_twice_at_once(self):
        """P7.2: two workers list the same due contracts (already expiring) and claim
        them at the same moment, batch after batch: the conditional UPDATE … SKIP
        LOCKED gives each contract to one of them; one notice and one renewal
        activity per contract."""
        contract_ids = self.make_contracts("expiring")
        cron = "ir_cron_aftersales_contract_reminders"
        with self.small_contract_batches():
            outcomes = self.race(cron, meeting=("aftersales.contract", "_claim_reminders"))
            self.assert_all_done_once(cron, outcomes, self.check_contracts(contract_ids))

    # ------------------------------------------------------------------
    # P2.9, P6.4: SLA escalation
    # ------------------------------------------------------------------
    def test_sla_escalation_twice_at_once(self):
        """P2.9/P6.4: tickets whose response and resolution are missed by days get,
        from two escalation passes claiming at the same moment, each target and
        level once (leader level 1, manager level 2) and one apology."""
        now = fields.Datetime.now()
        with self.committed_env() as env:
            tickets = self.make_tickets(
                env,
                self.make_customers(env, RECORDS, "Late"),
                now - timedelta(days=10),
                "SLA",
            )
            ticket_ids = tickets.ids
            self.assertTrue(
                all(
                    t.sla_response_deadline < now - timedelta(hours=5)
                    and t.sla_resolution_deadline < now - timedelta(hours=5)
                    for t in tickets
                ),
                "fixture: both targets missed by more than the level-2 delay",
            )
            # The new tickets were acknowledged: only later comments are apologies.
            first_message_id = env.execute_query(SQL("SELECT max(id) FROM mail_message"))[0][0]
        cron = "ir_cron_aftersales_sla_escalate"
        outcomes = self.race(cron, meeting=("aftersales.ticket", "_sla_claim"))

        def check():
            with self.reading() as env:
                # One activity per person and ticket names the steps it was given
                # ("First response overdue (level 1); Resolution overdue (level 1)").
                activities = Counter(
                    (res_id, user_id, step)
                    for res_id, user_id, summary in env.execute_query(
                        SQL(
                            "SELECT res_id, user_id, summary FROM mail_activity"
                            " WHERE res_model = 'aftersales.ticket' AND res_id = ANY(%s)"
                            " AND activity_type_id = %s",
                            ticket_ids,
                            self.escalation_type_id,
                        )
                    )
                    for step in summary.split("; ")
                )
                apologies = self.count_by(
                    env,
                    SQL(
                        "SELECT res_id, count(*) FROM mail_message"
                        " WHERE model = 'aftersales.ticket' AND res_id = ANY(%s)"
                        " AND message_type = 'comment' AND id > %s GROUP BY res_id",
                        ticket_ids,
                        first_message_id,
                    ),
                )
                levels = env.execute_query(
                    SQL(
                        "SELECT id FROM aftersales_ticket WHERE id = ANY(%s)"
                        " AND sla_response_escalation = 2 AND sla_resolution_escalation = 2"
                        " AND sla_apology_sent",
                        ticket_ids,
                    )
                )
                mails = self.queued_mails(env, "aftersales.ticket", ticket_ids)
            self.assertEqual(set(mails), {"outgoing"} if mails else set(), "queued only")
            steps = Counter(key[0] for key in activities)
            escalated = {row[0] for row in levels}
            missing = [
                tid
                for tid in ticket_ids
                if steps[tid] != 4 or apologies[tid] != 1 or tid not in escalated
            ]
            duplicates = {
                "activities": [key for key, n in activities.items() if n > 1],
                "apologies": [tid for tid, n in apologies.items() if n > 1],
            }
            # Per target and level: response/resolution, level 1 (leader), 2 (manager).
            per_user = Counter((key[0], key[1]) for key in activities)
            self.assertFalse(
                [key for key, n in per_user.items() if n > 2], "two targets per user and ticket"
            )
            return missing, {kind: ids for kind, ids in duplicates.items() if ids}

        self.assert_all_done_once(cron, outcomes, check)

    # ------------------------------------------------------------------
    # P8.1: feedback requests
    # ------------------------------------------------------------------
    def make_done_repairs(self, env, count, solved_at):
        """Repairs done at ``solved_at``, of a product of the test company. The
        state and the solution time are written directly (a fixture: the feedback
        cron reads only them; the repair workflow has tests of its own)."""
        product = env["product.product"].create(
            {"name": f"Race purifier {self.tag}", "type": "consu", "company_id": self.company_id}
        )
        # The company's own repair operation type, locations and numbering.
        Repair = env["repair.order"].with_company(self.company_id)
        repairs = Repair.create(
            [
                {
                    "partner_id": customer.id,
                    "product_id": product.id,
                    "company_id": self.company_id,
                    "aftersales_team_id": self.team_id,
                }
                for customer in self.make_customers(env, count, "Repair")
            ]
        )
        env.flush_all()
        env.cr.execute(
            SQL(
                "UPDATE repair_order SET state = 'done', sla_solved_at = %s WHERE id = ANY(%s)",
                solved_at,
                repairs.ids,
            )
        )
        repairs.invalidate_recordset(["state", "sla_solved_at"])
        return repairs

    def test_feedback_requests_twice_at_once(self):
        """P8.1: completed tickets and repairs each get one feedback request (and
        one request e-mail) from two hourly runs inserting at the same moment; the
        UNIQUE per source stops the second. (Returns go through the same query and
        INSERT; a done return needs a delivered sale order line, left out here.)"""
        solved_at = fields.Datetime.now() - timedelta(hours=5)
        with self.committed_env() as env:
            sources = {
                "ticket_id": self.make_solved_tickets(
                    env, RECORDS * 2 // 3, "Feedback", solved_at
                ).ids,
                "repair_id": self.make_done_repairs(env, RECORDS // 3, solved_at).ids,
            }
        cron = "ir_cron_aftersales_request_feedback"
        outcomes = self.race(cron, meeting=("aftersales.feedback", "create"))

        def check():
            missing, duplicates = [], {}
            with self.reading() as env:
                for column, source_ids in sources.items():
                    requests = self.count_by(
                        env,
                        SQL(
                            "SELECT %s, count(*) FROM aftersales_feedback"
                            " WHERE %s = ANY(%s) GROUP BY %s",
                            SQL.identifier(column),
                            SQL.identifier(column),
                            source_ids,
                            SQL.identifier(column),
                        ),
                    )
                    missing += [(column, sid) for sid in source_ids if not requests[sid]]
                    duplicates[column] = [sid for sid, n in requests.items() if n > 1]
                feedback_ids = [
                    row[0]
                    for row in env.execute_query(
                        SQL(
                            "SELECT id FROM aftersales_feedback"
                            " WHERE ticket_id = ANY(%s) OR repair_id = ANY(%s)",
                            sources["ticket_id"],
                            sources["repair_id"],
                        )
                    )
                ]
                mails = self.count_by(
                    env,
                    SQL(
                        "SELECT res_id, count(*) FROM mail_message"
                        " WHERE model = 'aftersales.feedback' AND res_id = ANY(%s)"
                        " AND message_type = 'comment' GROUP BY res_id",
                        feedback_ids,
                    ),
                )
                states = self.queued_mails(env, "aftersales.feedback", feedback_ids)
            self.assertEqual(set(states), {"outgoing"} if states else set(), "queued only")
            missing += [("request e-mail", fid) for fid in feedback_ids if not mails[fid]]
            duplicates["request e-mails"] = [fid for fid, n in mails.items() if n > 1]
            return missing, {kind: ids for kind, ids in duplicates.items() if ids}

        self.assert_all_done_once(cron, outcomes, check, LOST_RACE_UNIQUE)

    # ------------------------------------------------------------------
    # P1.5, P6.6: callback planner
    # ------------------------------------------------------------------
    def test_callback_planner_twice_at_once(self):
        """P1.5/P6.6: two nightly planners inserting at the same moment plan one
        callback per plan key: a satisfaction callback per solved ticket, and per
        graded customer one periodic call and one yearly visit."""
        now = fields.Datetime.now()
        with self.committed_env() as env:
            ticket_ids = self.make_solved_tickets(
                env, RECORDS // 3 * 2, "Callback", now - timedelta(hours=5)
            ).ids
            tier = env["aftersales.tier"].create(
                {
                    "name": f"Key accounts {self.tag}",
                    "code": "KEY",
                    "sequence": 1,
                    "company_id": self.company_id,
                    "callback_interval_days": 30,
                    "dedicated_account_manager": True,
                }
            )
            graded = self.make_customers(env, RECORDS // 3, "Graded")
            graded.with_company(self.company_id).write(
                {"aftersales_tier_id": tier.id, "aftersales_lifecycle_stage": "stable"}
            )
            graded_ids = graded.ids
        cron = "ir_cron_aftersales_plan_callbacks"
        outcomes = self.race(cron, meeting=("aftersales.callback", "create"))

        def check():
            with self.reading() as env:
                keys = self.count_by(
                    env,
                    SQL(
                        "SELECT plan_key, count(*) FROM aftersales_callback"
                        " WHERE company_id = %s GROUP BY plan_key",
                        self.company_id,
                    ),
                )
                purposes = self.count_by(
                    env,
                    SQL(
                        "SELECT ARRAY[partner_id::text, purpose::text], count(*)"
                        " FROM aftersales_callback WHERE company_id = %s AND partner_id = ANY(%s)"
                        " GROUP BY partner_id, purpose",
                        self.company_id,
                        graded_ids,
                    ),
                )
            missing = [tid for tid in ticket_ids if not keys[f"ticket:{tid}"]]
            missing += [
                (pid, purpose)
                for pid in graded_ids
                for purpose in ("periodic", "visit")
                if not purposes[(str(pid), purpose)]
            ]
            duplicates = {
                "plan keys": [key for key, n in keys.items() if n > 1],
                "per customer and purpose": [key for key, n in purposes.items() if n > 1],
            }
            return missing, {kind: ids for kind, ids in duplicates.items() if ids}

        self.assert_all_done_once(cron, outcomes, check, LOST_RACE_UNIQUE)

    # ------------------------------------------------------------------
    # P1.2, P10.1: tier recompute
    # ------------------------------------------------------------------
    def test_tier_recompute_twice_at_once(self):
        """P1.2/P10.1: two gradings writing at the same moment: every customer is
        graded, no other error than losing the race, and one tier-change note per
        customer in the chatter."""
        with self.committed_env() as env:
            tier = env["aftersales.tier"].create(
                {
                    "name": f"Standard {self.tag}",
                    "code": "STD",
                    "sequence": 10,
                    "company_id": self.company_id,
                }
            )
            tier_id = tier.id
            customer_ids = self.make_customers(env, RECORDS, "Tier").ids
        cron = "ir_cron_aftersales_recompute_tiers"
        outcomes = self.race(cron, meeting=("res.partner", "_aftersales_write_engine_values"))
        cid = str(self.company_id)

        def check():
            with self.reading() as env:
                tiers = dict(
                    env.execute_query(
                        SQL(
                            "SELECT id, (aftersales_tier_id->>%s)::int FROM res_partner"
                            " WHERE id = ANY(%s)",
                            cid,
                            customer_ids,
                        )
                    )
                )
                # Every customer graded in the company, the shared ones included.
                notes = self.count_by(
                    env,
                    SQL(
                        "SELECT res_id, count(*) FROM mail_message WHERE model = 'res.partner'"
                        " AND id > %s AND body ILIKE %s GROUP BY res_id",
                        self.message_watermark or 0,
                        f"%{self.company_name}%",
                    ),
                )
            missing = [pid for pid in customer_ids if tiers.get(pid) != tier_id or not notes[pid]]
            duplicates = {"notes": [pid for pid, n in notes.items() if n > 1]}
            return missing, {kind: ids for kind, ids in duplicates.items() if ids}

        self.assert_all_done_once(cron, outcomes, check)
