from django.conf import settings

from search.selectors import sources_for

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
        # The search box in the navigation, for those who may search something.
        "can_search": user is not None and bool(sources_for(user)),
    }
