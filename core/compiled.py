"""Queries built and compiled once per process, run with new values each time.

Building a queryset and compiling it to SQL can cost more than running it: the menus'
query on every page rendered afresh, the session read of every returning visitor. When
only a few values change from one run to the next (the time, a key), the queryset is
built once with marks standing for them, and each run swaps the marks for the values.
The SQL depends on the code alone, so a process keeps it for its life.
"""

import copy
import datetime
import functools

from django.core.exceptions import EmptyResultSet
from django.db import connections

# A time no query is asked about: it stands for "now" in a compiled query.
TIME_MARK = datetime.datetime(2000, 1, 1, 0, 0, 0, 1, tzinfo=datetime.UTC)


class CompiledQuery:
    """``CompiledQuery(build, now=MARK)``: ``build(now=MARK)`` gives a queryset, compiled
    on first use; ``rows(now=...)`` runs it with the value in the mark's place. A mark
    must be a value no other parameter of the query equals (an impossible time or key)."""

    def __init__(self, build, **marks):
        self.build = build
        self.marks = marks

    @functools.cached_property
    def _compiled(self) -> tuple[str, tuple, tuple, str]:
        queryset = self.build(**self.marks)
        sql, params = queryset.query.sql_with_params()
        slots = tuple(self._mark_of(value) for value in params)
        if set(filter(None, slots)) != set(self.marks):
            raise ValueError(f"{self.build!r}: a mark is not among the query's parameters")
        return sql, tuple(params), slots, queryset.db

    def _mark_of(self, value) -> str | None:
        for name, mark in self.marks.items():
            if type(value) is type(mark) and value == mark:
                return name
        return None

    def rows(self, **values) -> list[tuple]:
        """Every row the query reads, with `values` in place of the marks."""
        sql, params, slots, alias = self._compiled
        run_with = [
            values[slot] if slot else value for value, slot in zip(params, slots, strict=True)
        ]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, run_with)
            return cursor.fetchall()


# The marks ``CompiledQueries`` puts in place of a run's values, by type: none of them a
# value a query is ever asked about (a time in 2000 to the microsecond, a negative key,
# a string starting with a control character).
def _mark_for(name: str, value, index: int):
    if isinstance(value, datetime.datetime):
        return TIME_MARK + datetime.timedelta(microseconds=index + 1)
    if type(value) is datetime.date:
        return datetime.date(1, 1, 1) + datetime.timedelta(days=index)
    if type(value) is int:  # within a 32-bit column's range: Django drops a lookup beyond it
        return -(2**31 - 1) + index
    if isinstance(value, str):
        return f"\x1fmark:{name}"
    raise TypeError(
        f"{name}={value!r}: a compiled query takes times, dates, keys and strings; "
        "None and booleans choose its shape"
    )


class _Shape:
    """One shape of a ``CompiledQueries``: its SQL with slots for the run's values, and
    the compiler that made it, whose reading of rows (models, values, conversions) each
    run reuses with the SQL handed to it instead of compiled again."""

    def __init__(self, queryset, marks: dict, counted=None):
        from core.rows import made_of

        if queryset.query.is_sliced:
            raise ValueError("slice the run, not the queryset it is built from")
        made = made_of(queryset)
        self.queryset, self.make = made if made else (queryset, None)
        self.alias = self.queryset.db
        self.compiler = self.queryset.query.get_compiler(self.alias)
        try:
            self.sql, params = self.compiler.as_sql()
        except EmptyResultSet:  # a filter no value can meet (pk__in=[]): nothing, ever
            self.sql, params = None, ()
        self.slots = self._slots(params, marks) if self.sql else ()
        if self.sql:
            whole, left_out = counted if counted is not None else (queryset, None)
            count_sql, count_params = self._count_sql(whole)
            if left_out is not None:
                less_sql, less_params = self._count_sql(left_out)
                count_sql = f"SELECT ({count_sql}) - ({less_sql})"
                count_params = (*count_params, *less_params)
            self.count_sql = count_sql
            # The count drops the order and what only orders (a mark may go with them);
            # a mark in its WHERE is in the rows' too, and checked there.
            self.count_slots = self._slots(count_params, marks, every_mark=False)

    @staticmethod
    def _count_sql(queryset) -> tuple[str, tuple]:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        # Django's own SQL, parameters apart: nothing of a visitor's is in the text.
        return f'SELECT COUNT(*) FROM ({sql}) AS "counted"', params  # noqa: S608

    @staticmethod
    def _slots(params, marks: dict, *, every_mark: bool = True) -> tuple:
        """Each parameter as (constant, None) or (None, the name of the value it takes);
        a list of them (an array lookup) as (None, ("list", its elements' slots))."""
        by_mark = {(type(mark), mark): name for name, mark in marks.items()}

        def slot(value):
            if isinstance(value, list | tuple):
                inner = tuple(slot(element) for element in value)
                if any(name for _, name in inner):
                    return None, ("list", inner)
                return value, None
            try:
                name = by_mark.get((type(value), value))
            except TypeError:  # unhashable: a constant (a JSON value, say)
                name = None
            return (None, name) if name else (value, None)

        slots = tuple(slot(value) for value in params)
        found = set()

        def names(slot_):
            _, name = slot_
            if isinstance(name, tuple):
                for inner in name[1]:
                    names(inner)
            elif name:
                found.add(name)

        for each in slots:
            names(each)
        if every_mark and found != set(marks):
            missing = ", ".join(sorted(set(marks) - found))
            raise ValueError(f"a mark is not among the query's parameters: {missing}")
        return slots

    @staticmethod
    def _fill(slots, values: dict) -> list:
        def value_of(slot_):
            constant, name = slot_
            if isinstance(name, tuple):
                return [value_of(inner) for inner in name[1]]
            return values[name] if name else constant

        return [value_of(each) for each in slots]

    def rows(self, values: dict, *, limit: int | None, offset: int) -> list:
        if self.sql is None:
            return []
        sql = self.sql
        if limit is not None:
            sql = f"{sql} LIMIT {int(limit)}"
        if offset:
            sql = f"{sql} OFFSET {int(offset)}"
        params = self._fill(self.slots, values)
        compiler = copy.copy(self.compiler)
        compiler.connection = connections[self.alias]  # this thread's, not the compiler's
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        # Django's own iterable (models with their related ones and prefetches, values
        # converted) reads the rows, from a queryset whose query hands it that compiler.
        queryset = self.queryset._chain()
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        rows = list(queryset)
        return list(map(self.make, rows)) if self.make else rows

    def count(self, values: dict) -> int:
        if self.sql is None:
            return 0
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.count_sql, self._fill(self.count_slots, values))
            return cursor.fetchone()[0]


class CompiledQueries:
    """``CompiledQueries(build)``: ``build(**values)`` gives a queryset, built and compiled
    once per *shape* and run with each call's values. A value that is None or a boolean
    chooses the shape (a filter left out, a flag) and reaches `build` as it is; a time, a
    key or a string reaches it as a mark, swapped for the value on each run. `build` must
    pass each mark to the query as it is: a mark the SQL does not carry (turned into
    another value on the way) is an error, never a silent constant.

    A queryset of ``core.rows`` gives its made rows; any other, the models, as Django
    makes them. ``query(**values)`` is lazy: count it, slice it, paginate it.

    `count`, given the same values, may say how to count a shape more cheaply: None for
    counting the rows, or (whole, left_out), two querysets whose counts' difference is
    the rows' (a few rows left out of many are found faster than the many kept).
    """

    def __init__(self, build, *, count=None):
        self.build = build
        self.count = count
        self._shapes: dict[tuple, _Shape] = {}

    def shape(self, values: dict) -> _Shape:
        key = tuple(
            (name, value if value is None or isinstance(value, bool) else type(value))
            for name, value in sorted(values.items())
        )
        try:
            return self._shapes[key]
        except KeyError:
            pass
        marks = {}
        given = {}
        for index, (name, value) in enumerate(sorted(values.items())):
            if value is None or isinstance(value, bool):
                given[name] = value
            else:
                given[name] = marks[name] = _mark_for(name, value, index)
        counted = self.count(**given) if self.count is not None else None
        shape = self._shapes[key] = _Shape(self.build(**given), marks, counted)
        return shape

    def __call__(self, **values) -> "CompiledRows":
        return CompiledRows(self, values)


class CompiledRows:
    """A run of a ``CompiledQueries``, read when first needed: what a paginator asks of a
    list (``count()``, a slice) and what a template does with one (iterate, test, len)."""

    def __init__(self, queries: CompiledQueries, values: dict, limit=None, offset=0):
        self.queries, self.values = queries, values
        self.limit, self.offset = limit, offset
        self._rows = None

    def count(self) -> int:
        """How many rows: counted in the database, unless read already or a slice (a
        slice reads its rows, as a sliced queryset counts them)."""
        if self._rows is not None or self.limit is not None or self.offset:
            return len(self._read())
        return self.queries.shape(self.values).count(self.values)

    def __getitem__(self, key):
        if isinstance(key, slice) and key.step is None and self.limit is None:
            start, stop = key.start or 0, key.stop
            if start >= 0 and (stop is None or stop >= start):
                limit = None if stop is None else stop - start
                return CompiledRows(self.queries, self.values, limit, self.offset + start)
        return self._read()[key]

    def _read(self) -> list:
        if self._rows is None:
            shape = self.queries.shape(self.values)
            self._rows = shape.rows(self.values, limit=self.limit, offset=self.offset)
        return self._rows

    def __iter__(self):
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    def __bool__(self) -> bool:
        return bool(self._read())
