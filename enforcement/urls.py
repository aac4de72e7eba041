from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import api, notifications_api

api_v1: list[URLPattern | URLResolver] = [
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("auth/logout/", api.LogoutView.as_view(), name="api-logout"),
    path("me/", api.MeView.as_view(), name="api-me"),
    path("users/", api.UserList.as_view(), name="api-users"),
    path("courts/", api.CourtList.as_view(), name="api-courts"),
    path("notifications/", notifications_api.NotificationList.as_view(), name="api-notifications"),
    path("notifications/<int:pk>/read/", notifications_api.NotificationRead.as_view(), name="api-notification-read"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("cases.api_urls")),
    path("", include("cases.property.api_urls")),
    path("", include("cases.petitions.api_urls")),
    path("", include("deadlines.api_urls")),
    path("", include("deadlines.calendar_api_urls")),
    path("", include("deadlines.supervision.api_urls")),
    path("", include("deadlines.whatif.api_urls")),
    path("", include("credit.api_urls")),
    path("", include("funds.api_urls")),
    path("", include("enforcement.documents.api")),
    # Last: any other path under /api/v1/ is a JSON 404 with a code, never an HTML page (SPEC §13 Errors).
    re_path(r"^.*$", api.unknown_path, name="api-unknown"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("enforcement.web_urls")),
    path("", include("cases.urls")),
    path("", include("credit.urls")),
    path("", include("funds.urls")),
    path("", include("deadlines.supervision.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
