"""How the OpenAPI schema describes the API's own authentication (drf-spectacular finds the
extension by the class it names; `ApiConfig.ready` imports this module)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.v1.access.BearerTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (Settings → API tokens): `kam_<prefix>_<secret>`.",
        }
