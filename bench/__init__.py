"""`make bench`: a reproducible benchmark of the portal's public pages (see README)."""
