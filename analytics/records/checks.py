"""Checking a table read into staging against the record format, set-based.

Checking is SQL in the staging database: each check is one query over the
typed table (cells.py) that writes its issues, for every row at once, to the
issues table (Validation.add_issues). Rejected rows are flagged, not deleted,
and the kept rows are never copied before load_into. No Python loop runs per
row, so a million duos and twenty million meetings stay affordable.

The checks of one table (``check_table``), in order:

1. empty rows are skipped (a warning when records follow them);
2. the rows that are bad on their own are rejected: a missing or unreadable
   value, a key used before, an impossible date order (``reject_rows``);
3. a required reference must name a kept row of its table: a row pointing at
   a rejected row is rejected in turn (``check_reference``);
4. the rejected rows are flagged, the others kept (``keep_rows``);
5. warnings on the kept rows, some of which clear a value (``warn``);
6. the rows breaking a programme rule are listed (``report_exceptions``).

Tables are checked parents first (the record format's order: mentees,
mentors, staff, then duos, then the tables that point at duos), so the
cascade falls out of checking references against the rows that were kept.
"""
from __future__ import annotations

from analytics.records import schema
from analytics.records.cells import (empty, parse_sql, reads_as_number, shown, text_column, unknown_languages_sql,
                                     within_scale)
from analytics.records.issues import Reason, build_reason, reason_case
from analytics.records.schema import Column, Table
from analytics.records.sql import lit, q
from analytics.records.staging import Staged, Validation


def check_table(run: Validation, table: Table, staged: Staged) -> None:
    """Every check of one table read into staging (see the module's docstring)."""
    skip_empty_rows(run, table, staged)
    reject_rows(run, table, staged)
    for column in table.references:
        if column.required:
            check_reference(run, table, staged, column)
    run.flush_issues()
    keep_rows(run, table, staged)
    warn(run, table, staged)
    report_exceptions(run, table)
    run.flush_issues()


# --------------------------------------------------------------------------
# Why a cell's text is not a value


TYPE_REASONS = {
    "date": build_reason("not_a_date", expected=lit("YYYY-MM-DD")),
    "month": build_reason("not_a_month", expected=lit("YYYY-MM")),
    "bool": build_reason("not_a_boolean", expected=lit("true/false, 1/0, yes/no")),
    "country": build_reason("not_a_country"),
    "number": build_reason("not_a_number"),
    "integer": build_reason("not_a_whole_number"),
}


def range_reason(column: Column) -> Reason:
    """Out of range: must be `column.range_text()` (or a finite number)."""
    text = column.range_text()
    if not text:
        return build_reason("not_finite")
    if text.startswith("in "):
        return build_reason("out_of_interval", interval=lit(text[len("in "):]))
    return build_reason("out_of_range", range=lit(text))


def bad_value_reason(column: Column, bad: str, decimal_comma: bool) -> Reason:
    """Why the text `bad` is not a valid value of the column."""
    if column.type == "choice":
        return build_reason("not_one_of", allowed=lit(", ".join(column.choices)))
    if column.type == "languages":
        return build_reason("not_languages", unknown=unknown_languages_sql(bad))
    reason = TYPE_REASONS[column.type]
    if column.type == "number":
        whens = []
        if decimal_comma:
            whens.append((f"contains({bad}, '.')", build_reason("ambiguous_number")))
        whens += [(f"NOT {reads_as_number(column, bad, decimal_comma)}", reason),
                  (f"NOT {within_scale(column, bad, decimal_comma)}",
                   build_reason("too_many_decimals", scale=lit(str(column.scale)))),
                  (f"({parse_sql(column, bad, decimal_comma)}) IS NULL",
                   build_reason("too_many_digits", digits=lit(str(column.integer_digits))))]
        return reason_case(whens, range_reason(column))
    if column.type == "integer":
        whens = []
        if decimal_comma:
            whens.append((f"contains({bad}, '.')", build_reason("ambiguous_number")))
        whens.append((f"({parse_sql(column, bad, decimal_comma)}) IS NULL", reason))
        return reason_case(whens, range_reason(column))
    return reason


# --------------------------------------------------------------------------
# Rows that are not records, rows bad on their own


def skip_empty_rows(run: Validation, table: Table, staged: Staged) -> None:
    """Rows whose record-format cells are all empty are not records: skip
    them, with a warning when records follow. (Rows numbered in Python were
    sorted out while reading.)"""
    if staged.numbered:
        return
    typed = run.typed(table)
    blank = " AND ".join(f"({empty(c)})" for c in table.columns)
    found = [n for (n,) in run.con.execute(
        f"SELECT rowid + 2 FROM {typed} WHERE {blank} ORDER BY 1").fetchall()]
    if not found:
        return
    last = run.con.execute(f"SELECT max(rowid) + 2 FROM {typed} WHERE NOT ({blank})").fetchall()[0][0]
    for number in found:
        if last is not None and number < last:
            run.add_issue("warning", table, run.displays[table.name], number, None, None, "empty_row")
    renumbered = run.staging.name("renumbered", table.name)
    run.con.execute(
        f"CREATE TABLE {renumbered} AS SELECT rowid + 2 AS _row, * FROM {typed} WHERE NOT ({blank})")
    run.con.execute(f"DROP TABLE {typed}")
    run.con.execute(f"ALTER TABLE {renumbered} RENAME TO {run.staging.bare_name('typed', table.name)}")
    staged.numbered = True


def reject_rows(run: Validation, table: Table, staged: Staged) -> None:
    """The reasons of the record format's "Bad input" that a row shows on
    its own: bad or missing values, a used key, impossible date orders."""
    reject_bad_cells(run, table, staged)
    reject_duplicate_keys(run, table, staged)
    reject_impossible_dates(run, table, staged)


def reject_bad_cells(run: Validation, table: Table, staged: Staged) -> None:
    """A required value missing, a value that does not read as its type or is
    out of range, a value missing while the one it goes with is given."""
    typed, row = run.typed(table), staged.row()
    for column in table.columns:
        text = shown(column)
        if column.required:
            run.add_issues("rejected", table, column.name, row, "NULL", build_reason("missing_required"),
                           f"FROM {typed} WHERE {empty(column)}")
        if column.type != "text":
            run.add_issues("rejected", table, column.name, row, text,
                           bad_value_reason(column, text, staged.decimal_comma),
                           f"FROM {typed} WHERE {text_column(column)} IS NOT NULL AND {text} IS NOT NULL")
        if column.required_with:
            given = table.column(column.required_with)
            run.add_issues("rejected", table, column.name, row, "NULL",
                           build_reason("missing_required_with", column=lit(given.name)),
                           f"FROM {typed} WHERE NOT ({empty(given)}) AND {empty(column)}")


def reject_duplicate_keys(run: Validation, table: Table, staged: Staged) -> None:
    """A key already used by an earlier row of the file."""
    if not table.key:
        return
    typed, row, key = run.typed(table), staged.row(), q(table.key)
    run.add_issues(
        "rejected", table, table.key, staged.row("t"), f"t.{key}",
        build_reason("duplicate_key", row="d.first_row"),
        f"FROM {typed} t JOIN (SELECT {key} AS k, min({row}) AS first_row FROM {typed} "
        f"WHERE {key} IS NOT NULL GROUP BY {key} HAVING count(*) > 1) d ON d.k = t.{key} "
        f"WHERE {staged.row('t')} > d.first_row")


def reject_impossible_dates(run: Validation, table: Table, staged: Staged) -> None:
    """The date orders within a row that the record format rejects."""
    typed, row = run.typed(table), staged.row()
    for rule in schema.date_orders_for(table.name):
        if not rule.rejects:
            continue
        later, earlier = q(rule.later), q(rule.earlier)
        condition = f"{later} < {earlier}"
        order = {"later": lit(rule.later), "earlier": lit(rule.earlier),
                 "date": f"strftime({earlier}, '%Y-%m-%d')"}
        reason = build_reason("date_order", **order)
        if rule.only_when_empty:
            condition += f" AND {empty(table.column(rule.only_when_empty))}"
            reason = build_reason("date_order_when_empty", **order, empty=lit(rule.only_when_empty))
        run.add_issues("rejected", table, rule.later, row, f"strftime({later}, '%Y-%m-%d')",
                       reason, f"FROM {typed} WHERE {condition}")


# --------------------------------------------------------------------------
# References to another table's rows


def first_rows(run: Validation, parent: Table, keys: str) -> str:
    """(k, first_row) of the parent's file for the keys `keys` selects: tells
    a reference to a rejected row from one to a row that does not exist."""
    key = q(parent.key)
    return (f"(SELECT {key} AS k, min({run.staged[parent.name].row()}) AS first_row "
            f"FROM {run.typed(parent)} WHERE {key} IN ({keys}) GROUP BY 1)")


def broken_reference_reason(run: Validation, parent: Table, ref: str, emptied: str | None = None) -> Reason:
    """No row of `parent` has the key `ref`, or the first one that has it
    was rejected (p.first_row, from first_rows). `emptied`: the optional
    reference column loaded as empty instead (a warning)."""
    unknown = {"table": lit(parent.name), "key": lit(parent.key), "value": ref}
    rejected = {"file": lit(run.displays[parent.name]), "row": "p.first_row"}
    if emptied:
        column = lit(emptied)
        return reason_case([("p.first_row IS NULL", build_reason("unknown_reference_emptied", **unknown,
                                                                 column=column))],
                           build_reason("rejected_reference_emptied", **rejected, column=column))
    return reason_case([("p.first_row IS NULL", build_reason("unknown_reference", **unknown))],
                       build_reason("rejected_reference", **rejected))


def via_rules(table: Table, column: Column) -> list[schema.DateOrder]:
    """The date orders of `table` against the row its reference `column` names."""
    return [rule for rule in schema.date_orders_for(table.name) if rule.via == column.name]


def check_reference(run: Validation, table: Table, staged: Staged, column: Column) -> None:
    """A required reference must name a row that was kept: a row pointing at
    a rejected row is rejected in turn (the cascade). The same join finds
    the unlikely date orders against the row referred to; they become
    warnings once the rows to keep are known."""
    parent = schema.TABLES_BY_NAME[column.references]
    name, key = q(column.name), q(parent.key)
    rules = via_rules(table, column)
    checks = run.staging.name(f"reference_{column.name}", table.name)
    dates = "".join(f", t.{q(r.later)} AS later_{i}, p.{q(r.earlier)} AS earlier_{i}"
                    for i, r in enumerate(rules))
    unlikely = "".join(f" OR t.{q(r.later)} < p.{q(r.earlier)}" for r in rules)
    run.con.execute(
        f"CREATE TABLE {checks} AS SELECT {staged.row('t')} AS r, t.{name} AS ref, "
        f"p.{key} IS NULL AS broken{dates} "
        f"FROM {run.typed(table)} t LEFT JOIN {run.kept(parent)} p ON p.{key} = t.{name} "
        f"WHERE t.{name} IS NOT NULL AND (p.{key} IS NULL{unlikely})")
    run.add_issues("rejected", table, column.name, "c.r", "c.ref",
                   broken_reference_reason(run, parent, "c.ref"),
                   f"FROM {checks} c LEFT JOIN "
                   f"{first_rows(run, parent, f'SELECT ref FROM {checks} WHERE broken')} p "
                   f"ON p.k = c.ref WHERE c.broken")


# --------------------------------------------------------------------------
# The kept rows


def keep_rows(run: Validation, table: Table, staged: Staged) -> None:
    """Flag the rejected rows; the others are the kept rows. They are not
    copied: the `kept` view selects them from the typed table, a single
    table under a WHERE, which keeps the file order (DuckDB guarantees it),
    so the same files always load in the same order without a sort."""
    typed, row = run.typed(table), staged.row()
    rejected_count = run.con.execute(
        f"UPDATE {typed} SET _rejected = TRUE WHERE {row} IN (SELECT row_number FROM "
        f"{run.staging.name('issues')} WHERE table_name = {lit(table.name)} AND severity = 'rejected')"
    ).fetchall()[0][0]
    rejected_count += staged.structural_rejects
    values = ", ".join(q(c.name) for c in table.columns)
    run.con.execute(
        f"CREATE VIEW {run.kept(table)} AS SELECT {row} AS _row, {values} FROM {typed} WHERE NOT _rejected")
    read = run.con.execute(f"SELECT count(*) FROM {typed}").fetchall()[0][0] + staged.structural_rejects
    run.counts[table.name] = (read, read - rejected_count, rejected_count)


def warn(run: Validation, table: Table, staged: Staged) -> None:
    """Warnings on kept rows. A reason without its date, and an optional
    reference to no kept row, are then cleared in the typed table; the
    unlikely date orders (found with the references, or within a row) are
    only reported."""
    clear_values_without_their_pair(run, table)
    warn_date_orders_via_references(run, table, staged)
    warn_date_orders(run, table)


def clear_values_without_their_pair(run: Validation, table: Table) -> None:
    """A value given without the one it requires (e.g. a reason without its
    date), and an optional reference to no kept row: warned, then cleared."""
    kept, typed = run.kept(table), run.typed(table)
    for column in table.columns:
        name = q(column.name)
        if column.required_with:
            condition = f"{q(column.required_with)} IS NULL AND {name} IS NOT NULL"
            run.add_issues("warning", table, column.name, "_row", name,
                           build_reason("without_required_with", column=lit(column.name),
                                        other=lit(column.required_with)),
                           f"FROM {kept} WHERE {condition}")
            run.flush_issues()
            run.con.execute(f"UPDATE {typed} SET {name} = NULL WHERE NOT _rejected AND {condition}")
        if column.references and not column.required:
            clear_optional_reference(run, table, column)


def clear_optional_reference(run: Validation, table: Table, column: Column) -> None:
    """An optional reference to no kept row (or to an absent table) is loaded as empty."""
    parent = schema.TABLES_BY_NAME[column.references]
    kept, name = run.kept(table), q(column.name)
    if not run.present[parent.name]:
        nowhere = f"{name} IS NOT NULL"
        run.add_issues("warning", table, column.name, "_row", name,
                       build_reason("absent_table_emptied", table=lit(parent.name), column=lit(column.name)),
                       f"FROM {kept} WHERE {nowhere}")
    else:
        nowhere = f"{name} IS NOT NULL AND {name} NOT IN (SELECT {q(parent.key)} FROM {run.kept(parent)})"
        run.add_issues("warning", table, column.name, "c._row", f"c.{name}",
                       broken_reference_reason(run, parent, f"c.{name}", emptied=column.name),
                       f"FROM (SELECT _row, {name} FROM {kept} WHERE {nowhere}) c LEFT JOIN "
                       f"{first_rows(run, parent, f'SELECT {name} FROM {kept} WHERE {nowhere}')} p "
                       f"ON p.k = c.{name}")
    run.flush_issues()
    run.con.execute(f"UPDATE {run.typed(table)} SET {name} = NULL WHERE NOT _rejected AND {nowhere}")


def warn_date_orders_via_references(run: Validation, table: Table, staged: Staged) -> None:
    """The unlikely date orders against the row a reference names, found by
    check_reference: reported on the kept rows."""
    typed = run.typed(table)
    for column in table.references:
        checks = run.staging.name(f"reference_{column.name}", table.name)
        for index, rule in enumerate(via_rules(table, column)):
            run.add_issues(
                "warning", table, rule.later, "c.r", f"strftime(c.later_{index}, '%Y-%m-%d')",
                build_reason("date_order_via_loaded", later=lit(rule.later), earlier=lit(rule.earlier),
                             date=f"strftime(c.earlier_{index}, '%Y-%m-%d')", via=lit(rule.via), ref="c.ref"),
                f"FROM {checks} c WHERE NOT c.broken AND c.later_{index} < c.earlier_{index} "
                f"AND c.r NOT IN (SELECT {staged.row()} FROM {typed} WHERE _rejected)")


def warn_date_orders(run: Validation, table: Table) -> None:
    """The unlikely date orders within a kept row."""
    kept = run.kept(table)
    for rule in schema.date_orders_for(table.name):
        if rule.rejects or rule.via:
            continue
        later, earlier = q(rule.later), q(rule.earlier)
        run.add_issues(
            "warning", table, rule.later, "_row", f"strftime({later}, '%Y-%m-%d')",
            build_reason("date_order_loaded", later=lit(rule.later), earlier=lit(rule.earlier),
                         date=f"strftime({earlier}, '%Y-%m-%d')"),
            f"FROM {kept} WHERE {later} < {earlier}")


# --------------------------------------------------------------------------
# Programme rules


def report_exceptions(run: Validation, table: Table) -> None:
    """Rows that break a programme rule stay loaded and are listed."""
    kept = run.kept(table)
    for rule in schema.programme_rules_for(table.name):
        broken, value, reason = programme_rule_sql(rule)
        run.add_issues("eligibility_exception", table, rule.column, "_row", value, reason,
                       f"FROM {kept} WHERE {broken}")


def programme_rule_sql(rule: schema.ProgrammeRule) -> tuple[str, str, Reason]:
    """(condition: the rule is broken, the value to show, the reason) over a kept row."""
    column = q(rule.column)
    if rule.kind == "age":
        at = q(rule.age_at)
        age = (f"(year({at}) - year({column}) - CASE WHEN month({at}) * 100 + day({at}) < "
               f"month({column}) * 100 + day({column}) THEN 1 ELSE 0 END)")
        broken = f"{age} < {rule.min_age}"
        if rule.max_age is not None:
            broken += f" OR {age} > {rule.max_age}"
        return (broken, f"strftime({column}, '%Y-%m-%d')",
                build_reason("programme_rule_age", rule=lit(rule.description), age=age,
                             age_at=lit(rule.age_at)))
    reason = build_reason("programme_rule", rule=lit(rule.description))
    if rule.kind == "not_in":
        return f"{column} IN ({', '.join(lit(v) for v in rule.values)})", column, reason
    if rule.kind == "is_true":
        return f"NOT {column}", "'false'", reason
    raise ValueError(f"unknown programme rule kind {rule.kind}")
