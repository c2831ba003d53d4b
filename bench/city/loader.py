"""Bulk loading: clone template rows into a city of the wanted size, in the database itself.

The template cases (bench/city/templates.py) and the demo catalogue are real rows made by the
services. Each is copied ``rounds`` times by one ``INSERT … SELECT`` per table, joined with a table of
round numbers, so nothing travels through Python and both databases load at the speed they write
(PostgreSQL: a few hundred thousand rows a second here). In round ``r`` a row gets:

- integer ids ``id + r × stride`` (``stride``: a power of ten above the table's largest id), UUIDs
  their last 12 hex digits replaced by ``r``, and every foreign key into the cloned rows the same;
- a new applicant (a cloned citizen), a new 办件编号 (same prefix and date, the new id) and a
  process subject ``application:<new id>``; catalogue items a new 实施编码.

Which tables are cloned is read from the models: a case is its Application and ProcessInstance and
every row that cascades from them (events, materials, tasks, candidates, signers …); an item is its
ServiceItem and the catalog rows cascading from it. A table another change adds joins by itself.

The data-usage log is a hash chain, so its rows are computed in Python and written with COPY
(PostgreSQL) or ``bulk_create`` in batches (SQLite); the chain stays valid (``verify_usage_log``).

Cloned instances are for reading (lists, boards, clocks): their engine state names the template's
task ids, so the benchmark runs the flow on fresh applications, never on clones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, models, transaction

ROUNDS_TABLE = "bench_city_round"
CITIZEN_CLONE_OFFSET = 1000  # cloned citizens' phones: PHONE_BASE + offset + n
CASE_SPREAD_DAYS = 45  # cloned cases are spread over the last 45 days


@dataclass
class Timings:
    """Seconds per loading stage, printed and kept in the README."""

    stages: dict[str, float] = field(default_factory=dict)

    def run(self, name: str, fn, *args, **kwargs):
        t0 = time.perf_counter()
        result = fn(*args, **kwargs)
        self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - t0
        print(f"  {name}: {self.stages[name]:.1f} s", flush=True)
        return result


# ----------------------------------------------------------------------------------------- SQL helpers


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _text(expr: str) -> str:
    return f"CAST({expr} AS {'text' if _is_postgres() else 'TEXT'})"


def _pad8(expr: str) -> str:
    if _is_postgres():
        return f"lpad(CAST({expr} AS text), 8, '0')"
    return f"printf('%08d', {expr})"


def _uuid(column: str) -> str:
    """The UUID in ``column`` with its last 12 hex digits replaced by the round number."""
    if _is_postgres():
        return f"CAST(substr(CAST({column} AS text), 1, 24) || lpad(to_hex(r.r), 12, '0') AS uuid)"
    return f"(substr({column}, 1, 20) || printf('%012x', r.r))"


def _days_back(column: str, days: str, field_: models.Field) -> str:
    """``column`` moved ``days`` back; SQLite keeps datetimes as text (milliseconds are enough)."""
    with_time = isinstance(field_, models.DateTimeField)
    if _is_postgres():
        return f"{column} - ({days} * interval '1 day')" if with_time else f"{column} - {days}"
    if with_time:
        return f"strftime('%Y-%m-%d %H:%M:%f', {column}, '-' || {days} || ' days')"
    return f"date({column}, '-' || {days} || ' days')"


def _stride(model: type[models.Model]) -> int:
    if _is_uuid(model._meta.pk):
        return 0  # UUIDs are remapped by round, not by offset
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({_q(model._meta.pk.column)}) FROM {_q(model._meta.db_table)}")  # noqa: S608
        biggest = cursor.fetchone()[0] or 0
    return 10 ** max(1, math.ceil(math.log10(biggest + 1)))


def _is_uuid(field_: models.Field) -> bool:
    target = field_.target_field if field_.is_relation else field_
    return isinstance(target, models.UUIDField)


def ensure_rounds(count: int) -> None:
    """A table holding 1 … count (at least), the other side of every cloning join."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {ROUNDS_TABLE} (r integer PRIMARY KEY)")
        cursor.execute(f"SELECT COALESCE(MAX(r), 0) FROM {ROUNDS_TABLE}")  # noqa: S608
        have = cursor.fetchone()[0]
        if have >= count:
            return
        if _is_postgres():
            cursor.execute(f"INSERT INTO {ROUNDS_TABLE} SELECT generate_series(%s, %s)", [have + 1, count])
        else:
            cursor.execute(
                f"WITH RECURSIVE n(r) AS (SELECT %s UNION ALL SELECT r + 1 FROM n WHERE r < %s) "  # noqa: S608
                f"INSERT INTO {ROUNDS_TABLE} SELECT r FROM n",
                [have + 1, count],
            )


# ------------------------------------------------------------------------------------------- bundles


def owned_models(
    roots: list[type[models.Model]], *, app_labels: set[str] | None = None
) -> list[type[models.Model]]:
    """``roots`` and every model whose rows cascade from them, parents before children."""
    bundle = list(roots)
    changed = True
    while changed:
        changed = False
        for model in apps.get_models(include_auto_created=True):
            if model in bundle or (app_labels and model._meta.app_label not in app_labels):
                continue
            if model._meta.proxy:
                continue
            if any(
                (f.many_to_one or f.one_to_one)
                and f.related_model in bundle
                and f.remote_field.on_delete is models.CASCADE
                for f in model._meta.concrete_fields
            ):
                bundle.append(model)
                changed = True
    return bundle


@dataclass
class Clone:
    """One cloning plan: the bundle's models, each with its stride and special columns."""

    models: list[type[models.Model]]
    strides: dict[type[models.Model], int]
    special: dict[tuple[type[models.Model], str], str] = field(default_factory=dict)
    shift_days: int = 0  # > 0: every date and time of round r moves (r mod shift_days) days back

    def id_expr(self, model: type[models.Model], column: str, field_: models.Field) -> str:
        if _is_uuid(field_):
            return _uuid(f"t.{_q(column)}")
        return f"t.{_q(column)} + r.r * {self.strides[model]}"

    def select_list(self, model: type[models.Model]) -> tuple[list[str], list[str]]:
        columns, exprs = [], []
        for f in model._meta.concrete_fields:
            columns.append(_q(f.column))
            if (model, f.column) in self.special:
                exprs.append(self.special[(model, f.column)])
            elif f.primary_key and not f.is_relation:
                exprs.append(self.id_expr(model, f.column, f))
            elif f.is_relation and f.related_model in self.models:
                exprs.append(self.id_expr(f.related_model, f.column, f))
            elif self.shift_days and isinstance(f, models.DateField):  # DateTimeField is one too
                exprs.append(_days_back(f"t.{_q(f.column)}", f"(r.r % {self.shift_days})", f))
            else:
                exprs.append(f"t.{_q(f.column)}")
        return columns, exprs

    def template_ids(self, roots: dict[type[models.Model], list]) -> dict[type[models.Model], list]:
        """Ids of the template rows of every model of the bundle, from the roots' ids down."""
        ids = dict(roots)
        for model in self.models:
            if model in ids:
                continue
            wanted: list = []
            for f in model._meta.concrete_fields:
                if (
                    (f.many_to_one or f.one_to_one)
                    and f.related_model in ids
                    and f.remote_field.on_delete is models.CASCADE
                ):
                    parent_ids = ids[f.related_model]
                    if parent_ids:
                        wanted += list(
                            model._default_manager.filter(**{f"{f.name}__in": parent_ids}).values_list(
                                "pk", flat=True
                            )
                        )
            ids[model] = sorted(set(wanted), key=str)
        return ids

    def insert(self, ids: dict[type[models.Model], list], *, first: int, last: int) -> int:
        """Copy the template rows into rounds ``first`` … ``last``; returns the rows written."""
        written = 0
        with connection.cursor() as cursor:
            for model in self.models:
                rows = ids.get(model) or []
                if not rows:
                    continue
                pk = model._meta.pk
                db_ids = [pk.get_db_prep_value(v, connection) for v in rows]
                columns, exprs = self.select_list(model)
                select = ", ".join(exprs).replace("%", "%%")  # printf and modulo, not placeholders
                marks = ", ".join(["%s"] * len(db_ids))
                cursor.execute(
                    f"INSERT INTO {_q(model._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
                    f"SELECT {select} FROM {_q(model._meta.db_table)} t "
                    f"JOIN {ROUNDS_TABLE} r ON r.r BETWEEN %s AND %s "
                    f"WHERE t.{_q(pk.column)} IN ({marks})",
                    [first, last, *db_ids],
                )
                written += cursor.rowcount
        return written


def case_plan(*, citizen_base_id: int, citizens: int, citizen_stride: int) -> Clone:
    """Applications and their workflow instances with everything that cascades from either."""
    application = apps.get_model("applications", "Application")
    instance = apps.get_model("workflow", "ProcessInstance")
    bundle = owned_models([application, instance])
    # Cases submitted over the last 6 weeks: the board sees green, yellow and red clocks.
    plan = Clone(models=bundle, strides={m: _stride(m) for m in bundle}, shift_days=CASE_SPREAD_DAYS)
    app_stride = plan.strides[application]
    new_app_id = f"(t.{_q('id')} + r.r * {app_stride})"
    plan.special[(application, "number")] = (
        f"CASE WHEN t.number IS NULL THEN NULL ELSE substr(t.number, 1, length(t.number) - 8) || {_pad8(new_app_id)} END"
    )
    # Cloned citizens have ids citizen_base_id + n × citizen_stride, n = 1 … citizens.
    plan.special[(application, "applicant_id")] = (
        f"{citizen_base_id} + (1 + (r.r * 7919 + t.id) % {citizens}) * {citizen_stride}"
    )
    plan.special[(instance, "subject")] = (
        f"'application:' || {_text(f'CAST(substr(t.subject, 13) AS bigint) + r.r * {app_stride}')}"
    )
    return plan


def item_plan() -> Clone:
    item = apps.get_model("catalog", "ServiceItem")
    bundle = owned_models([item], app_labels={"catalog"})
    plan = Clone(models=bundle, strides={m: _stride(m) for m in bundle})
    plan.special[(item, "implementation_code")] = (
        f"substr(t.implementation_code, 1, 20) || '-' || {_text(f't.id + r.r * {plan.strides[item]}')}"
    )
    return plan


# ---------------------------------------------------------------------------------------- the stages


def clone_citizens(*, template_id: int, count: int, phone_base: int) -> tuple[int, int]:
    """``count`` citizens copied from the template citizen (same password); returns (base id, stride)."""
    user = apps.get_model("accounts", "User")
    stride = _stride(user)
    plan = Clone(models=[user], strides={user: stride})
    phone = _text(f"{phone_base + CITIZEN_CLONE_OFFSET} + r.r")
    plan.special.update(
        {
            (user, "username"): phone,
            (user, "phone"): phone,
            (user, "full_name"): f"'云州市民' || {_text('r.r')}",
            (user, "resident_id_hmac"): "''",
            (user, "resident_id_masked"): "''",
            (user, "last_login"): "NULL",
        }
    )
    # Ids template_id + n × stride would collide for the next user the platform creates only if the
    # sequence is not moved past them: reset_sequences does that.
    plan.insert({user: [template_id]}, first=1, last=count)
    return template_id, stride


def clone_cases(
    plan: Clone, *, open_ids: list[int], done_ids: list[int], open_rounds: int, done_rounds: int
) -> int:
    application = apps.get_model("applications", "Application")
    instance = apps.get_model("workflow", "ProcessInstance")
    written = 0
    for template_apps, first, last in (
        (open_ids, 1, open_rounds),
        (done_ids, open_rounds + 1, open_rounds + done_rounds),
    ):
        if last < first:
            continue
        subjects = [f"application:{pk}" for pk in template_apps]
        roots = {
            application: template_apps,
            instance: list(
                instance._default_manager.filter(subject__in=subjects).values_list("pk", flat=True)
            ),
        }
        written += plan.insert(plan.template_ids(roots), first=first, last=last)
    return written


def clone_items(plan: Clone, *, rounds: int) -> int:
    item = apps.get_model("catalog", "ServiceItem")
    template = list(item._default_manager.values_list("pk", flat=True))
    return plan.insert(plan.template_ids({item: template}), first=1, last=rounds)


def reset_sequences() -> None:
    """Move PostgreSQL's id sequences past the cloned ids (SQLite's AUTOINCREMENT follows by itself)."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def usage_rows(*, count: int, seq: int, prev: str, subjects: list[tuple[str, str]]) -> Iterator[dict]:
    """``count`` rows of chain 1 after (seq, prev): uses of 人口基本信息 by 民政局, spread over subjects."""
    from tongban.sharing.usage_log import row_hash

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for n in range(count):
        key, masked = subjects[n % len(subjects)]
        seq += 1
        values = {
            "seq": seq,
            "created_at": now - dt.timedelta(seconds=count - n),
            "channel": "api",
            "client_id_ref": None,
            "department_id_ref": None,
            "department_name": "云州市锦江区民政局",
            "resource_code": "person.basic",
            "resource_name": "人口基本信息",
            "subject_kind": "person",
            "subject_key": key,
            "subject_masked": masked,
            "item_names": ["姓名", "性别"],
            "purpose": "婚姻登记",
            "case_ref": f"HY-{seq}",
            "outcome": "served",
            "reason": "",
        }
        digest = row_hash(prev, values)
        yield {**values, "chain": 1, "prev_hash": prev, "hash": digest}
        prev = digest


def load_usage_log(*, count: int, subjects: list[tuple[str, str]]) -> int:
    """Append ``count`` rows to the data-usage log's first chain, valid, continuing from its head (the
    other chains are the concurrent writers' of the measured runs)."""
    entry = apps.get_model("sharing", "UsageLogEntry")
    head_model = apps.get_model("sharing", "UsageChainHead")
    head, _ = head_model._default_manager.get_or_create(pk=1)
    rows = usage_rows(count=count, seq=head.seq, prev=head.hash, subjects=subjects)
    last = None
    if _is_postgres():
        columns = [f.column for f in entry._meta.concrete_fields if not f.primary_key]
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3: COPY … FROM STDIN
            with raw.copy(f"COPY {entry._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    last = row
                    copy.write_row(
                        [
                            json.dumps(row[c], ensure_ascii=False) if c == "item_names" else row[c]
                            for c in columns
                        ]
                    )
    else:
        batch: list = []
        for row in rows:
            last = row
            batch.append(entry(**row))
            if len(batch) == 20_000:
                entry._default_manager.bulk_create(batch)
                batch = []
        entry._default_manager.bulk_create(batch)
    if last is not None:
        head_model._default_manager.filter(pk=1).update(seq=last["seq"], hash=last["hash"])
    return count


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@transaction.atomic
def _atomic(fn, *args, **kwargs):
    """One stage, one transaction. On PostgreSQL without the foreign-key triggers (as pg_restore
    loads): the clones point only at rows that exist (the loader test checks it), and checking
    millions of deferred constraints at COMMIT took longer than writing the rows."""
    if _is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    return fn(*args, **kwargs)


def rounds_for(total: int, group: int) -> int:
    return math.ceil(total / group) if total > 0 else 0


def open_tasks_of(application_ids: list[int]) -> int:
    task = apps.get_model("workflow", "WorkTask")
    subjects = [f"application:{pk}" for pk in application_ids]
    return task._default_manager.filter(instance__subject__in=subjects, status="open").count()


def case_rounds(
    *, applications: int, open_tasks: int, open_ids: list[int], done_ids: list[int]
) -> tuple[int, int]:
    """Rounds of each template group giving about ``applications`` cases and ``open_tasks`` open
    tasks (cases waiting for 补正 keep their task open, so the second group has a few too)."""
    o_apps, o_tasks = len(open_ids), open_tasks_of(open_ids)
    d_apps, d_tasks = len(done_ids), open_tasks_of(done_ids)
    # open_rounds × o_apps + done_rounds × d_apps = applications
    # open_rounds × o_tasks + done_rounds × d_tasks = open_tasks
    det = o_apps * d_tasks - d_apps * o_tasks
    done = (o_apps * open_tasks - o_tasks * applications) / det if det else 0
    done = max(0, round(done))
    opened = max(0, round((applications - done * d_apps) / o_apps))
    return opened, done


def load_city(*, sizes, templates, timings: Timings, phone_base: int) -> dict[str, int]:
    """Clone the templates to ``sizes``; returns the rounds used (the test checks counts from them)."""
    open_rounds, done_rounds = case_rounds(
        applications=sizes.applications,
        open_tasks=sizes.open_tasks,
        open_ids=templates.open_ids,
        done_ids=templates.done_ids,
    )
    item_count = apps.get_model("catalog", "ServiceItem")._default_manager.count()
    item_rounds = rounds_for(sizes.catalogue_items - item_count, item_count)
    ensure_rounds(max(open_rounds + done_rounds, item_rounds, sizes.citizens))
    base_id, stride = timings.run(
        "citizens",
        _atomic,
        clone_citizens,
        template_id=templates.citizens[0],
        count=sizes.citizens,
        phone_base=phone_base,
    )
    plan = case_plan(citizen_base_id=base_id, citizens=sizes.citizens, citizen_stride=stride)
    timings.run(
        "applications, events, instances, tasks, materials",
        _atomic,
        clone_cases,
        plan,
        open_ids=templates.open_ids,
        done_ids=templates.done_ids,
        open_rounds=open_rounds,
        done_rounds=done_rounds,
    )
    timings.run("catalogue items", _atomic, clone_items, item_plan(), rounds=item_rounds)
    subjects = subjects_for_usage(templates.citizens)
    timings.run("usage log", _atomic, load_usage_log, count=sizes.usage_log, subjects=subjects)
    timings.run("sequences", reset_sequences)
    timings.run("analyze", analyze)
    return {"open_rounds": open_rounds, "done_rounds": done_rounds, "item_rounds": item_rounds}


def subjects_for_usage(citizen_ids: list[int]) -> list[tuple[str, str]]:
    """The bench citizens (their usage page reads their rows) and 5,000 others, as (key, masked)."""
    user = apps.get_model("accounts", "User")
    own = list(
        user._default_manager.filter(pk__in=citizen_ids).values_list("resident_id_hmac", "resident_id_masked")
    )
    others = [(hashlib.sha256(f"bench-{n}".encode()).hexdigest(), "110***********0000") for n in range(5000)]
    return own + others
