"""A hot SELECT whose SQL is compiled once per process.

Compiling a queryset to SQL costs the ORM ~10 µs per selected column every time it runs: the
in-place save's item read (an action with its plan and links, ~100 columns) spent ~1.3 ms of
its ~2 ms compiling (bench/README.md, finding 40). `CompiledOnce` builds and compiles the
queryset on its first use in a process, keeps the SQL and the compiler's map of the columns,
and afterwards only sends the same SQL with the new parameters; the rows are turned into model
instances (with their `select_related` objects and annotations) by Django's own ModelIterable,
exactly as the queryset would. The columns' converters (from_db_value and the backend's),
which Django works out again on every run (~0.3 ms a save, finding 43), are kept too, per
connection.

The contract, checked on each first compile (and in tests/common/test_compiled.py for several
arguments): the statement's parameters, in order, are `params(*args)`, and the SQL does not
depend on the arguments otherwise (None, which compiles to `IS NULL`, is refused). Use it only
where it pays (≥ 0.5 ms a call) and the queryset's shape is fixed: a plain filter on values,
no `in` lists, no prefetches. A `select_for_update` is checked to run inside a transaction on
every call, as Django checks it when it compiles.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.db.transaction import TransactionManagementError


class CompiledOnce:
    """`build(*args)` -> the queryset of `model` instances; `params(*args)` -> its SQL
    parameters in order. Calling the object runs the statement and returns the instances."""

    def __init__(
        self, model: type, build: Callable[..., QuerySet], params: Callable[..., Iterable[Any]]
    ) -> None:
        self._model = model
        self._build = build
        self._params = params
        self._compiled: dict[str, tuple] = {}  # database alias -> (compiler, sql)
        self._converters: dict[str, tuple] = {}  # database alias -> (connection, converters)

    def sql(self, *args) -> tuple[str, tuple]:
        """The SQL and parameters this object sends for `args` (compiling it if not yet)."""
        _compiler, sql = self._compile(args)
        return sql, tuple(self._params(*args))

    def __call__(self, *args) -> list:
        compiler, sql = self._compile(args)
        params = tuple(self._params(*args))
        connection = connections[compiler.using]
        if compiler.query.select_for_update and connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        run = copy.copy(compiler)  # per call: the column map is shared, read only
        run.connection = connection  # this thread's
        run.as_sql = lambda *_args, **_kwargs: (sql, params)
        converters = self._converters.get(compiler.using)
        if converters is None or converters[0] is not connection:
            # The columns' converters are the statement's and the connection's alone: worked
            # out on the first call on this connection (Django does it on every run).
            columns = [column for column, *_rest in compiler.select[: compiler.col_count]]
            converters = (connection, run.get_converters(columns))
            self._converters[compiler.using] = converters
        run.get_converters = lambda _expressions, found=converters[1]: found
        source = SimpleNamespace(
            db=compiler.using,
            model=self._model,
            query=SimpleNamespace(get_compiler=lambda using=None, **_kwargs: run),
            _known_related_objects={},
        )
        return list(ModelIterable(source))

    def _compile(self, args: tuple) -> tuple:
        if any(arg is None for arg in args):
            raise ValueError("CompiledOnce: None changes the SQL (IS NULL); not cached.")
        using = router.db_for_read(self._model)
        compiled = self._compiled.get(using)
        if compiled is None:
            queryset = self._build(*args)
            if queryset.model is not self._model or queryset.db != using:
                raise ImproperlyConfigured("CompiledOnce: the queryset is not of its model.")
            if queryset._prefetch_related_lookups:
                raise ImproperlyConfigured("CompiledOnce: no prefetches.")
            if queryset._iterable_class is not ModelIterable or queryset._known_related_objects:
                raise ImproperlyConfigured("CompiledOnce: model instances of a plain queryset.")
            compiler = queryset.query.get_compiler(using=using)
            sql, built = compiler.as_sql()  # also fills the compiler's column map
            if tuple(built) != tuple(self._params(*args)):
                raise ImproperlyConfigured(
                    f"CompiledOnce: the statement's parameters {tuple(built)!r} are not "
                    f"params(*args) {tuple(self._params(*args))!r}."
                )
            compiled = self._compiled[using] = (compiler, sql)
        return compiled


# Stand-ins for a statement's id list while it is compiled: negative, so no row has them, and
# far from any other parameter the ORM puts in a statement.
_ID_STAND_IN = -(10**15)


class CompiledPerKey:
    """A SELECT whose SQL is fixed by a few hashable values (the dashboard's: the account
    scope's own SQL and parameters, the day, the year) and, optionally, one list of ids:
    built and compiled once per key and number of ids, then sent with the ids put into its
    parameters. The rows come through the queryset's own iterable (model instances with their
    `select_related` objects and annotations, `values()` dicts, `values_list()` tuples), as
    the queryset would give them.

    `rows(key, build, ids)`: `build(ids)` makes the queryset (called on a miss only, with
    stand-in ids); the caller's contract is that `key` determines the SQL and every parameter
    but the ids (what the statement reads of `ids` is checked: each stand-in once). The
    `maxsize` keys used last are kept per process."""

    def __init__(self, *, maxsize: int = 64) -> None:
        self._maxsize = maxsize
        self._compiled: OrderedDict[tuple, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def rows(self, key: Hashable, build: Callable[[list[int]], QuerySet], ids=()) -> list:
        ids = list(ids)
        entry_key = (key, len(ids))
        with self._lock:
            entry = self._compiled.get(entry_key)
            if entry is not None:
                self._compiled.move_to_end(entry_key)
        if entry is None:
            entry = self._compile(build, len(ids))
            with self._lock:
                self._compiled[entry_key] = entry
                while len(self._compiled) > self._maxsize:
                    self._compiled.popitem(last=False)
        queryset, compiler, sql, template, places = entry
        params = list(template)
        for place, value in zip(places, ids, strict=True):
            params[place] = value
        params = tuple(params)
        run = copy.copy(compiler)  # per call: the column map is shared, read only
        run.connection = connections[compiler.using]  # this thread's
        run.as_sql = lambda *_args, **_kwargs: (sql, params)
        chained = queryset._chain()  # its own Query: the compiler below is this call's only
        chained.query.get_compiler = lambda *_args, **_kwargs: run
        return list(chained)

    @staticmethod
    def _compile(build, count: int) -> tuple:
        stand_ins = [_ID_STAND_IN - i for i in range(count)]
        queryset = build(stand_ins)
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise ImproperlyConfigured("CompiledPerKey: no prefetches or known objects.")
        if queryset.query.select_for_update:
            raise ImproperlyConfigured("CompiledPerKey: no locks.")
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, template = compiler.as_sql()  # also fills the compiler's column map
        template = tuple(template)
        places = []
        for stand_in in stand_ins:
            found = [i for i, value in enumerate(template) if value == stand_in]
            if len(found) != 1:
                raise ImproperlyConfigured(
                    f"CompiledPerKey: an id is in the statement's parameters {len(found)} times."
                )
            places.append(found[0])
        return queryset, compiler, sql, template, places
