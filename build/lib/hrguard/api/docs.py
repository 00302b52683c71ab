"""Interactive API docs (Swagger UI) that pass the site's strict CSP.

Swagger UI is served from the ``drf-spectacular-sidecar`` package (``SWAGGER_UI_DIST = "SIDECAR"``), no CDN.
The split view delivers its start-up script as a separate same-origin request (``?script``) instead of an
inline <script>, and our template links the page CSS instead of an inline <style>, so the page needs no
CSP exception: ``script-src 'self'`` and ``style-src 'self'`` suffice."""

from __future__ import annotations

from django.templatetags.static import static
from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    title = "HRGuard API"

    @staticmethod
    def _swagger_ui_favicon() -> str:
        # The package default points at a CDN; the sidecar ships the icon too.
        return static("drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png")
