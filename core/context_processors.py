from django.conf import settings

from .navigation import areas_for


def service(request) -> dict:
    user = getattr(request, "user", None)
    navigation = []
    if user is not None and user.is_authenticated:
        navigation = [
            {"title": area.title, "url": url, "active": request.path.startswith(url)}
            for area, url in areas_for(user)
            if area.in_navigation
        ]
    return {
        "service_name": settings.SERVICE_NAME,
        "protective_marking": settings.PROTECTIVE_MARKING,
        "organisation_name": settings.POLICE_AGENCY_NAME,
        "primary_navigation": navigation,
    }
