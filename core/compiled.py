"""Queries built and compiled once per process, run with new values each time.

Building a queryset and compiling it to SQL can cost more than running it: the menus'
query on every page rendered afresh, the session read of every returning visitor. When
only a few values change from one run to the next (the time, a key), the queryset is
built once with marks standing for them, and each run swaps the marks for the values.
The SQL depends on the code alone, so a process keeps it for its life.
"""

import datetime
import functools

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
