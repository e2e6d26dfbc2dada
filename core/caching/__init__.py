"""Caching for the public site: one vocabulary, one package.

Everything kept for visitors is keyed by the **content generation**, a token in the shared
``default`` cache joined with the **release** (what a deploy changed in templates and static
files). One middleware reads it, once, before any view reads content, and sets
``request.content_generation``; everything below it uses that value and nothing else.

- ``generation``: the content generation: read, replaced when content changes, and when a
  change was made (for ``Last-Modified``).
- ``release``: the release, from the ``RELEASE`` setting or derived once per process.
- ``invalidation``: how a model opts in. A model whose default manager's queryset uses
  ``ContentQuerySetMixin`` is content: its bulk writes replace the generation, and
  ``connect_content_models()`` (run by ``CoreConfig.ready()``) connects its saves, deletes
  and many-to-many tables. There is no other list.
- ``keys``: what names a kept answer: its canonical address (only the query parameters its
  view reads), ``keep_nothing`` for an answer that is not the canonical page, and the one
  place that reads ``Accept-Encoding``.
- ``middleware``: ``CacheMiddleware``: sets ``request.content_generation`` and answers
  anonymous visitors' whole pages from the page cache. Only ``/admin/`` and ``/healthz``
  are exempt by address; a view that must never be kept says so itself (``never_cache``).
- ``fragments``: the dear parts of a page (``{% fragment %}``), for everyone not signed in.
- ``responses``: ``StoredResponse``, the one form a kept answer takes, and
  ``conditional_document``, the decorator for feeds, calendars and the sitemap (ETag,
  Last-Modified, 304s, a gzipped copy kept per encoding).
"""
