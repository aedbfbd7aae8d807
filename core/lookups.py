"""`field__any=[…]`: `__in` for long lists of values.

On PostgreSQL `__in` writes one placeholder per value, which the driver then parses
and quotes one by one: for the few thousand keys of an import block that costs more
than the query. `__any` sends the values as one array, `field = ANY(%s)`, with the
same meaning (NULLs never match). Elsewhere it is `__in`.
"""

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, ForeignKey
from django.db.models.lookups import In
from django.db.models.sql.compiler import SQLCompiler

from .bulk import array_literal


class AnyOf(In):
    """The values must already be of the field's type (ints for keys, dates, str): they
    are not prepared one by one, which for thousands of values costs milliseconds."""

    lookup_name = "any"

    def get_prep_lookup(self) -> Any:
        if self.rhs_is_direct_value():
            return list(self.rhs)
        return super().get_prep_lookup()

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = {
            field.get_db_prep_value(value, connection, prepared=True)
            for value in self.rhs
            if value is not None
        }
        if not values:
            raise EmptyResultSet
        element_type = field.target_field.db_type(connection) if field.is_relation else None
        element_type = element_type or field.db_type(connection)
        return f"{lhs} = ANY(%s::{element_type}[])", (*lhs_params, array_literal(values))


Field.register_lookup(AnyOf)
ForeignKey.register_lookup(AnyOf)  # related fields keep a lookup table of their own
