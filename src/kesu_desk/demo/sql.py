"""The statements that write the demo, on SQLite and PostgreSQL alike, and the small tables they join.

First each case's choices are worked out once into the temporary table demo_case, from hashes of
its id; every later statement (cases, search rows, events, proposals, approvals, surveys) reads
them from there, so they agree with each other without Python seeing a single case.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kesu_desk.demo.paths import (
    AGENT,
    ALWAYS,
    APPROVER,
    COMMENTS,
    DEADLINES,
    DETAILS,
    HANDLER,
    IF_TWO_APPROVALS,
    IF_URGENT,
    MANAGER,
    REGISTRAR,
    SATISFIED_SCORES,
    SLOTS,
    SUPERVISOR,
    UNSATISFIED_SCORES,
)
from kesu_desk.demo.plan import DAY, HOURS_OPEN, OPENING, PER_WORD, WORDS, P, Plan
from kesu_desk.demo.texts import DEPARTMENTS, US_AREAS, ZH_MOBILE
from kesu_desk.domain.vocabulary import SEVERITY_BY_LEVEL, SEVERITY_LEVELS, Severity
from kesu_desk.sla import AT_RISK_PARTS, DeadlinePolicy

# Cases per INSERT … SELECT: big enough that statement overhead vanishes, small enough that
# progress moves and a statement's temporary state stays small.
CHUNK = 100_000
PG_CHUNK = 20_000
CRITICAL = SEVERITY_LEVELS[Severity.CRITICAL]  # an urgent case is critical (services.cases.register_in)

# (value, upper bound of its share in percent)
CHANNELS = (("phone", 40), ("online", 68), ("email", 78), ("shop", 92), ("social", 100))
MOODS = (("calm", 50), ("angry", 80), ("disappointed", 100))


def bucketed(draw: str, choices: Sequence[tuple[str, int]], shown: Callable[[str], str]) -> str:
    """SQL choosing ``shown(value)`` by where ``draw`` (0..99) falls among the shares."""
    whens = " ".join(f"WHEN {draw} < {limit} THEN '{shown(value)}'" for value, limit in choices[:-1])
    return f"(CASE {whens} ELSE '{shown(choices[-1][0])}' END)"


class Sql:
    """The statements, and the few places where SQLite and PostgreSQL differ.

    First each case's choices are worked out once into the temporary table demo_case (alias
    ``dc``); every later statement reads them from there.
    """

    def __init__(self, plan: Plan, sqlite: bool, threshold_cents: int, policy: DeadlinePolicy,
                 users: dict[str, list[int]], first_customer: int) -> None:
        self.plan = plan
        self.sqlite = sqlite
        self.threshold = threshold_cents
        self.policy = policy
        self.users = users
        self.first_customer = first_customer

    # engine differences
    def ts(self, epoch: str) -> str:
        if self.sqlite:
            return f"(datetime({epoch}, 'unixepoch') || '.000000')"
        return f"to_timestamp({epoch})"

    def date(self, epoch: str) -> str:
        if self.sqlite:
            return f"date({epoch}, 'unixepoch')"
        return f"CAST(to_timestamp({epoch}) AT TIME ZONE 'UTC' AS DATE)"

    @staticmethod
    def text(expr: str) -> str:
        return f"CAST({expr} AS TEXT)"

    @staticmethod
    def series(lo: int, hi: int) -> str:
        return (f"WITH RECURSIVE seq(i) AS (SELECT CAST({lo} AS BIGINT) UNION ALL "
                f"SELECT i + 1 FROM seq WHERE i < {hi}) ")

    @staticmethod
    def pick(pool: Sequence[int], expr: str) -> str:
        ids = list(pool)
        if ids == list(range(ids[0], ids[0] + len(ids))):
            return f"({ids[0]} + ({expr}) % {len(ids)})"
        whens = " ".join(f"WHEN {j} THEN {uid}" for j, uid in enumerate(ids))
        return f"(CASE ({expr}) % {len(ids)} {whens} END)"

    def seg(self, lang: str, key: str) -> int:
        return self.plan.segments[lang][key]

    # -- stage 1: each case's choices ------------------------------------------------------------

    def h(self, k: int) -> str:
        """Hash ``k`` of the case id: a quadratic polynomial modulo a prime."""
        a, b, c = self.plan.hashes[k]
        return f"(((i * i) % {P}) * {a} + i * {b} + {c}) % {P}"

    def choices(self, lo: int, hi: int, only: Sequence[str] = ()) -> str:
        """Fill demo_case for ids ``lo``..``hi``; with ``only``, just those columns."""
        n, span = self.plan.n, len(self.plan.days)
        rho = "((i * 37) % 100)"

        def template(lang: str) -> str:
            return f"({self.seg(lang, 'tbase')} + (h0 / {SLOTS}) % {self.seg(lang, 'tn')})"

        tpl = (f"(CASE WHEN {rho} < {self.seg('en', 'start')} THEN {template('zh')} "
               f"WHEN {rho} < {self.seg('es', 'start')} THEN {template('en')} "
               f"ELSE {template('es')} END)")
        # A fifth of the cases come from frequent complainants; the others spread so that
        # nearly every customer has at least one case.
        ordinal = f"((i / 100) * tp.share + {rho} - tp.start)"
        drawn = (f"(CASE WHEN h2 % 100 < 20 THEN (h2 / 100) % tp.cf "
                 f"ELSE tp.cf + ({ordinal} * (tp.cn - tp.cf)) / tp.nl END)")
        # A dish or a hotel night is not bought through a dealer: such a complaint comes from a
        # customer no dealer serves (not a dealer; an end user without one, the neighbour's
        # residue of 31 is never below 25 when this one's is).
        undealt = (f"(CASE WHEN tp.dealt = 0 AND {drawn} < tp.ca + tp.cs "
                   f"THEN {drawn} + tp.ca + tp.cs ELSE {drawn} END)")
        k = (f"(CASE WHEN tp.dealt = 0 AND ({undealt} * 7919) % 100 >= 12 AND ({undealt} * 31) % 100 < 25 "
             f"THEN (CASE WHEN {undealt} + 1 < tp.cn THEN {undealt} + 1 ELSE {undealt} - 1 END) "
             f"ELSE {undealt} END)")
        urgent = "(tp.danger = 1 AND h3 % 2 = 0)"
        factor = "(60 + (h4 / 7) % 81)"

        def amount(mult: int) -> str:
            return f"(CASE WHEN tp.money = 1 THEN ((tp.amount * {factor} * {mult}) / 1000000) * 100 END)"

        def two(mult: int) -> str:
            return f"(CASE WHEN {amount(mult)} > {self.threshold} THEN 1 ELSE 0 END)"

        local = f"({OPENING} + (i - dy.first_id) * dy.step + h1 % dy.step)"
        draw = "((h3 / 1000) % 100)"
        channel = bucketed(draw, CHANNELS, str)
        spoken = bucketed(draw, CHANNELS, lambda c: "1" if c in ("phone", "shop") else "0")
        # How the caller sounded is noted for calls and visits.
        mood = f"(CASE WHEN {spoken} = '1' THEN {bucketed('((h5 / 7) % 100)', MOODS, str)} END)"
        handler = "(CASE tp.dept_idx " + " ".join(
            f"WHEN {d} THEN {self.pick(self.users[f'handlers:{dept}'], 'h5')}"
            for d, dept in enumerate(DEPARTMENTS)) + " END)"
        registrar = (f"(CASE WHEN h6 % 20 = 0 THEN {self.pick(self.users['supervisors'], 'h6 / 20')} "
                     f"ELSE {self.pick(self.users['agents'], 'h6 / 20')} END)")
        score = ("(CASE pk.score "
                 + " ".join(f"WHEN {j} THEN {scores[0]} + (h6 / 3) % {len(scores)}"
                            for j, scores in ((1, SATISFIED_SCORES), (2, UNSATISFIED_SCORES)))
                 + " END)")
        values = {
            "i": "i",
            "r": f"((i - 1) * {span}) / {n}",
            "t": "tp.t",
            "pkk": "pk.k",
            "pid": "pk.pid",
            "k": k,
            "urg": f"(CASE WHEN {urgent} THEN 1 ELSE 0 END)",
            "sev": f"(CASE WHEN {urgent} THEN {CRITICAL} ELSE tp.sev_lo + (h3 / 2) % tp.sev_n END)",
            "amt": amount(100),
            "amt_hi": amount(150),
            "two": two(100),
            "two_hi": two(150),
            "loc": local,
            "reg": f"(dy.e0 + {local})",
            "registrar": registrar,
            "handler": handler,
            "hs": "h7",
            "h4": "h4",
            "chan": channel,
            "mood": mood,
            "score": score,
            "d_reg": bucketed(draw, CHANNELS, lambda c: f'{{"channel": "{c}"}}'),
            "d_score": f"""('{{"score": ' || {self.text(score)} || '}}')""",
        }
        if only:
            values = {c: v for c, v in values.items() if c in only}
        hashes = ", ".join(f"{self.h(j)} AS h{j}" for j in range(8))
        return (
            f"INSERT INTO demo_case ({', '.join(values)}) " + self.series(lo, hi)
            + f", hh AS MATERIALIZED (SELECT i, {hashes} FROM seq) "
            f"SELECT {', '.join(values.values())} FROM hh "
            f"JOIN demo_day dy ON dy.d = ((i - 1) * {span}) / {n} "
            f"JOIN demo_tpl tp ON tp.t = {tpl} "
            f"JOIN demo_pick pk ON pk.k = dy.bucket * {SLOTS} + h0 % {SLOTS}"
        )

    # -- stage 2: expressions over dc, dy (its day), tp (its template), pk (its profile) ---------

    FROM = ("FROM demo_case dc JOIN demo_day dy ON dy.d = dc.r "
            "JOIN demo_tpl tp ON tp.t = dc.t ")

    @staticmethod
    def unpack(prefix: str, c: str) -> str:
        word = " ".join(f"WHEN {j} THEN dy.{prefix}{j}" for j in range(WORDS))
        return f"(((CASE ({c}) / {PER_WORD} {word} END) >> (7 * (({c}) % {PER_WORD}))) & 127)"

    def cal(self, c: str) -> str:
        """Calendar days from the registration day to its ``c``-th working day after."""
        return self.unpack("w", c)

    def day_start(self, c: str) -> str:
        """Epoch of local midnight of the ``c``-th working day after the registration day."""
        shift = "" if self.plan.fixed_offset else f" + ({self.unpack('s', c)} - 64) * 900"
        return f"(dy.e0 + {self.cal(c)} * {DAY}{shift})"

    @staticmethod
    def step_hash(n: str) -> str:
        return f"((dc.hs + ({n}) * 7368787) % {P})"

    def local(self, n: str) -> str:
        return f"({OPENING} + {self.step_hash(n)} % {HOURS_OPEN})"

    def at_step(self, c: str, n: str) -> str:
        return f"({self.day_start(c)} + {self.local(n)})"

    def step_or_registered(self, c: str, n: str) -> str:
        return f"(CASE WHEN {c} = 0 THEN dc.reg ELSE {self.at_step(c, n)} END)"

    def actor(self, kind: str, n: str, two: str = "dc.two") -> str:
        by = f"({self.step_hash(n)} / {HOURS_OPEN})"
        agents, sups, mgrs = (self.users[p] for p in ("agents", "supervisors", "managers"))
        return (f"(CASE {kind} WHEN {REGISTRAR} THEN dc.registrar "
                f"WHEN {AGENT} THEN {self.pick(agents, by)} WHEN {HANDLER} THEN dc.handler "
                f"WHEN {SUPERVISOR} THEN {self.pick(sups, by)} "
                f"WHEN {MANAGER} THEN {self.pick(mgrs, by)} "
                f"WHEN {APPROVER} THEN (CASE WHEN {two} = 1 THEN {self.pick(mgrs, by)} "
                f"ELSE {self.pick(sups, by)} END) END)")

    @staticmethod
    def by_severity(days: Callable[[Severity], int]) -> str:
        """``days(severity)`` for the case's severity (dc.sev, its level)."""
        levels: dict[int, list[int]] = {}
        for level, severity in sorted(SEVERITY_BY_LEVEL.items()):
            levels.setdefault(days(severity), []).append(level)
        usual = max(levels, key=lambda value: len(levels[value]))
        whens = " ".join(f"WHEN dc.sev = {these[0]} THEN {value}" if len(these) == 1 else
                         f"WHEN dc.sev IN ({', '.join(map(str, these))}) THEN {value}"
                         for value, these in levels.items() if value != usual)
        return f"(CASE {whens} ELSE {usual} END)" if whens else str(usual)

    @staticmethod
    def by_mult(mult: str, usual: str, higher: str) -> str:
        return f"(CASE WHEN {mult} = 150 THEN {higher} ELSE {usual} END)"

    @staticmethod
    def customer_class(k: str, ca: str, cs: str) -> str:
        return (f"(CASE WHEN {k} < {ca} THEN 'a_dealer' WHEN {k} < {ca} + {cs} THEN 'sub_dealer' "
                f"WHEN (({k}) * 7919) % 100 < 12 THEN 'direct' ELSE 'end_user' END)")

    @staticmethod
    def name_k(k: str, ca: str, cs: str, dbase: str, dn: str, pbase: str, pn: str) -> str:
        return (f"(CASE WHEN {k} < {ca} + {cs} THEN {dbase} + ({k}) % {dn} "
                f"ELSE {pbase} + ((({k}) * 2654435761) % {P}) % {pn} END)")

    def customers(self, lang: str, created: int) -> str:
        seg = self.plan.segments[lang]
        ca, cs = seg["ca"], seg["cs"]
        g = f"(i + {self.first_customer + seg['cbase']})"
        digits8 = f"substr({self.text(f'100000000 + ({g} * 39916801) % 100000000')}, 2)"
        if lang == "zh":
            prefixes = "".join(ZH_MOBILE)
            phone = (f"'+86' || substr('{prefixes}', CAST(3 * ({g} % {len(ZH_MOBILE)}) + 1 AS INTEGER), 3) "
                     f"|| {digits8}")
            region, email_share = "CN", 10
        elif lang == "en":
            areas = "".join(US_AREAS)
            phone = (f"'+1' || substr('{areas}', CAST(3 * ({g} % {len(US_AREAS)}) + 1 AS INTEGER), 3) || "
                     f"{self.text(f'2000000 + ({g} * 39916801) % 8000000')}")
            region, email_share = "US", 50
        else:
            phone = f"'+346' || {digits8}"
            region, email_share = "ES", 50
        cls = self.customer_class("i", str(ca), str(cs))
        dealer = f"({self.first_customer + seg['cbase']} + i % {ca})"
        return (
            "INSERT INTO customers (id, name, phone, email, customer_class, dealer_id, region, "
            "created_at) "
            + self.series(0, seg["cn"] - 1)
            + f"SELECT {g}, nm.name, {phone}, "
            f"(CASE WHEN i < {ca + cs} THEN 'service' || {self.text(g)} || '@dealer.example.com' "
            f"WHEN ({g} * 7) % 100 < {email_share} THEN 'customer' || {self.text(g)} "
            f"|| '@example.com' END), {cls}, "
            f"(CASE WHEN {cls} = 'sub_dealer' OR ({cls} = 'end_user' AND (i * 31) % 100 < 25) "
            f"THEN {dealer} END), '{region}', {self.ts(str(created))} "
            f"FROM seq JOIN demo_name nm ON nm.k = "
            + self.name_k("i", str(ca), str(cs), str(seg["dbase"]), str(seg["dn"]),
                          str(seg["pbase"]), str(seg["pn"]))
        )

    def case_values(self) -> list[tuple[str, str]]:
        """(column, expression) of every column of a case."""
        policy = self.policy
        acknowledge = f"(dc.reg + {int(policy.acknowledge_within.total_seconds())})"
        answer = f"({self.day_start(self.by_severity(policy.answer_working_days))} + dc.loc)"
        department_days = self.by_severity(policy.department_working_days)
        department_due = (f"({self.day_start(f'pk.c_assign + {department_days}')} "
                          f"+ {self.local('pk.n_assign')})")
        follow_up_due = (f"({self.day_start(f'pk.c_impl + {policy.follow_up_working_days}')} "
                         f"+ {self.local('pk.n_impl')})")

        def when(flag: str, value: str, otherwise: str = "NULL") -> str:
            return f"(CASE WHEN pk.{flag} = 1 THEN {value} ELSE {otherwise} END)"

        starts = {"registered": "dc.reg", "assigned": self.at_step("pk.c_assign", "pk.n_assign"),
                  "implemented": self.at_step("pk.c_impl", "pk.n_impl")}
        dues = {"acknowledge": acknowledge, "answer": answer, "department": department_due,
                "follow_up": follow_up_due}
        kinds = sorted({p.deadline for p in self.plan.profiles} - {0})

        def by_deadline(moment: Callable[[str, str], str]) -> str:
            """An expression built from (clock start, due) of the deadline the case waits for."""
            whens = " ".join(f"WHEN {k} THEN {moment(starts[DEADLINES[k - 1][1]], dues[DEADLINES[k - 1][0]])}"
                             for k in kinds)
            return f"(CASE pk.deadline {whens} END)"

        next_due = by_deadline(lambda start, due: self.ts(due))
        at_risk = by_deadline(lambda start, due: self.ts(f"({due} - ({due} - {start}) / {AT_RISK_PARTS})"))
        return [
            ("id", "dc.i"),
            ("number", f"dy.num || substr({self.text('10001 + dc.i - dy.first_id')}, 2)"),
            ("version", "pk.version + pk.two * dc.two"),
            ("status", "pk.status"),
            ("urgent", "(dc.urg = 1)"),
            ("channel", "dc.chan"),
            ("customer_id", f"({self.first_customer} + tp.cbase + dc.k)"),
            ("customer_class", self.customer_class("dc.k", "tp.ca", "tp.cs")),
            ("product", "tp.product"),
            ("order_no", f"(CASE WHEN tp.ordered = 1 THEN dy.so || "
                         f"substr({self.text('1000000 + (dc.h4 / 13) % 1000000')}, 2) ELSE '' END)"),
            ("batch", "(CASE WHEN tp.batch = 0 THEN '' WHEN tp.hot = 1 AND (dc.h4 / 17) % 10 < 7 "
                      f"THEN 'L24017' ELSE 'L' || {self.text('24001 + (dc.h4 / 17) % 48')} END)"),
            ("purchase_date", f"(CASE WHEN tp.ordered = 1 THEN "
                              f"{self.date(f'dy.e0 + 43200 - (1 + (dc.h4 / 19) % 90) * {DAY}')} END)"),
            ("category", "tp.category"),
            ("severity", "dc.sev"),
            ("description", "tp.description"),
            ("customer_request", "tp.request"),
            ("caller_mood", "dc.mood"),
            ("registered_at", self.ts("dc.reg")),
            ("registered_by", "dc.registrar"),
            ("updated_at", self.ts(self.step_or_registered("pk.c_last", "pk.n_last"))),
            ("validity", "pk.validity"),
            ("validity_reason", "(CASE WHEN pk.validity = 'not_founded' THEN tp.not_founded ELSE '' END)"),
            ("department_code", when("assigned", "tp.dept")),
            ("handler_id", when("assigned", "dc.handler")),
            ("assigned_at", when("assigned", self.ts(starts["assigned"]))),
            ("cause_what", when("cause", "tp.cause_what", "''")),
            ("cause_why", when("cause", "tp.cause_why", "''")),
            ("cause_when", when("cause", "dy.month", "''")),
            ("cause_where", when("cause", "tp.cause_where", "''")),
            ("cause_who", when("cause", "tp.cause_who", "''")),
            ("cause_how", when("cause", "tp.cause_how", "''")),
            ("cause_how_much", when("cause", "tp.cause_how_much", "''")),
            ("fishbone_factor", when("cause", "tp.fishbone")),
            ("remedy", when("remedy_on", "tp.remedy")),
            ("amount_cents", when("remedy_on", "dc.amt")),
            ("implementation", when("implemented", "tp.implementation", "''")),
            ("accountability", when("implemented", "tp.accountability", "''")),
            ("preventive_action", when("implemented", "tp.prevention", "''")),
            ("implemented_at", when("implemented", self.ts(starts["implemented"]))),
            ("satisfaction", "dc.score"),
            ("closed_at", when("closing", self.ts(self.at_step("pk.c_close", "pk.n_close")))),
            ("closure", "pk.closure"),
            ("typical", "(pk.score = 1 AND (dc.hs / 7) % 100 = 0)"),
            ("acknowledge_due_at", self.ts(acknowledge)),
            ("answer_due_at", self.ts(answer)),
            ("department_due_at", when("assigned", self.ts(department_due))),
            ("follow_up_due_at", when("implemented", self.ts(follow_up_due))),
            ("next_due_at", next_due),
            ("at_risk_at", at_risk),
        ]

    def cases(self) -> str:
        values = self.case_values()
        return (f"INSERT INTO cases ({', '.join(c for c, _ in values)}) "
                f"SELECT {', '.join(v for _, v in values)} {self.FROM}"
                "JOIN demo_pick pk ON pk.k = dc.pkk ORDER BY dc.i")

    def search(self) -> str:
        target = "case_search (rowid, body)" if self.sqlite else "case_search (case_id, body)"
        name = self.name_k("dc.k", "tp.ca", "tp.cs", "tp.dbase", "tp.dn", "tp.pbase", "tp.pn")
        return (f"INSERT INTO {target} SELECT dc.i, nm.tok || ' ' || tp.tokens "
                f"FROM demo_case dc JOIN demo_tpl tp ON tp.t = dc.t "
                f"JOIN demo_name nm ON nm.k = {name} ORDER BY dc.i")

    def events(self, part: str = "") -> str:
        """The chunk's events; ``part`` "register": only the registrations, "rest": the others
        (the rules' suggestion goes between them, issue 14)."""
        two = self.by_mult("st.mult", "dc.two", "dc.two_hi")
        comment = "(CASE st.comment " + " ".join(
            f"WHEN {j} THEN {c}" for j, c in enumerate(COMMENTS)) + " END)"
        filled = {
            "fixed": "st.fixed",
            "channel": "dc.d_reg",
            "department": "tp.d_assign",
            "fishbone": "tp.d_cause",
            "proposal": f"(CASE WHEN {two} = 1 THEN tp.d_prop2 ELSE tp.d_prop1 END)",
            "approval": (f"(CASE WHEN {two} = 0 THEN tp.d_appr11 "
                         f"WHEN st.cond = {IF_TWO_APPROVALS} THEN tp.d_appr12 ELSE tp.d_appr22 END)"),
            "score": "dc.d_score",
        }
        details = "(CASE st.details " + " ".join(
            f"WHEN {j} THEN {filled[d]}" for j, d in enumerate(DETAILS)) + " END)"
        return (
            "INSERT INTO case_events (case_id, at, actor_id, action, from_status, to_status, "
            f"comment, visibility, details) SELECT dc.i, "
            f"{self.ts(self.step_or_registered('st.c', 'st.n'))}, "
            f"{self.actor('st.actor', 'st.n', two)}, st.action, st.from_s, st.to_s, "
            f"{comment}, st.vis, {details} {self.FROM}"
            f"JOIN demo_step st ON st.pid = dc.pid AND (st.cond = {ALWAYS} "
            f"OR (st.cond = {IF_URGENT} AND dc.urg = 1) "
            f"OR (st.cond = {IF_TWO_APPROVALS} AND {two} = 1)) "
            + {"register": "AND st.action = 'register' ", "rest": "AND st.action <> 'register' "}.get(part, "")
            + "ORDER BY dc.i, st.n"
        )

    @staticmethod
    def suggestions() -> str:
        """The rules' suggestion at each of the chunk's registrations, as the timeline keeps it."""
        return ("INSERT INTO case_events (case_id, at, actor_id, action, from_status, to_status, comment, "
                "visibility, details) SELECT c.id, c.registered_at, c.registered_by, 'suggestion', 'registered', "
                "'registered', '', 'internal', sg.details FROM demo_case dc JOIN cases c ON c.id = dc.i "
                "JOIN demo_sugg sg ON sg.t = dc.t ORDER BY dc.i")

    def proposals(self) -> str:
        # approvals_given: the approving rows :meth:`approvals` will give this proposal, counted
        # on the small plan table (the same join), so no proposal is written twice.
        two = self.by_mult("pa.mult", "dc.two", "dc.two_hi")
        return (
            "INSERT INTO proposals (case_id, remedy, amount_cents, details, proposed_by, "
            "proposed_at, status, approvals_needed, approvals_given) "
            f"SELECT dc.i, tp.remedy, {self.by_mult('pp.mult', 'dc.amt', 'dc.amt_hi')}, "
            f"tp.proposal, dc.handler, {self.ts(self.at_step('pp.c', 'pp.n'))}, pp.status, "
            f"1 + {self.by_mult('pp.mult', 'dc.two', 'dc.two_hi')}, "
            "(SELECT count(*) FROM demo_appr pa WHERE pa.pid = dc.pid AND pa.pst = pp.status "
            f"AND pa.decision = 'approved' AND (pa.cond = {ALWAYS} OR {two} = 1)) {self.FROM}"
            "JOIN demo_prop pp ON pp.pid = dc.pid ORDER BY dc.i, pp.pno"
        )

    def approvals(self, after: int) -> str:
        """Approvals of the proposals with ids above ``after``: those of this chunk's cases."""
        two = self.by_mult("pa.mult", "dc.two", "dc.two_hi")
        # Reading only this chunk's proposals (an id range) instead of joining all proposals
        # to this chunk's cases: the latter scans every earlier chunk's proposals again.
        return (
            "INSERT INTO approvals (proposal_id, approver_id, decision, comment, at) "
            f"SELECT p.id, {self.actor('pa.actor', 'pa.n', two)}, pa.decision, "
            f"(CASE WHEN pa.decision = 'returned' THEN tp.returned ELSE '' END), "
            f"{self.ts(self.at_step('pa.c', 'pa.n'))} FROM proposals p "
            "JOIN demo_case dc ON dc.i = p.case_id JOIN demo_day dy ON dy.d = dc.r "
            "JOIN demo_tpl tp ON tp.t = dc.t "
            f"JOIN demo_appr pa ON pa.pid = dc.pid AND pa.pst = p.status "
            f"AND (pa.cond = {ALWAYS} OR {two} = 1) WHERE p.id > {after} ORDER BY p.id, pa.n"
        )

    def surveys(self) -> str:
        return (
            "INSERT INTO surveys (case_id, score, solved, comments, answered, recorded_by, at) "
            f"SELECT dc.i, dc.score, (dc.score >= {min(SATISFIED_SCORES)}), "
            f"(CASE WHEN dc.score >= {min(SATISFIED_SCORES)} THEN tp.survey_good "
            "ELSE tp.survey_bad END), (1 = 1), "
            f"{self.actor(str(AGENT), 'pk.n_fu')}, {self.ts(self.at_step('pk.c_fu', 'pk.n_fu'))} "
            f"{self.FROM}JOIN demo_pick pk ON pk.k = dc.pkk WHERE dc.score IS NOT NULL "
            "ORDER BY dc.i"
        )


# -- the small tables the statements join ------------------------------------------------------

TEMP_TABLES: dict[str, str] = {
    "demo_day": "d INTEGER PRIMARY KEY, ymd TEXT, num TEXT, so TEXT, month TEXT, e0 BIGINT, first_id BIGINT, n BIGINT, "
                "step BIGINT, bucket INTEGER, "
                + ", ".join(f"w{j} BIGINT" for j in range(WORDS)) + ", "
                + ", ".join(f"s{j} BIGINT" for j in range(WORDS)),
    "demo_name": "k INTEGER PRIMARY KEY, name TEXT, tok TEXT",
    "demo_tpl": "t INTEGER PRIMARY KEY, " + ", ".join(
        f"{c} {'BIGINT' if c in ('amount',) else 'INTEGER' if c in ('lang', 'dept_idx', 'danger', 'sev_lo', 'sev_n', 'ordered', 'dealt', 'batch', 'hot', 'money', 'start', 'share', 'nl', 'cbase', 'cn', 'ca', 'cs', 'cf', 'dbase', 'dn', 'pbase', 'pn') else 'TEXT'}"
        for c in (
            "lang", "category", "dept", "dept_idx", "danger", "sev_lo", "sev_n", "product",
            "ordered", "dealt", "batch", "hot", "description", "request", "remedy", "money", "amount",
            "fishbone", "cause_what", "cause_why", "cause_where", "cause_who", "cause_how",
            "cause_how_much", "proposal", "implementation", "accountability", "prevention",
            "not_founded", "survey_good", "survey_bad", "returned", "refused", "closed", "tokens",
            "d_assign", "d_cause", "d_prop1", "d_prop2", "d_appr11", "d_appr12", "d_appr22",
            "start", "share", "nl", "cbase", "cn", "ca", "cs", "cf", "dbase", "dn", "pbase", "pn",
        )
    ),
    "demo_case": "i INTEGER PRIMARY KEY, r INTEGER, t INTEGER, pkk INTEGER, pid INTEGER, "
                 "k BIGINT, urg INTEGER, sev INTEGER, amt BIGINT, amt_hi BIGINT, two INTEGER, "
                 "two_hi INTEGER, loc BIGINT, reg BIGINT, registrar INTEGER, handler INTEGER, "
                 "hs BIGINT, h4 BIGINT, chan TEXT, mood TEXT, score INTEGER, d_reg TEXT, "
                 "d_score TEXT",
    "demo_pick": "k INTEGER PRIMARY KEY, pid INTEGER, status TEXT, version INTEGER, two INTEGER, "
                 "validity TEXT, closure TEXT, assigned INTEGER, cause INTEGER, "
                 "implemented INTEGER, remedy_on INTEGER, score INTEGER, closing INTEGER, "
                 "c_assign INTEGER, n_assign INTEGER, c_impl INTEGER, n_impl INTEGER, "
                 "c_close INTEGER, n_close INTEGER, c_fu INTEGER, n_fu INTEGER, "
                 "c_last INTEGER, n_last INTEGER, deadline INTEGER",
    "demo_step": "pid INTEGER, n INTEGER, action TEXT, from_s TEXT, to_s TEXT, actor INTEGER, "
                 "c INTEGER, cond INTEGER, vis TEXT, mult INTEGER, comment INTEGER, "
                 "details INTEGER, fixed TEXT, PRIMARY KEY (pid, n)",
    "demo_prop": "pid INTEGER, pno INTEGER, status TEXT, c INTEGER, n INTEGER, mult INTEGER, "
                 "PRIMARY KEY (pid, pno)",
    "demo_appr": "pid INTEGER, pst TEXT, n INTEGER, c INTEGER, decision TEXT, actor INTEGER, "
                 "cond INTEGER, mult INTEGER, PRIMARY KEY (pid, pst, n)",
    # Issue 14: the rules' suggestion for each distinct complaint text, as the timeline keeps it.
    "demo_sugg": "t INTEGER, details TEXT, PRIMARY KEY (t)",
}


def table_columns(table: str) -> list[str]:
    definition = TEMP_TABLES[table].split(", PRIMARY KEY")[0]
    return [part.split()[0] for part in definition.split(",")]

