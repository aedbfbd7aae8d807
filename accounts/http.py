"""The request a view is given, typed.

Every URL but sign-in, password reset, static files and the health check requires
sign-in (Django's `LoginRequiredMiddleware`), so the request a view is given holds a
staff `User`, never an anonymous one: views say so with `AuthenticatedHttpRequest`,
and pass `request.user` to services and selectors that take a `User`.
"""

from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
