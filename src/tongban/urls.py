from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from tongban.core import views as core_views
from tongban.identity import provider_urls as identity_provider_urls

admin.site.site_header = "通办 · 工作人员管理"
admin.site.site_title = "通办管理"
admin.site.index_title = "管理首页"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/catalog/", include("tongban.catalog.api.urls")),
    path("api/exchange/v1/", include("tongban.sharing.api.urls")),
    path("sso/", include("tongban.identity.provider_urls")),
    path("", include(identity_provider_urls.root_urlpatterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("tongban.core.urls")),
    path("", include("tongban.operations.urls")),
    path("", include("tongban.workbench.urls")),
    path("", include("tongban.applications.urls")),
    path("", include("tongban.office.urls")),
    path("", include("tongban.documents.urls")),
    path("", include("tongban.meetings.urls")),
    path("", include("tongban.tracking.urls")),
    path("", include("tongban.briefings.urls")),
    path("", include("tongban.notices.urls")),
    path("", include("tongban.disclosure_requests.urls")),
    path("", include("tongban.disclosure.urls")),
    path("", include("tongban.hotline.urls")),
    path("", include("tongban.consultations.urls")),
    path("", include("tongban.moderation.urls")),
    path("", include("tongban.archives.urls")),
    path("", include("tongban.supervision.urls")),
    path("", include("tongban.workflow.urls")),
    path("", include("tongban.appointments.urls")),
    path("", include("tongban.queueing.urls")),
    path("", include("tongban.bundles.urls")),
    path("", include("tongban.accounts.urls")),
    path("", include("tongban.identity.urls")),
    path("", include("tongban.notifications.urls")),
    path("", include("tongban.ratings.urls")),
    path("", include("tongban.licenses.urls")),
    path("", include("tongban.catalog.urls")),
    path("", include("tongban.sharing.urls")),
    path("", include("tongban.organizations.urls")),
    path("forms/", include("tongban.schemaforms.urls")),
]

handler404 = core_views.page_not_found
handler500 = core_views.server_error
