"""Static files storage for benchmark runs: the product's real-mode storage (whitenoise,
compressed, hashed names) that tolerates a source map missing from a vendored file.

Why: static/vendor/bootstrap/bootstrap.bundle.min.js ends with `sourceMappingURL=...js.map`,
and that .map file is not in the repository, so `collectstatic` with DEBUG=0 stops with
MissingFileError (see bench/README.md, Findings). Only the missing source-map reference is left
as it is; every other file is hashed and compressed exactly as in production.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class SourceMapTolerantStorage(CompressedManifestStaticFilesStorage):
    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)

        def tolerant(matchobj):
            try:
                return convert(matchobj)
            except ValueError:
                if matchobj.groupdict().get("url", "").endswith(".map"):
                    return matchobj.group(0)
                raise

        return tolerant
