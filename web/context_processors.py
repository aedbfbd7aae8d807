from django.conf import settings

from accounts.permissions import Capability, user_can

from .navigation import areas_for


def service(request) -> dict:
    user = getattr(request, "user", None)
    navigation = []
    if user is not None and user.is_authenticated:
        navigation = [
            {"title": area.title, "url": url, "active": request.path.startswith(url)}
            for area, url, _description in areas_for(user)
            if area.in_navigation
        ]
    return {
        "service_name": settings.SERVICE_NAME,
        "protective_marking": settings.PROTECTIVE_MARKING,
        "organisation_name": settings.POLICE_AGENCY_NAME,
        "environment_banner": settings.ENVIRONMENT_BANNER,
        "primary_navigation": navigation,
        # The "is this number known?" search in the navigation, for those who may see lines.
        "can_search_numbers": user is not None and user_can(user, Capability.VIEW_LINES),
    }
