"""The API's browsable documentation: Swagger UI, served from this site's own static files
(drf-spectacular-sidecar), so it works offline and under the site's Content-Security-Policy
(its start-up script is a file of its own, its page has no inline style)."""

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerDocs(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    title = "KAM Programme API"
