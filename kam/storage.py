"""Static files in real mode: WhiteNoise's compressed manifest storage, with each file's address
worked out once per process."""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """The manifest is read when the process starts and changes only when collectstatic writes a
    new one (a deploy, so a new process); yet every `{% static %}` worked the address out again:
    unquoting, splitting, the manifest lookup, joining to STATIC_URL and quoting, seven times per
    page for base.html alone (bench/README.md, Findings 25). The names come from templates, not
    from requests, so the memo stays small. A name missing from the manifest raises every time,
    as before."""

    _urls_of = None  # the manifest (hashed_files) the memo was built from

    def url(self, name, force=False):
        if force or settings.DEBUG:
            return super().url(name, force)
        if self._urls_of is not self.hashed_files:  # first use, or collectstatic ran here
            self._urls, self._urls_of = {}, self.hashed_files
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = super().url(name)
        return url
